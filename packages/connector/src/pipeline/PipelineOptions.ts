import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import { resolveBufferOptions } from '../buffers/BufferOptions';
import { MemoryBuffer } from '../buffers/MemoryBuffer';
import type { BufferThresholds, RecordBuffer } from '../buffers/RecordBuffer';
import type { Emitter } from '../emitters/Emitter';
import type { FailureSink } from '../failures/FailureRecord';
import type { Filter } from '../filters/Filter';
import type { Transformer } from '../transformers/Transformer';

/** How failed items are retried before they go to the failure sink. */
export interface PipelineRetryOptions {
  /** Emits of an item in total (the first try included) before it goes to the failure sink. @defaultValue 3 */
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
   * Where records go that the transformer rejected or that failed every emit attempt. Without
   * one, such records are retried forever and nothing is checkpointed past them.
   * @defaultValue none
   */
  readonly failureSink?: FailureSink;
  /** Retries of failed items. @defaultValue `{ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10000 }` */
  readonly retry?: PipelineRetryOptions;
  /** The stream's name, passed to the emitter in every batch. @defaultValue '' */
  readonly streamName?: string;
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
  readonly retry: Readonly<Required<PipelineRetryOptions>>;
  readonly streamName: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: () => number;
  readonly wallClock: () => number;
}

/** Every pipeline default in one place (the README's table is checked against it). */
export const PIPELINE_DEFAULTS = Object.freeze({
  retry: Object.freeze({ maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 10000 }),
  streamName: '',
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
  wallClock: Date.now,
});

const KNOWN = new Set([...Object.keys(PIPELINE_DEFAULTS), 'transformer', 'emitter', 'filter', 'buffer', 'itemBytes', 'failureSink']);
const RETRY_KNOWN = new Set(Object.keys(PIPELINE_DEFAULTS.retry));

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

function hasMethods(name: string, value: unknown, methods: readonly string[], expected: string): void {
  const ok = value !== null && typeof value === 'object' && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!ok) throw new TypeError(`${name}: expected ${expected}, got ${show(value)}`);
}

const defaultItemBytes = (_item: unknown, record: UserRecord): number => record.data.length;

/**
 * Validates pipeline options once and fills in every default.
 * @throws TypeError naming the option, what was expected and what came.
 */
export function resolvePipelineOptions<T, U>(options: PipelineOptions<T, U>): ResolvedPipelineOptions<T, U> {
  if (options === null || typeof options !== 'object') throw new TypeError(`options: expected an object, got ${show(options)}`);
  for (const name of Object.keys(options)) if (!KNOWN.has(name)) throw new TypeError(`${name}: not a pipeline option`);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<PipelineOptions<T, U>>;
  hasMethods('transformer', given.transformer, ['toItem', 'toEmittable'], 'a transformer with toItem(record) and toEmittable(item)');
  hasMethods('emitter', given.emitter, ['emit'], 'an emitter with emit(batch)');
  if (given.filter !== undefined) hasMethods('filter', given.filter, ['keep'], 'a filter with keep(item)');
  if (given.failureSink !== undefined) hasMethods('failureSink', given.failureSink, ['put'], 'a failure sink with put(records)');
  if (given.itemBytes !== undefined && typeof given.itemBytes !== 'function') throw new TypeError(`itemBytes: expected a function (item, record) => number, got ${show(given.itemBytes)}`);

  let buffer: BufferFactory<T>;
  if (typeof given.buffer === 'function') {
    buffer = given.buffer;
  } else {
    // Validate the thresholds now, not when the first shard starts.
    const thresholds = resolveBufferOptions(given.buffer ?? {});
    buffer = ({ clock }) => new MemoryBuffer<T>(thresholds, clock);
  }

  if (given.retry !== undefined) {
    if (given.retry === null || typeof given.retry !== 'object') throw new TypeError(`retry: expected an object like { maxAttempts, baseDelayMs, maxDelayMs }, got ${show(given.retry)}`);
    for (const name of Object.keys(given.retry)) if (!RETRY_KNOWN.has(name)) throw new TypeError(`retry.${name}: not a retry option (expected maxAttempts, baseDelayMs or maxDelayMs)`);
  }
  const retry = Object.freeze({
    ...PIPELINE_DEFAULTS.retry,
    ...Object.fromEntries(Object.entries(given.retry ?? {}).filter(([, value]) => value !== undefined)),
  }) as Readonly<Required<PipelineRetryOptions>>;
  integer('retry.maxAttempts', retry.maxAttempts, 1, 1000);
  integer('retry.baseDelayMs', retry.baseDelayMs, 1, 3_600_000);
  integer('retry.maxDelayMs', retry.maxDelayMs, retry.baseDelayMs, 3_600_000);

  const resolved: ResolvedPipelineOptions<T, U> = {
    transformer: given.transformer!,
    emitter: given.emitter!,
    filter: given.filter,
    buffer,
    itemBytes: given.itemBytes ?? defaultItemBytes,
    failureSink: given.failureSink,
    retry,
    streamName: given.streamName ?? PIPELINE_DEFAULTS.streamName,
    logger: given.logger ?? PIPELINE_DEFAULTS.logger,
    clock: given.clock ?? PIPELINE_DEFAULTS.clock,
    random: given.random ?? PIPELINE_DEFAULTS.random,
    wallClock: given.wallClock ?? PIPELINE_DEFAULTS.wallClock,
  };
  if (typeof resolved.streamName !== 'string') throw new TypeError(`streamName: expected a string, got ${show(resolved.streamName)}`);
  hasMethods('logger', resolved.logger, ['debug', 'info', 'warn', 'error'], 'a Logger with debug, info, warn and error');
  hasMethods('clock', resolved.clock, ['now', 'setTimeout', 'clearTimeout'], 'a Clock with now, setTimeout and clearTimeout');
  for (const name of ['random', 'wallClock'] as const) {
    if (typeof resolved[name] !== 'function') throw new TypeError(`${name}: expected a function, got ${show(resolved[name])}`);
  }
  return Object.freeze(resolved);
}
