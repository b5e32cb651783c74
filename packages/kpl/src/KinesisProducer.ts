import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  RecordTooLargeError,
  hashKeyOf,
  parseExplicitHashKey,
  validateUserRecord,
  type ShardMap,
  type UserRecordInput,
} from '@kinesis-toolkit/aggregation';
import type { PendingRecord } from './buffering/PendingRecord';
import { resolveProducerOptions, type ProducerOptions, type ResolvedProducerOptions } from './config/ProducerOptions';
import { ProducerClosedError } from './errors/ProducerClosedError';
import { PutFailedError } from './errors/PutFailedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import type { ProducerEvents, ProducerMetricName } from './events/ProducerEvents';
import type { PutResult } from './PutResult';
import type { ErrorClass } from './retry/classifyError';
import { Dispatcher } from './sending/Dispatcher';

const RESOLVED = Promise.resolve();

/** A record waiting for room under the outstanding bounds. */
interface Admission {
  readonly input: UserRecordInput;
  /** The flush epoch it was submitted in (see flush()). */
  readonly epoch: number;
  readonly hashKey: bigint;
  readonly bytes: number;
  readonly resolve: (result: PutResult) => void;
  readonly reject: (error: Error) => void;
  readonly admitted: (() => void) | undefined;
}

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
  #waiting: Admission[] = [];
  #waitingHead = 0;
  // Unsettled records per flush epoch: flush() waits for its epoch and every earlier one.
  #epoch = 0;
  readonly #unsettledByEpoch = new Map<number, number>();
  readonly #flushWaiters: { epoch: number; resolve: () => void }[] = [];
  #outstandingRecords = 0;
  #outstandingBytes = 0;
  #backpressured = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(options: ProducerOptions) {
    super();
    this.config = resolveProducerOptions(options);
    this.#ownsClient = this.config.kinesisClient === undefined;
    // Our own client does not retry: the producer's backoff until the TTL is the only retry loop.
    this.#client = this.config.kinesisClient ?? new KinesisClient({ maxAttempts: 1 });
    this.#streamLabel = this.config.streamName ?? this.config.streamARN!;
    this.#dispatcher = new Dispatcher(this.config, this.#client, this.config, {
      succeed: (record, shardId, sequenceNumber, subSequenceNumber, aggregated) =>
        this.#settle(record, undefined, { shardId, sequenceNumber, subSequenceNumber, aggregated, attempts: record.attempts }),
      fail: (record, code, message, errorClass, cause) => this.#settle(record, this.#failure(record, code, message, errorClass, cause)),
      metric: (name, value, shardId, errorCode) => this.#metric(name, value, shardId, errorCode),
      shardMapRefreshed: (event) => this.emit('shardMapRefreshed', event),
    });
    void this.#dispatcher.start();
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
   * cannot fix), `RecordExpiredError` (not acknowledged within `recordTtlMs`) or
   * `ProducerClosedError`. While outstanding records or bytes are at their bounds, the record
   * waits for room before it is buffered.
   */
  put(record: UserRecordInput): Promise<PutResult> {
    return this.#submit(record, false).settled;
  }

  /** Sends everything buffered now; resolves when every `put()` made before it has settled. */
  async flush(): Promise<void> {
    const epoch = this.#epoch++;
    if (this.#settledThrough(epoch)) return;
    this.#dispatcher.flushing++;
    try {
      this.#dispatcher.pump();
      await new Promise<void>((resolve) => this.#flushWaiters.push({ epoch, resolve }));
    } finally {
      this.#dispatcher.flushing--;
    }
  }

  /** Whether no record submitted in `epoch` or before is unsettled. */
  #settledThrough(epoch: number): boolean {
    for (const pending of this.#unsettledByEpoch.keys()) if (pending <= epoch) return false;
    return true;
  }

  /** Flushes, then stops: later `put()` calls reject with `ProducerClosedError`. Idempotent. */
  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      while (this.#unsettledByEpoch.size > 0) await this.flush();
      this.#dispatcher.stop();
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
    const stream: Writable = new Writable({
      objectMode: true,
      highWaterMark: options.highWaterMark ?? 16,
      write: (record: UserRecordInput, _encoding, callback) => {
        const { admitted, settled } = this.#submit(record, true);
        settled.then(
          (result) => onSettled?.(record, undefined, result),
          (error: Error) => (onSettled !== undefined ? onSettled(record, error, undefined) : stream.destroy(error)),
        );
        admitted.then(() => callback(), callback);
      },
      final: (callback) => {
        this.flush().then(() => callback(), callback);
      },
    });
    return stream;
  }

  #submit(input: UserRecordInput, wantAdmitted: boolean): { admitted: Promise<void>; settled: Promise<PutResult> } {
    let admission: Admission | undefined;
    let admitted: (() => void) | undefined;
    // Only the write stream waits for admission; put() callers need not pay for the promise.
    const admittedPromise = wantAdmitted ? new Promise<void>((resolve) => (admitted = resolve)) : RESOLVED;
    const settled = new Promise<PutResult>((resolve, reject) => {
      try {
        if (this.#closed) throw new ProducerClosedError(this.#streamLabel);
        validateUserRecord(input);
        const bytes = input.data.length + Buffer.byteLength(input.partitionKey, 'utf8');
        if (bytes > this.config.maxRecordBytes) {
          throw new RecordTooLargeError(bytes, this.config.maxRecordBytes, 'the record (data plus partition key)', {
            partitionKey: input.partitionKey,
            streamName: this.#streamLabel,
          });
        }
        const hashKey = input.explicitHashKey === undefined ? hashKeyOf(input.partitionKey) : parseExplicitHashKey(input.explicitHashKey);
        admission = { input, epoch: this.#epoch, hashKey, bytes, resolve, reject, admitted };
      } catch (error) {
        reject(error as Error);
        admitted?.();
      }
    });
    if (admission !== undefined) {
      this.#unsettledByEpoch.set(admission.epoch, (this.#unsettledByEpoch.get(admission.epoch) ?? 0) + 1);
      if (this.#waitingCount === 0 && this.#hasRoom(admission.bytes)) this.#admit(admission);
      else {
        this.#backpressured = true;
        this.#waiting.push(admission);
      }
    }
    return { admitted: admittedPromise, settled };
  }

  #hasRoom(bytes: number): boolean {
    if (this.#outstandingRecords === 0) return true;
    return this.#outstandingRecords < this.config.maxOutstandingRecords && this.#outstandingBytes + bytes <= this.config.maxOutstandingBytes;
  }

  #admit(admission: Admission): void {
    const now = this.config.clock.now();
    const { input } = admission;
    const expiresAt = now + this.config.recordTtlMs;
    const record: PendingRecord = {
      partitionKey: input.partitionKey,
      explicitHashKey: input.explicitHashKey,
      data: input.data,
      hashKey: admission.hashKey,
      bytes: admission.bytes,
      arrivedAt: now,
      expiresAt,
      epoch: admission.epoch,
      deadline: Math.min(now + this.config.recordMaxBufferedTimeMs, expiresAt),
      attempts: [],
      settled: false,
      resolve: admission.resolve,
      reject: admission.reject,
    };
    this.#outstandingRecords++;
    this.#outstandingBytes += record.bytes;
    // Taking the last room is backpressure too: 'drain' must follow when room returns.
    if (!this.#hasRoom(1)) this.#backpressured = true;
    admission.admitted?.();
    this.#dispatcher.add(record);
  }

  #settle(record: PendingRecord, error: Error | undefined, result?: PutResult): void {
    if (record.settled) return;
    record.settled = true;
    this.#outstandingRecords--;
    this.#outstandingBytes -= record.bytes;
    if (this.listenerCount('metric') > 0) this.#recordMetrics(record, error, result?.shardId);
    if (error !== undefined) record.reject(error);
    else record.resolve(result!);
    this.#countSettled(record.epoch);
    while (this.#waitingCount > 0 && this.#hasRoom(this.#waiting[this.#waitingHead]!.bytes)) this.#admit(this.#nextWaiting());
    if (this.#backpressured && this.#waitingCount === 0 && this.#hasRoom(1)) {
      this.#backpressured = false;
      this.emit('drain');
    }
  }

  #nextWaiting(): Admission {
    const next = this.#waiting[this.#waitingHead]!;
    this.#waiting[this.#waitingHead++] = undefined as unknown as Admission;
    if (this.#waitingHead === this.#waiting.length) {
      this.#waiting = [];
      this.#waitingHead = 0;
    } else if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    return next;
  }

  #countSettled(epoch: number): void {
    const left = (this.#unsettledByEpoch.get(epoch) ?? 1) - 1;
    if (left > 0) {
      this.#unsettledByEpoch.set(epoch, left);
      return;
    }
    this.#unsettledByEpoch.delete(epoch);
    for (let i = this.#flushWaiters.length - 1; i >= 0; i--) {
      const waiter = this.#flushWaiters[i]!;
      if (this.#settledThrough(waiter.epoch)) {
        this.#flushWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  #failure(record: PendingRecord, code: string, message: string, errorClass: ErrorClass | 'expired', cause: unknown): Error {
    const context = { streamName: this.#streamLabel, partitionKey: record.partitionKey };
    if (errorClass === 'expired') return new RecordExpiredError(this.config.recordTtlMs, [...record.attempts], context);
    return new PutFailedError(code, message, [...record.attempts], { retryable: errorClass !== 'fatal', cause, context });
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
    this.emit('metric', { name, value, unit, shardId, errorCode, timestamp: this.config.clock.now() });
  }
}
