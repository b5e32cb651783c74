import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ShardMap, UserRecordInput } from '@kinesis-toolkit/aggregation';
import { SDK_CLIENT_DEFAULTS, epochMsOf, type AwsErrorKind } from '@kinesis-toolkit/core';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { addAttempt, type OutgoingRecord, type PendingRecord, type SettleListener } from './buffering/PendingRecord';
import type { Attempt } from './errors/Attempt';
import { resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions } from './config/ProducerOptions';
import { Admission } from './admission/Admission';
import { pendingRecordOf } from './buffering/pendingRecordOf';
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
  // flush() waits for the records put before it: its epoch and every earlier one.
  readonly #epochs = new FlushEpochs();
  readonly #admission: Admission;
  readonly #admitRecord = (record: PendingRecord): void => this.#admit(record);
  /** User records taken (validated) so far: the KPL's UserRecordsReceived. */
  #received = 0;
  readonly #metrics: ProducerMetrics | undefined;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: ProducerOptions) {
    super();
    this.config = resolveProducerOptions(options);
    this.#admission = new Admission(this.config);
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
      succeedRange: (records, from, to, shardId, sequenceNumber, aggregated, attempt) => this.#succeedRange(records, from, to, shardId, sequenceNumber, aggregated, attempt),
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
    return this.#admission.records;
  }

  /** Bytes (data plus partition keys) of user records put and not yet settled. */
  get outstandingBytes(): number {
    return this.#admission.bytes;
  }

  /** Whether a `put()` now would be taken at once, without waiting for room. */
  get hasCapacity(): boolean {
    return this.#admission.hasCapacity;
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

  /**
   * Sends many user records: each as by {@link put}, in the order given, with one promise for all
   * of them instead of one each (cheaper per record: no promise, closure or promise job of its
   * own). Resolves once every record has settled, with each one's outcome at its index, as
   * `Promise.allSettled` gives them: `{ status: 'fulfilled', value: PutResult }` or
   * `{ status: 'rejected', reason }` with the error `put()` would reject with. Never rejects.
   * Records beyond the outstanding bounds wait for room, as puts do.
   */
  putMany(records: readonly UserRecordInput[]): Promise<PromiseSettledResult<PutResult>[]> {
    const count = records.length;
    const outcomes = new Array<PromiseSettledResult<PutResult>>(count);
    if (count === 0) return Promise.resolve(outcomes);
    let left = count;
    let done!: (outcomes: PromiseSettledResult<PutResult>[]) => void;
    const all = new Promise<PromiseSettledResult<PutResult>[]>((resolve) => (done = resolve));
    // One listener for the whole call; a record's index travels in its `slot`.
    const listener: SettleListener = (record, error, result) => {
      outcomes[record.slot] = error === undefined ? { status: 'fulfilled', value: result! } : { status: 'rejected', reason: error };
      if (--left === 0) done(outcomes);
    };
    for (let i = 0; i < count; i++) {
      const rejected = this.#submit(records[i]!, undefined, undefined, listener, undefined, i);
      if (rejected !== undefined) {
        outcomes[i] = { status: 'rejected', reason: rejected };
        if (--left === 0) done(outcomes);
      }
    }
    return all;
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
   * `resolve`/`reject` (put) or `listener` (a write stream, putMany with the record's `slot`); a
   * stream's `onAdmitted` is called on the next tick once it is admitted. Returns the validation
   * error when there is no `reject` (put() rejects).
   */
  #submit(
    input: UserRecordInput,
    resolve: ((result: PutResult) => void) | undefined,
    reject: ((error: Error) => void) | undefined,
    listener: SettleListener | undefined,
    onAdmitted: (() => void) | undefined,
    slot = 0,
  ): Error | undefined {
    let record: PendingRecord;
    try {
      if (this.#closed) throw new ProducerClosedError(this.#streamLabel);
      record = pendingRecordOf(input, this.config.maxRecordBytes, this.#streamLabel, this.#epochs.current, resolve, reject, listener, onAdmitted, slot);
    } catch (error) {
      if (reject === undefined) return error as Error;
      reject(error as Error);
      return undefined;
    }
    this.#epochs.added();
    this.#received++;
    if (this.#admission.offer(record)) this.#admit(record);
    return undefined;
  }

  /** A record the admission took in: its deadlines from now, then to the dispatcher. */
  #admit(record: PendingRecord): void {
    // Whole milliseconds: the record's time fields stay small integers, which V8 stores unboxed.
    const now = Math.floor(this.config.clock.now());
    record.arrivedAt = now;
    record.expiresAt = now + this.config.recordTtlMs;
    record.deadline = Math.min(now + this.config.recordMaxBufferedTimeMs, record.expiresAt);
    const onAdmitted = record.onAdmitted;
    if (onAdmitted !== undefined) {
      record.onAdmitted = undefined;
      process.nextTick(onAdmitted);
    }
    this.#dispatcher.add(record);
  }

  #settle(record: PendingRecord, error: Error | undefined, result?: PutResult): void {
    if (record.settled) return;
    this.#finish(record, error, result, this.listenerCount('metric') > 0);
    this.#admitWaiting();
  }

  /**
   * {@link #settle} for the records of one Kinesis record that succeeded, in one loop: the metric
   * check once, waiting puts admitted and `'drain'` emitted once, after all of them.
   */
  #succeedRange(records: readonly PendingRecord[], from: number, to: number, shardId: string, sequenceNumber: string, aggregated: boolean, attempt: Attempt): void {
    const metrics = this.listenerCount('metric') > 0;
    // Records sent once share one frozen attempt list.
    let firstTry: readonly Attempt[] | undefined;
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      if (record.settled) continue;
      if (record.attempts.length === 0) record.attempts = firstTry ??= Object.freeze([attempt]);
      else addAttempt(record, attempt);
      this.#finish(record, undefined, { shardId, sequenceNumber, subSequenceNumber: aggregated ? i : 0, aggregated, attempts: record.attempts }, metrics);
    }
    this.#admitWaiting();
  }

  /** Settles one unsettled record: frees its room, counts it, tells its put or stream, closes it in its flush epoch. */
  #finish(record: PendingRecord, error: Error | undefined, result: PutResult | undefined, metricListeners: boolean): void {
    record.settled = true;
    this.#admission.release(record);
    if (this.#metrics !== undefined) this.#metrics.settled(record, error, result?.shardId);
    if (metricListeners) this.#recordMetrics(record, error, result?.shardId);
    if (record.listener !== undefined) record.listener(record, error, result);
    else if (error !== undefined) record.reject!(error);
    else record.resolve!(result!);
    this.#epochs.settled(record.epoch);
  }

  /** Admits waiting puts while there is room; emits `'drain'` once none waits and there is room. */
  #admitWaiting(): void {
    if (this.#admission.admitWaiting(this.#admitRecord)) this.emit('drain');
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

