import { EventEmitter } from 'node:events';
import { PutRecordBatchCommand, type PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import { RetryPolicy, callAws, classifyAwsError, classifyAwsErrorCode, type AwsClientLike, type TimerHandle } from '@kinesis-toolkit/core';
import { AgentError } from '../errors/AgentError';
import { FIREHOSE_MAX_RECORD_BYTES } from '../config/ProduceOptions';
import { resolveFirehoseProducerOptions, type FirehoseProducerOptions, type ResolvedFirehoseProducerOptions } from './FirehoseProducerOptions';
import type { SendCallOutcome } from '../metrics/AgentMetrics';

/** What a {@link FirehoseProducer.put} resolves with. */
export interface FirehosePutResult {
  /** Firehose's id of the record. */
  readonly recordId: string;
  /** PutRecordBatch calls that carried the record (1 unless it was retried). */
  readonly attempts: number;
}

interface Pending {
  readonly data: Buffer;
  readonly deadlineAt: number;
  attempts: number;
  readonly resolve: (result: FirehosePutResult) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Sends records to a Firehose delivery stream with `PutRecordBatch`, the way the Kinesis Agent
 * does: records are buffered until `maxBatchRecords` (≤ 500), `maxBatchBytes` (≤ 4 MiB) or
 * `maxBufferedTimeMs` is reached; each call goes through core's `callAws` (a deadline per
 * attempt, the classifier, the retry policy for a request that failed as a whole). A record that
 * Firehose answers with an `ErrorCode` is classified with `classifyAwsErrorCode`: throttled and
 * transient ones are sent again in a later batch after a backoff of the same {@link RetryPolicy},
 * until the record's `recordTtlMs`; fatal ones fail that record at once. Every `put` settles:
 * acknowledged, or rejected with an {@link AgentError} (`RecordTooLarge`, `FirehoseRecordFailed`,
 * `RecordExpired`, `ProducerClosed`).
 *
 * It has the shape the agent's pipeline needs from `KinesisProducer`: `put`, `flush`,
 * `hasCapacity` and a `drain` event.
 */
export class FirehoseProducer extends EventEmitter {
  readonly #config: ResolvedFirehoseProducerOptions;
  readonly #policy: RetryPolicy;
  #ready: Pending[] = [];
  #readyBytes = 0;
  #outstanding = 0;
  #inFlight = 0;
  #timer: TimerHandle | undefined;
  #timerAt = Infinity;
  #oldestAt: number | undefined;
  #flushWaiters: (() => void)[] = [];
  #flushing = 0;
  #closed = false;
  readonly #retryTimers = new Set<TimerHandle>();

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: FirehoseProducerOptions) {
    super();
    this.#config = resolveFirehoseProducerOptions(options);
    const { retry, clock, random } = this.#config;
    this.#policy = new RetryPolicy({ ...retry, maxAttempts: Infinity }, { clock, random });
  }

  /** Whether `put` may be called without waiting for `drain` (fewer than `maxOutstandingRecords` unsettled). */
  get hasCapacity(): boolean {
    return this.#outstanding < this.#config.maxOutstandingRecords;
  }

  /** Records put and not settled yet. */
  get outstanding(): number {
    return this.#outstanding;
  }

  /**
   * Buffers one record (its partition key is not used: Firehose has none).
   * @returns a promise that settles once Firehose acknowledged the record or it failed for good.
   */
  put(record: { readonly partitionKey?: string; readonly data: Uint8Array }): Promise<FirehosePutResult> {
    const context = { deliveryStreamName: this.#config.deliveryStreamName };
    if (this.#closed) return Promise.reject(new AgentError('ProducerClosed', 'the Firehose producer is closed', { context }));
    const data = Buffer.from(record.data.buffer, record.data.byteOffset, record.data.byteLength);
    if (data.length > FIREHOSE_MAX_RECORD_BYTES) {
      return Promise.reject(
        new AgentError('RecordTooLarge', `record: expected at most ${FIREHOSE_MAX_RECORD_BYTES} bytes (Firehose's 1,000 KiB), got ${data.length}`, { context }),
      );
    }
    return new Promise<FirehosePutResult>((resolve, reject) => {
      this.#outstanding += 1;
      const settle = <T>(done: (value: T) => void) => (value: T) => {
        this.#outstanding -= 1;
        done(value);
        this.#afterSettle();
      };
      const now = this.#config.clock.now();
      this.#enqueue({ data, deadlineAt: now + this.#config.recordTtlMs, attempts: 0, resolve: settle(resolve), reject: settle(reject) });
      this.#pump();
    });
  }

  /** Sends everything buffered now and resolves once every record put so far has settled. */
  async flush(): Promise<void> {
    if (this.#outstanding === 0) return;
    this.#flushing += 1;
    try {
      this.#pump();
      await new Promise<void>((resolve) => this.#flushWaiters.push(resolve));
    } finally {
      this.#flushing -= 1;
    }
  }

  /** Flushes, then refuses further puts. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    if (this.#timer !== undefined) this.#config.clock.clearTimeout(this.#timer);
    for (const timer of this.#retryTimers) this.#config.clock.clearTimeout(timer);
  }

  #enqueue(pending: Pending): void {
    this.#ready.push(pending);
    this.#readyBytes += pending.data.length;
    this.#oldestAt ??= this.#config.clock.now();
  }

  /** Sends full batches (all batches when flushing or old enough) while there is room; arms the age timer. */
  #pump(): void {
    const { maxBatchRecords, maxBatchBytes, maxBufferedTimeMs, maxConcurrentRequests, clock } = this.#config;
    while (this.#ready.length > 0 && this.#inFlight < maxConcurrentRequests) {
      const full = this.#ready.length >= maxBatchRecords || this.#readyBytes >= maxBatchBytes;
      const due = this.#oldestAt !== undefined && clock.now() - this.#oldestAt >= maxBufferedTimeMs;
      if (!full && !due && this.#flushing === 0) break;
      void this.#send(this.#takeBatch());
    }
    this.#armTimer();
  }

  #takeBatch(): Pending[] {
    const { maxBatchRecords, maxBatchBytes } = this.#config;
    let bytes = 0;
    let count = 0;
    while (count < this.#ready.length && count < maxBatchRecords) {
      const size = this.#ready[count]!.data.length;
      if (count > 0 && bytes + size > maxBatchBytes) break;
      bytes += size;
      count += 1;
    }
    const batch = this.#ready.splice(0, count);
    this.#readyBytes -= bytes;
    this.#oldestAt = this.#ready.length > 0 ? this.#config.clock.now() : undefined;
    return batch;
  }

  #armTimer(): void {
    const { clock, maxBufferedTimeMs } = this.#config;
    const at = this.#ready.length > 0 && this.#oldestAt !== undefined ? this.#oldestAt + maxBufferedTimeMs : Infinity;
    if (at === this.#timerAt) return;
    if (this.#timer !== undefined) clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = at;
    if (at === Infinity) return;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    }, Math.max(0, at - clock.now()));
  }

  async #send(batch: Pending[]): Promise<void> {
    const { client, deliveryStreamName, requestTimeoutMs, logger } = this.#config;
    this.#inFlight += 1;
    for (const record of batch) record.attempts += 1;
    const context = { deliveryStreamName };
    let output: PutRecordBatchCommandOutput;
    try {
      output = await callAws(client as AwsClientLike, new PutRecordBatchCommand({ DeliveryStreamName: deliveryStreamName, Records: batch.map((r) => ({ Data: r.data })) }), {
        service: 'Firehose',
        timeoutMs: requestTimeoutMs,
        retry: this.#policy,
        deadlineAt: Math.min(...batch.map((r) => r.deadlineAt)),
        context,
        logger,
        // An attempt that failed as a whole, retried: a service error of the agent's metrics.
        onRetry: () => this.#sendCall({ records: batch.length, failed: 0, bytesSent: 0, serviceError: true }),
      });
    } catch (error) {
      this.#inFlight -= 1;
      this.#sendCall({ records: batch.length, failed: 0, bytesSent: 0, serviceError: true });
      const retryable = classifyAwsError(error).retryable;
      for (const record of batch) {
        if (retryable) this.#retryOrExpire(record, error);
        else record.reject(new AgentError('FirehoseRecordFailed', `PutRecordBatch to ${deliveryStreamName} failed: ${(error as Error).message}`, { cause: error, context }));
      }
      this.#pump();
      return;
    }
    this.#inFlight -= 1;
    const responses = output.RequestResponses ?? [];
    if (this.listenerCount('sendCall') > 0) {
      let failed = 0;
      let bytesSent = 0;
      batch.forEach((record, index) => {
        if (responses[index]?.ErrorCode == null && responses.length === batch.length) bytesSent += record.data.length;
        else failed++;
      });
      this.#sendCall({ records: batch.length, failed, bytesSent, serviceError: false });
    }
    if (responses.length !== batch.length) {
      // An answer that does not match the request: nothing in it can be trusted, so send all again.
      logger.warn(context, `PutRecordBatch answered ${responses.length} results for ${batch.length} records; sending them again`);
      for (const record of batch) this.#retryOrExpire(record, new Error('PutRecordBatch answered a result count that does not match the request'));
    } else {
      batch.forEach((record, index) => {
        const response = responses[index]!;
        if (response.ErrorCode === undefined || response.ErrorCode === null) {
          record.resolve({ recordId: response.RecordId ?? '', attempts: record.attempts });
          return;
        }
        const error = new AgentError('FirehoseRecordFailed', `${response.ErrorCode}: ${response.ErrorMessage ?? 'no message'}`, {
          retryable: classifyAwsErrorCode(response.ErrorCode) !== 'fatal',
          context: { ...context, errorCode: response.ErrorCode },
        });
        if (error.retryable) this.#retryOrExpire(record, error);
        else record.reject(error);
      });
    }
    this.#pump();
  }

  /** The `sendCall` event (one per PutRecordBatch call), for the agent's metrics; built only while listened to. */
  #sendCall(outcome: SendCallOutcome): void {
    if (this.listenerCount('sendCall') > 0) this.emit('sendCall', outcome);
  }

  /** Schedules a failed record for a later batch after the policy's backoff, unless its time to live would pass first. */
  #retryOrExpire(record: Pending, cause: unknown): void {
    const { clock, deliveryStreamName } = this.#config;
    const delay = this.#policy.delayMs(record.attempts);
    if (clock.now() + delay >= record.deadlineAt || this.#closed) {
      record.reject(
        new AgentError('RecordExpired', `record not acknowledged by ${deliveryStreamName} within recordTtlMs (${this.#config.recordTtlMs} ms, ${record.attempts} attempts): ${(cause as Error)?.message ?? String(cause)}`, {
          retryable: true,
          cause,
          context: { deliveryStreamName, attempts: record.attempts },
        }),
      );
      return;
    }
    const timer = clock.setTimeout(() => {
      this.#retryTimers.delete(timer);
      this.#enqueue(record);
      this.#pump();
    }, delay);
    this.#retryTimers.add(timer);
  }

  #afterSettle(): void {
    if (this.#outstanding === this.#config.maxOutstandingRecords - 1) this.emit('drain');
    if (this.#outstanding === 0) for (const wake of this.#flushWaiters.splice(0)) wake();
  }
}
