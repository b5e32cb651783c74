import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  givenOptions,
  rejectUnknownOptions,
  requireAbortSignal,
  requireAwsClient,
  requireClock,
  requireInteger,
  requireLogger,
  resolveRandom,
  resolveRetryOptions,
  type Clock,
  type Logger,
  type ResolvedRetryOptions,
  type RetryOptions,
} from '@kinesis-toolkit/core';

/** Options of a {@link CloudWatchMetricsSink}. */
export interface CloudWatchMetricsSinkOptions {
  /**
   * The client PutMetricData is sent with. Give it `maxAttempts: 1`: the sink's retry policy is the
   * one retry layer. @defaultValue `new CloudWatchClient(SDK_CLIENT_DEFAULTS)` — `maxAttempts: 1`, the default credential chain and region
   */
  readonly cloudWatchClient?: CloudWatchClient;
  /**
   * Most datums waiting to be sent. Past it, new datums are dropped (counted in `dropped` and logged):
   * the data path never waits for CloudWatch. @defaultValue 10000 (the KCL's metricsMaxQueueSize)
   */
  readonly maxQueuedDatums?: number;
  /** Most datums in one PutMetricData request (CloudWatch takes up to 1000). @defaultValue 1000 */
  readonly maxDatumsPerRequest?: number;
  /** The deadline of each PutMetricData attempt. @defaultValue 10000 */
  readonly requestTimeoutMs?: number;
  /** Retries of a request that failed for a reason that may pass (core's RetryPolicy). @defaultValue `{ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10000 }` */
  readonly retry?: RetryOptions;
  /** Where drops and failed requests are reported (at warn). @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /**
   * Aborts the request in flight, its retries and every request after it (a shutdown deadline): the
   * datums not sent are counted in `failed`, with one line at warn. @defaultValue none
   */
  readonly signal?: AbortSignal;
  /** Randomness for backoff jitter. @defaultValue Math.random */
  readonly random?: () => number;
}

/** The sink's complete configuration. */
export interface ResolvedCloudWatchMetricsSinkOptions {
  readonly cloudWatchClient: CloudWatchClient | undefined;
  readonly maxQueuedDatums: number;
  readonly maxDatumsPerRequest: number;
  readonly requestTimeoutMs: number;
  readonly retry: ResolvedRetryOptions;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  readonly random: () => number;
}

/** Every default of {@link CloudWatchMetricsSinkOptions} (the README's table is checked against it). */
export const CLOUDWATCH_METRICS_SINK_DEFAULTS = Object.freeze({
  maxQueuedDatums: 10000,
  maxDatumsPerRequest: 1000,
  requestTimeoutMs: 10000,
  retry: Object.freeze({ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 10000 }),
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
});

/**
 * Validates the sink's options once and fills in every default.
 * @throws InvalidArgumentError naming the option: `name: expected …, got …`.
 */
export function resolveCloudWatchMetricsSinkOptions(options: CloudWatchMetricsSinkOptions = {}): ResolvedCloudWatchMetricsSinkOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', given, [...Object.keys(CLOUDWATCH_METRICS_SINK_DEFAULTS), 'cloudWatchClient', 'signal']);
  const d = CLOUDWATCH_METRICS_SINK_DEFAULTS;
  return Object.freeze({
    cloudWatchClient: given.cloudWatchClient === undefined ? undefined : requireAwsClient<CloudWatchClient>('cloudWatchClient', given.cloudWatchClient, 'a CloudWatchClient'),
    maxQueuedDatums: requireInteger('maxQueuedDatums', given.maxQueuedDatums ?? d.maxQueuedDatums, 1, 10_000_000),
    maxDatumsPerRequest: requireInteger('maxDatumsPerRequest', given.maxDatumsPerRequest ?? d.maxDatumsPerRequest, 1, 1000),
    requestTimeoutMs: requireInteger('requestTimeoutMs', given.requestTimeoutMs ?? d.requestTimeoutMs, 100, 600_000),
    retry: resolveRetryOptions({ ...d.retry, ...givenOptions('retry', given.retry) }, 'retry'),
    logger: requireLogger('logger', given.logger ?? d.logger),
    clock: requireClock('clock', given.clock ?? d.clock),
    signal: given.signal === undefined ? undefined : requireAbortSignal('signal', given.signal),
    random: resolveRandom('random', given.random),
  });
}
