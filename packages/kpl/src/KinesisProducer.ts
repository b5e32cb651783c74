import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  RecordTooLargeError,
  hashKeyToWords,
  hashKeyWordsOf,
  parseExplicitHashKey,
  utf8ByteLength,
  validateUserRecord,
  type ShardMap,
  type UserRecordInput,
} from '@kinesis-toolkit/aggregation';
import { SDK_CLIENT_DEFAULTS, epochMsOf, type AwsErrorKind } from '@kinesis-toolkit/core';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { NO_ATTEMPTS, type OutgoingRecord, type PendingRecord, type SettleListener } from './buffering/PendingRecord';
import { resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions } from './config/ProducerOptions';
import { ProducerClosedError } from './errors/ProducerClosedError';
import { PutFailedError } from './errors/PutFailedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import type { ProducerEvents, ProducerMetricName } from './events/ProducerEvents';
import { putRecordsEventOf } from './events/putRecordsEventOf';
import { FlushEpochs } from './flushing/FlushEpochs';
import { ProducerMetrics } from './metrics/ProducerMetrics';
import type { PutResult } from './PutResult';
import { Dispatcher } from './sending/Dispatcher';
import type { BatchOutcome } from './sending/PutRecordsSender';

/** Options of {@link KinesisProducer.createWriteStream}. */
export interface ProducerWriteStreamOptions {
  /** Records the stream buffers before `write()` returns false. @defaultValue 16 */
  readonly highWaterMark?: number;
  /**
   * Called as each written record settles. Without it, a record that fails destroys the stream
   * with its error — nothing fails silently.
   */
  readonly onSettled?: (record: UserRecordInput, error: Error | undefined, result: PutResult | undefined) => void;
}

/**
 * The Kinesis Producer Library, in-process: buffers user records per predicted shard, packs them
 * into KPL aggregates, meters each shard at `rateLimitPercent` of its limits, collects
 * PutRecords requests, retries with backoff until each record's TTL, and settles every `put()`
 * with the shard and sequence number — or a typed error saying why not.
 *
 * ```ts
 * const producer = new KinesisProducer({ streamName: 'orders' });
 * const { shardId, sequenceNumber } = await producer.put({ partitionKey: order.id, data: Buffer.from(json) });
 * await producer.close();
 * ```
 */
export class KinesisProducer extends EventEmitter<ProducerEvents> {
  /** The resolved configuration. */
  readonly config: ResolvedProducerOptions;
  readonly #client: KinesisClient;
  readonly #ownsClient: boolean;
  readonly #streamLabel: string;
  readonly #dispatcher: Dispatcher;
  // A FIFO with a moving head: shift() on a large array is O(n).
  #waiting: PendingRecord[] = [];
  #waitingHead = 0;
  // flush() waits for the records put before it: its epoch and every earlier one.
  readonly #epochs = new FlushEpochs();
  #outstandingRecords = 0;
  #outstandingBytes = 0;
  #backpressured = false;
  /** User records taken (validated) so far: the KPL's UserRecordsReceived. */
  #received = 0;
  readonly #metrics: ProducerMetrics | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: ProducerOptions) {
    super();
    this.config = resolveProducerOptions(options);
    this.#ownsClient = this.config.kinesisClient === undefined;
    // Our own client does not retry (SDK_CLIENT_DEFAULTS: maxAttempts 1): the producer's backoff until the TTL is the only retry loop.
    this.#client = this.config.kinesisClient ?? new KinesisClient({ ...SDK_CLIENT_DEFAULTS });
    this.#streamLabel = this.config.streamName ?? this.config.streamARN!;
    // Every line the producer logs says where it comes from.
    const logger = this.config.logger.child({ component: 'kpl', streamName: this.#streamLabel });
    useWireProtocol(this.#client, { wireProtocol: this.config.wireProtocol, logger });
    this.#dispatcher = new Dispatcher({ ...this.config, logger }, this.#client, this.config, {
      succeed: (record, shardId, sequenceNumber, subSequenceNumber, aggregated) =>
        this.#settle(record, undefined, { shardId, sequenceNumber, subSequenceNumber, aggregated, attempts: record.attempts }),
      fail: (record, code, message, kind, cause) => this.#settle(record, this.#failure(record, code, message, kind, cause)),
      metric: (name, value, shardId, errorCode) => this.#metric(name, value, shardId, errorCode),
      shardMapRefreshed: (event) => this.emit('shardMapRefreshed', event),
      requestCompleted: (batch, outcome) => this.#requestCompleted(batch, outcome),
    });
    this.#metrics = this.config.metrics === undefined ? undefined : new ProducerMetrics(this, this.config, this.config.metrics, this.#streamLabel);
    void this.#dispatcher.start();
  }

  /** User records taken so far (validated by `put()` or a stream write): the KPL's UserRecordsReceived. */
  get receivedRecords(): number {
    return this.#received;
  }

  /** User records put and not yet settled. */
  get outstandingRecords(): number {
    return this.#outstandingRecords;
  }

