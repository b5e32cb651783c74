import { CONNECTOR_NAMESPACE, METRICS_LEVELS, NOOP_LOGGER, RetryPolicy, requireOneOf, type MetricsLevel, type MetricsRecorder, SYSTEM_CLOCK, rejectUnknownOptions, requireFunction, requireInteger, requireString, resolveRandom, resolveRetryOptions, type Clock, type Logger, type ResolvedRetryOptions, givenOptions, requireClock, requireLogger, requireMethods } from '@kinesis-toolkit/core';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import { resolveBufferOptions } from '../buffers/BufferOptions';
import { MemoryBuffer } from '../buffers/MemoryBuffer';
import type { BufferThresholds, RecordBuffer } from '../buffers/RecordBuffer';
import type { Emitter } from '../emitters/Emitter';
import type { FailureSink } from '../failures/FailureRecord';
import type { Filter } from '../filters/Filter';
import type { Transformer } from '../transformers/Transformer';

/**
 * How failed items are retried before they go to the failure sink: core's {@link RetryPolicy}
 * (full jitter). This is an item's one retry budget: emitters do not retry on top of it (what a
 * sink left undone — DynamoDB's UnprocessedItems, a failed HTTP request — comes back as failed
 * items and is retried here), and items that failed for a reason a retry cannot fix (the error's
 * `retryable` is false: an invalid item, access denied, a missing bucket) go to the failure sink
 * after their first attempt.
 */
export interface PipelineRetryOptions {
  /** Emits of an item in total (the first try included, at most 1000) before it goes to the failure sink. @defaultValue 3 */
  readonly maxAttempts?: number;
  /** The first retry waits up to this long (full jitter, doubling per retry). @defaultValue 100 */
  readonly baseDelayMs?: number;
  /** No wait between retries is longer than this. @defaultValue 10000 */
  readonly maxDelayMs?: number;
}

/** What a buffer factory is given: one buffer is made per shard. */
export interface BufferContext {
  readonly shardId: string;
  readonly clock: Clock;
}

/** Makes a shard's buffer, for a {@link RecordBuffer} of your own. */
export type BufferFactory<T> = (context: BufferContext) => RecordBuffer<T>;

/** Options of {@link createPipeline}. Only `transformer` and `emitter` are required. */
export interface PipelineOptions<T, U> {
  /** Record → items, item → what the emitter writes. */
  readonly transformer: Transformer<T, U>;
  /** Writes flushed batches. */
  readonly emitter: Emitter<U>;
  /** Which items reach the buffer. @defaultValue keep every item */
  readonly filter?: Filter<T>;
  /** Flush thresholds for the default {@link MemoryBuffer}, or a factory of your own buffer. @defaultValue `BUFFER_DEFAULTS` */
  readonly buffer?: BufferThresholds | BufferFactory<T>;
  /** The size of an item, as `maxBytes` counts it. @defaultValue the byte length of the item's record's data */
  readonly itemBytes?: (item: T, record: UserRecord) => number;
  /**
   * Where records go that the transformer rejected, that the sink refused for good, or that
   * failed every emit attempt. Without one, such records are retried (one attempt per round,
   * each round logged at `error` and reported as `retriesExhausted`) and nothing is
   * checkpointed past them.
   * @defaultValue none
   */
  readonly failureSink?: FailureSink;
  /** Retries of failed items. @defaultValue `{ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10000 }` */
  readonly retry?: PipelineRetryOptions;
  /** The stream's name, passed to the emitter in every batch. @defaultValue '' */
  readonly streamName?: string;
  /**
   * Where the pipeline's metrics go (core's `MetricsRecorder` with the sinks of your choice):
   * RecordsEmitted, BytesEmitted, EmitFailures, RecordsDeadLettered, BufferAge, CheckpointLag per
   * stream and shard. Without it, no metric is computed. @defaultValue none
   */
  readonly metrics?: MetricsRecorder;
  /** Which metrics are published: `NONE`, `SUMMARY` or `DETAILED`. @defaultValue 'DETAILED' */
  readonly metricsLevel?: MetricsLevel;
  /** The CloudWatch namespace of the metrics. @defaultValue 'KinesisConnector' */
  readonly metricsNamespace?: string;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** Time source for buffer age, the age timer and backoff. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Randomness for backoff jitter, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /** Epoch milliseconds, for the timestamps of failure records. @defaultValue Date.now */
  readonly wallClock?: () => number;
}

