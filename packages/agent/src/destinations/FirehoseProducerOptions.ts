import { FirehoseClient } from '@aws-sdk/client-firehose';
import {
  NOOP_LOGGER,
  SDK_CLIENT_DEFAULTS,
  SYSTEM_CLOCK,
  rejectUnknownOptions,
  requireAwsClient,
  requireInteger,
  requireObject,
  requireString,
  resolveRandom,
  resolveRetryOptions,
  withoutUndefined,
  type Clock,
  type Logger,
  type RetryOptions,
} from '@kinesis-toolkit/core';
import { FIREHOSE_MAX_BATCH_BYTES, FIREHOSE_MAX_BATCH_RECORDS } from '../config/ProduceOptions';

/** Options of a {@link FirehoseProducer}; `deliveryStreamName` is required. */
export interface FirehoseProducerOptions {
  /** The delivery stream (the agent's `deliveryStream`). */
  readonly deliveryStreamName?: string;
  /** @defaultValue a client of its own (`new FirehoseClient({ maxAttempts: 1 })`) */
  readonly client?: FirehoseClient;
  /** Most records in one PutRecordBatch (Firehose: 500). @defaultValue 500 */
  readonly maxBatchRecords?: number;
  /** Most bytes in one PutRecordBatch (Firehose: 4 MiB). @defaultValue 4194304 */
  readonly maxBatchBytes?: number;
  /** A record waits at most this long before its batch is sent (the agent's `maxBufferAgeMillis`). @defaultValue 60000 */
  readonly maxBufferedTimeMs?: number;
  /** A record not acknowledged this long after `put()` (retries included) fails with `RecordExpired`. @defaultValue 86400000 (24 h) */
  readonly recordTtlMs?: number;
  /** Backoff of retried records and requests (maxAttempts is ignored: records retry until their TTL). @defaultValue `{ baseDelayMs: 100, maxDelayMs: 10000 }` */
  readonly retry?: RetryOptions;
  /** Each PutRecordBatch attempt not answered in this time is abandoned (and retried). @defaultValue 30000 */
  readonly requestTimeoutMs?: number;
  /** PutRecordBatch calls in flight at once. @defaultValue 4 */
  readonly maxConcurrentRequests?: number;
  /** `hasCapacity` turns false at this many unsettled records; `drain` fires when it turns true. @defaultValue 10000 */
  readonly maxOutstandingRecords?: number;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** Backoff jitter in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/** Every default of {@link FirehoseProducerOptions}. */
export const FIREHOSE_PRODUCER_DEFAULTS = Object.freeze({
  maxBatchRecords: FIREHOSE_MAX_BATCH_RECORDS,
  maxBatchBytes: FIREHOSE_MAX_BATCH_BYTES,
  maxBufferedTimeMs: 60_000,
  recordTtlMs: 86_400_000,
  retry: Object.freeze({ baseDelayMs: 100, maxDelayMs: 10_000 }),
  requestTimeoutMs: 30_000,
  maxConcurrentRequests: 4,
  maxOutstandingRecords: 10_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link FirehoseProducer}. */
export interface ResolvedFirehoseProducerOptions {
  readonly deliveryStreamName: string;
  readonly client: FirehoseClient;
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly maxBufferedTimeMs: number;
  readonly recordTtlMs: number;
  readonly retry: { readonly baseDelayMs: number; readonly maxDelayMs: number };
  readonly requestTimeoutMs: number;
  readonly maxConcurrentRequests: number;
  readonly maxOutstandingRecords: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

/**
 * Validates {@link FirehoseProducerOptions} once and fills in the defaults.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveFirehoseProducerOptions(options: FirehoseProducerOptions): ResolvedFirehoseProducerOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, [...Object.keys(FIREHOSE_PRODUCER_DEFAULTS), 'deliveryStreamName', 'client', 'random']);
  const merged = { ...FIREHOSE_PRODUCER_DEFAULTS, ...withoutUndefined(options) };
  const retry = resolveRetryOptions({ ...FIREHOSE_PRODUCER_DEFAULTS.retry, ...merged.retry, maxAttempts: 1 }, 'retry');
  return Object.freeze({
    deliveryStreamName: requireString('deliveryStreamName', merged.deliveryStreamName, { maxLength: 64 }),
    client: merged.client === undefined ? new FirehoseClient({ ...SDK_CLIENT_DEFAULTS }) : requireAwsClient<FirehoseClient>('client', merged.client, 'a FirehoseClient'),
    maxBatchRecords: requireInteger('maxBatchRecords', merged.maxBatchRecords, 1, FIREHOSE_MAX_BATCH_RECORDS),
    maxBatchBytes: requireInteger('maxBatchBytes', merged.maxBatchBytes, 1, FIREHOSE_MAX_BATCH_BYTES),
    maxBufferedTimeMs: requireInteger('maxBufferedTimeMs', merged.maxBufferedTimeMs, 0, 2 ** 31 - 1),
    recordTtlMs: requireInteger('recordTtlMs', merged.recordTtlMs, 100, Number.MAX_SAFE_INTEGER),
    retry: Object.freeze({ baseDelayMs: retry.baseDelayMs, maxDelayMs: retry.maxDelayMs }),
    requestTimeoutMs: requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1),
    maxConcurrentRequests: requireInteger('maxConcurrentRequests', merged.maxConcurrentRequests, 1, 1000),
    maxOutstandingRecords: requireInteger('maxOutstandingRecords', merged.maxOutstandingRecords, 1, 10_000_000),
    clock: merged.clock,
    random: resolveRandom('random', options.random),
    logger: merged.logger,
  });
}