  /** Bytes (data plus partition keys) of user records put and not yet settled. */
  get outstandingBytes(): number {
    return this.#outstandingBytes;
  }

  /** Whether a `put()` now would be taken at once, without waiting for room. */
  get hasCapacity(): boolean {
    return this.#waitingCount === 0 && this.#hasRoom(1);
  }

  get #waitingCount(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  /** The shard map in use, once ListShards has answered. */
  get shardMap(): ShardMap | undefined {
    return this.#dispatcher.shardMap;
  }

  /**
   * Sends a user record. Resolves once Kinesis has acknowledged it; rejects with
   * `InvalidRecordError`/`RecordTooLargeError` (bad input), `PutFailedError` (an error retrying
   * cannot fix — from PutRecords, or from ListShards before any shard map existed),
   * `RecordExpiredError` (not acknowledged within `recordTtlMs`) or `ProducerClosedError`. While
   * outstanding records or bytes are at their bounds, the record waits for room before it is buffered.
   */
  put(record: UserRecordInput): Promise<PutResult> {
    return new Promise<PutResult>((resolve, reject) => this.#submit(record, resolve, reject, undefined, undefined));
  }

  /** Sends everything buffered now; resolves when every `put()` made before it has settled. */
  async flush(): Promise<void> {
    const settled = this.#epochs.close();
    if (settled === undefined) return;
    this.#dispatcher.flushing++;
    try {
      this.#dispatcher.pump();
      await settled;
    } finally {
      this.#dispatcher.flushing--;
    }
  }

  /** Flushes, then stops: later `put()` calls reject with `ProducerClosedError`. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      while (this.#epochs.hasUnsettled) await this.flush();
      this.#dispatcher.stop();
      this.#metrics?.stop();
      if (this.#ownsClient) this.#client.destroy();
    })();
    return this.#closing;
  }

  /**
   * A Writable in object mode: write user records, and the stream's own backpressure (its
   * `highWaterMark`, `write()` returning false, `'drain'`) follows the producer's outstanding
   * bounds. `end()` finishes once everything written has settled.
   */
  createWriteStream(options: ProducerWriteStreamOptions = {}): Writable {
    const onSettled = options.onSettled;
    // One listener for every record of the stream: a streamed record costs no promise or closure.
    // It runs on the next tick, as a promise reaction would, never inside the producer's own work.
    const report = (input: UserRecordInput, error: Error | undefined, result: PutResult | undefined): void => {
      if (onSettled === undefined) {
        if (error !== undefined) stream.destroy(error);
        return;
      }
      try {
        onSettled(input, error, result);
      } catch (thrown) {
        stream.destroy(thrown as Error);
      }
    };
    const listener: SettleListener = (record, error, result) => process.nextTick(report, record.input, error, result);
    const stream: Writable = new Writable({
      objectMode: true,
      highWaterMark: options.highWaterMark ?? 16,
      write: (record: UserRecordInput, _encoding, callback) => {
        const rejected = this.#submit(record, undefined, undefined, listener, callback);
        if (rejected !== undefined) {
          process.nextTick(report, record, rejected, undefined);
          process.nextTick(callback);
        }
      },
      final: (callback) => {
        this.flush().then(() => callback(), callback);
      },
    });
    return stream;
  }

  /**
   * Validates a record and admits it, or queues it until there is room. Its outcome goes to
   * `resolve`/`reject` (put) or `listener` (a write stream), whose `onAdmitted` is called on the
   * next tick once it is admitted. Returns the validation error for a stream write (put() rejects).
   */
  #submit(
    input: UserRecordInput,
    resolve: ((result: PutResult) => void) | undefined,
    reject: ((error: Error) => void) | undefined,
    listener: SettleListener | undefined,
    onAdmitted: (() => void) | undefined,
  ): Error | undefined {
    let record: PendingRecord;
    try {
      if (this.#closed) throw new ProducerClosedError(this.#streamLabel);
      // The one check of the record: nothing downstream validates it again.
      validateUserRecord(input);
      const partitionKey = input.partitionKey;
      const explicitHashKey = input.explicitHashKey;
      // The hash key as four 32-bit words: routing compares words, never builds a BigInt. Hashing
      // the key encodes it, which gives its UTF-8 length too.
      let words: Uint32Array = scratchWords;
      let keyBytes: number;
      if (explicitHashKey === undefined) keyBytes = hashKeyWordsOf(partitionKey, words);
      else {
        words = hashKeyToWords(parseExplicitHashKey(explicitHashKey));
        keyBytes = utf8ByteLength(partitionKey);
      }
      const bytes = input.data.length + keyBytes;
      if (bytes > this.config.maxRecordBytes) {
        throw new RecordTooLargeError(bytes, this.config.maxRecordBytes, 'the record (data plus partition key)', {
          partitionKey,
          streamName: this.#streamLabel,
        });
      }
      record = {
        input,
        partitionKey,
        explicitHashKey,
        data: input.data,
        hashWord0: words[0]! | 0,
        hashWord1: words[1]! | 0,
        hashWord2: words[2]! | 0,
        hashWord3: words[3]! | 0,
        bytes,
        epoch: this.#epochs.current,
        arrivedAt: 0,
        expiresAt: 0,
        deadline: 0,
        attempts: NO_ATTEMPTS,
        settled: false,
        lane: undefined,
        ttlSlot: 0,
        outgoing: undefined,
        resolve,
        reject,
        listener,
        onAdmitted,
      };
    } catch (error) {
      if (reject === undefined) return error as Error;
      reject(error as Error);
      return undefined;
    }
    this.#epochs.added();
    this.#received++;
    if (this.#waitingCount === 0 && this.#hasRoom(record.bytes)) this.#admit(record);
    else {
      this.#backpressured = true;
      this.#waiting.push(record);
    }
    return undefined;
  }

  #hasRoom(bytes: number): boolean {
    if (this.#outstandingRecords === 0) return true;
    return this.#outstandingRecords < this.config.maxOutstandingRecords && this.#outstandingBytes + bytes <= this.config.maxOutstandingBytes;
  }

  #admit(record: PendingRecord): void {
    // Whole milliseconds: the record's time fields stay small integers, which V8 stores unboxed.
    const now = Math.floor(this.config.clock.now());
    record.arrivedAt = now;
    record.expiresAt = now + this.config.recordTtlMs;
    record.deadline = Math.min(now + this.config.recordMaxBufferedTimeMs, record.expiresAt);
    this.#outstandingRecords++;
    this.#outstandingBytes += record.bytes;
    // Taking the last room is backpressure too: 'drain' must follow when room returns.
    if (!this.#hasRoom(1)) this.#backpressured = true;
    const onAdmitted = record.onAdmitted;
    if (onAdmitted !== undefined) {
      record.onAdmitted = undefined;
      process.nextTick(onAdmitted);
    }
    this.#dispatcher.add(record);
  }

  #settle(record: PendingRecord, error: Error | undefined, result?: PutResult): void {
    if (record.settled) return;
    record.settled = true;
    this.#outstandingRecords--;
    this.#outstandingBytes -= record.bytes;
    if (this.#metrics !== undefined) this.#metrics.settled(record, error, result?.shardId);
    if (this.listenerCount('metric') > 0) this.#recordMetrics(record, error, result?.shardId);
    if (record.listener !== undefined) record.listener(record, error, result);
    else if (error !== undefined) record.reject!(error);
    else record.resolve!(result!);
    this.#epochs.settled(record.epoch);
    while (this.#waitingCount > 0 && this.#hasRoom(this.#waiting[this.#waitingHead]!.bytes)) this.#admit(this.#nextWaiting());
    if (this.#backpressured && this.#waitingCount === 0 && this.#hasRoom(1)) {
      this.#backpressured = false;
      this.emit('drain');
    }
  }

  #nextWaiting(): PendingRecord {
    const next = this.#waiting[this.#waitingHead]!;
    this.#waiting[this.#waitingHead++] = undefined as unknown as PendingRecord;
    if (this.#waitingHead === this.#waiting.length) {
      this.#waiting = [];
      this.#waitingHead = 0;
    } else if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    return next;
  }

  #failure(record: PendingRecord, code: string, message: string, kind: AwsErrorKind | 'expired', cause: unknown): Error {
    const context = { streamName: this.#streamLabel, partitionKey: record.partitionKey };
    if (kind === 'expired') return new RecordExpiredError(this.config.recordTtlMs, [...record.attempts], context, cause);
    return new PutFailedError(code, message, [...record.attempts], { retryable: kind !== 'fatal', cause, context });
  }

  #recordMetrics(record: PendingRecord, error: Error | undefined, shardId: string | undefined): void {
    this.#metric('UserRecordsPut', error === undefined ? 1 : 0, shardId);
    if (error instanceof RecordExpiredError) this.#metric('UserRecordExpired', 1);
    this.#metric('RetriesPerRecord', Math.max(0, record.attempts.length - 1), shardId);
    let last = record.arrivedAt;
    for (const attempt of record.attempts) {
      this.#metric('BufferingTime', Math.max(0, attempt.startedAt - last), shardId);
      last = attempt.startedAt + attempt.durationMs;
    }
  }

  #metric(name: ProducerMetricName, value: number, shardId?: string, errorCode?: string): void {
    if (this.listenerCount('metric') === 0) return;
    const unit = name === 'RequestTime' || name === 'BufferingTime' ? 'Milliseconds' : 'Count';
    this.emit('metric', { name, value, unit, shardId, errorCode, timestamp: epochMsOf(this.config.clock) });
  }

  /** A PutRecords request was answered or failed: the `putRecords` event, built only while someone listens. */
  #requestCompleted(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void {
    if (this.listenerCount('putRecords') === 0) return;
    this.emit('putRecords', putRecordsEventOf(this.#streamLabel, epochMsOf(this.config.clock), batch, outcome));
  }
}

const scratchWords = new Uint32Array(4);