/** The complete, validated configuration a pipeline runs with. */
export interface ResolvedPipelineOptions<T, U> {
  readonly transformer: Transformer<T, U>;
  readonly emitter: Emitter<U>;
  readonly filter: Filter<T> | undefined;
  readonly buffer: BufferFactory<T>;
  readonly itemBytes: (item: T, record: UserRecord) => number;
  readonly failureSink: FailureSink | undefined;
  readonly retry: ResolvedRetryOptions;
  /** The one retry policy of every item (built from `retry`, `clock` and `random`). */
  readonly retryPolicy: RetryPolicy;
  readonly streamName: string;
  readonly metrics: MetricsRecorder | undefined;
  readonly metricsLevel: MetricsLevel;
  readonly metricsNamespace: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: () => number;
  readonly wallClock: () => number;
}

/** Every pipeline default in one place (the README's table is checked against it). */
export const PIPELINE_DEFAULTS = Object.freeze({
  retry: Object.freeze({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10000 }),
  streamName: '',
  metricsLevel: 'DETAILED' as MetricsLevel,
  metricsNamespace: CONNECTOR_NAMESPACE,
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
  wallClock: Date.now,
});

const KNOWN = [...Object.keys(PIPELINE_DEFAULTS), 'metrics', 'transformer', 'emitter', 'filter', 'buffer', 'itemBytes', 'failureSink'];

const defaultItemBytes = (_item: unknown, record: UserRecord): number => record.data.length;

/**
 * Validates pipeline options once and fills in every default.
 * @throws InvalidArgumentError (a TypeError) naming the option, what was expected and what came.
 */
export function resolvePipelineOptions<T, U>(options: PipelineOptions<T, U>): ResolvedPipelineOptions<T, U> {
  const given = givenOptions('options', options) as Partial<PipelineOptions<T, U>>;
  rejectUnknownOptions('', options, KNOWN);
  const transformer = requireMethods<Transformer<T, U>>('transformer', given.transformer, ['toItem', 'toEmittable'], 'a transformer');
  const emitter = requireMethods<Emitter<U>>('emitter', given.emitter, ['emit'], 'an emitter');
  const filter = given.filter === undefined ? undefined : requireMethods<Filter<T>>('filter', given.filter, ['keep'], 'a filter');
  const failureSink = given.failureSink === undefined ? undefined : requireMethods<FailureSink>('failureSink', given.failureSink, ['put'], 'a failure sink');
  const itemBytes = given.itemBytes === undefined ? defaultItemBytes : (requireFunction('itemBytes', given.itemBytes) as (item: T, record: UserRecord) => number);

  let buffer: BufferFactory<T>;
  if (typeof given.buffer === 'function') {
    buffer = given.buffer;
  } else {
    // Validate the thresholds now, not when the first shard starts.
    const thresholds = resolveBufferOptions(given.buffer ?? {});
    buffer = ({ clock }) => new MemoryBuffer<T>(thresholds, clock);
  }

  const retry = resolveRetryOptions({ ...PIPELINE_DEFAULTS.retry, ...givenOptions('retry', given.retry) }, 'retry');
  requireInteger('retry.maxAttempts', retry.maxAttempts, 1, 1000);
  const clock = requireClock('clock', given.clock ?? PIPELINE_DEFAULTS.clock);
  const random = resolveRandom('random', given.random);
  const resolved: ResolvedPipelineOptions<T, U> = {
    transformer,
    emitter,
    filter,
    buffer,
    itemBytes,
    failureSink,
    retry,
    retryPolicy: new RetryPolicy(retry, { clock, random }),
    streamName: requireString('streamName', given.streamName ?? PIPELINE_DEFAULTS.streamName, { minLength: 0 }),
    metrics: given.metrics === undefined ? undefined : requireMethods<MetricsRecorder>('metrics', given.metrics, ['namespace'], 'a MetricsRecorder'),
    metricsLevel: requireOneOf('metricsLevel', given.metricsLevel ?? PIPELINE_DEFAULTS.metricsLevel, METRICS_LEVELS),
    metricsNamespace: requireString('metricsNamespace', given.metricsNamespace ?? PIPELINE_DEFAULTS.metricsNamespace, { maxLength: 255 }),
    logger: requireLogger('logger', given.logger ?? PIPELINE_DEFAULTS.logger),
    clock,
    random,
    wallClock: requireFunction('wallClock', given.wallClock ?? PIPELINE_DEFAULTS.wallClock) as () => number,
  };
  return Object.freeze(resolved);
}
