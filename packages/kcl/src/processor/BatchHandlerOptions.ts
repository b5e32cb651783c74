import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError, rejectUnknownOptions, requireFunction, requireInteger, requireObject } from '@kinesis-toolkit/core';

/** One batch of a shard, as `eachBatch` and `worker.batches()` hand it over. */
export interface Batch {
  readonly shardId: string;
  /** De-aggregated user records, in shard order (never empty). */
  readonly records: readonly UserRecord[];
  /** How far behind the tip of the shard this batch is (from GetRecords or SubscribeToShard). */
  readonly millisBehindLatest: number | undefined;
  /**
   * Fires when this worker loses the shard's lease, hands it over (another worker asked for it to
   * balance) or shuts down: stop early. A batch that then rejects (or is abandoned) is not
   * checkpointed; one that still resolves counts as done.
   */
  readonly signal: AbortSignal;
  /**
   * Checkpoints now, whatever `autoCheckpoint` says: the given record of this batch, or without
   * one the batch's last record. Rejects with `LeaseLostError` once the lease is not held here.
   */
  checkpoint(record?: UserRecord): Promise<void>;
}

/** One record, as `eachRecord` is handed it (the records of a shard come one at a time, in order). */
export interface EachRecordInput {
  readonly shardId: string;
  readonly record: UserRecord;
  readonly millisBehindLatest: number | undefined;
  /** As {@link Batch.signal}. */
  readonly signal: AbortSignal;
  /** Checkpoints this record now. */
  checkpoint(): Promise<void>;
}

/** What `onBatchFailed` is handed: the batch (for `eachRecord`, the one record) that kept failing. */
export interface FailedBatch {
  readonly shardId: string;
  readonly records: readonly UserRecord[];
  /** How many times the batch (or record) was tried. */
  readonly attempts: number;
  /** As {@link Batch.signal}: fires on lease loss, a graceful handoff or shutdown. */
  readonly signal: AbortSignal;
}

/** When completed work is checkpointed without being asked. */
export type AutoCheckpoint =
  | boolean
  | {
      /** Checkpoint once this long has passed since the last checkpoint (checked as batches complete). */
      readonly everyMs?: number;
      /** Checkpoint once this many records have completed since the last checkpoint. */
      readonly everyRecords?: number;
    };

/**
 * The simple ways of consuming — `eachBatch`, `eachRecord`, or iterating `worker.batches()` —
 * and their options. Give at most one of `eachBatch`, `eachRecord` and `processorFactory` (none:
 * iterate `worker.batches()`); the other options apply to the simple forms only.
 */
export interface BatchHandlerOptions {
  /**
   * Called with each batch of each shard this worker holds; batches of one shard one at a time, in
   * order. The batch is done when the promise resolves; a throw retries it (see `maxBatchAttempts`).
   */
  readonly eachBatch?: (batch: Batch) => void | Promise<void>;
  /** Called with each record, in order per shard; a throw stops at that record and retries it. */
  readonly eachRecord?: (input: EachRecordInput) => void | Promise<void>;
  /**
   * When done work is checkpointed: `true` after every batch that resolves; `{ everyMs,
   * everyRecords }` once either is reached (checked as batches complete); `false` never (call
   * `checkpoint()` yourself). In every mode the worker checkpoints `SHARD_END` at a shard's end, and
   * in the automatic ones the last completed batch on shutdown. @defaultValue true
   */
  readonly autoCheckpoint?: AutoCheckpoint;
  /**
   * Attempts a batch (for `eachRecord`, a record) gets before it is handed to `onBatchFailed`;
   * between attempts the worker backs off (full jitter from 100 ms, capped at 30 s) and emits
   * `processorError`. Finite only together with `onBatchFailed`. @defaultValue Infinity (never skip:
   * the KCL's rule)
   */
  readonly maxBatchAttempts?: number;
  /**
   * Takes a batch that failed `maxBatchAttempts` times (a dead-letter queue, say); once it resolves
   * the batch counts as done and the shard moves on. If it throws, it is called again after a
   * backoff: a batch is never skipped silently. @defaultValue none (retry forever)
   */
  readonly onBatchFailed?: (batch: FailedBatch, error: unknown) => void | Promise<void>;
}

/** The names of {@link BatchHandlerOptions}. */
export const BATCH_HANDLER_OPTION_NAMES = ['eachBatch', 'eachRecord', 'autoCheckpoint', 'maxBatchAttempts', 'onBatchFailed'] as const;

/** Every default of {@link BatchHandlerOptions} (the README's table is checked against it). */
export const BATCH_HANDLER_DEFAULTS = Object.freeze({
  autoCheckpoint: true as AutoCheckpoint,
  maxBatchAttempts: Infinity,
});

/** {@link BatchHandlerOptions}, validated. `handler` is undefined when records are to be iterated with `worker.batches()`. */
export interface ResolvedBatchHandlerOptions {
  readonly handler: { readonly kind: 'eachBatch'; readonly call: NonNullable<BatchHandlerOptions['eachBatch']> } | { readonly kind: 'eachRecord'; readonly call: NonNullable<BatchHandlerOptions['eachRecord']> } | undefined;
  /** `undefined`: never; otherwise checkpoint once either threshold is reached (0 ms: after every batch). */
  readonly autoCheckpoint: { readonly everyMs: number; readonly everyRecords: number } | undefined;
  readonly maxBatchAttempts: number;
  readonly onBatchFailed: BatchHandlerOptions['onBatchFailed'];
}

const EVERY_BATCH = Object.freeze({ everyMs: 0, everyRecords: 1 });

/**
 * Validates the simple forms' options (the caller has checked that at most one of `eachBatch`,
 * `eachRecord`, `processorFactory` is given, and that `processorFactory` is not).
 * @throws InvalidArgumentError naming the option
 */
export function resolveBatchHandlerOptions(given: BatchHandlerOptions): ResolvedBatchHandlerOptions {
  const handler =
    given.eachBatch !== undefined
      ? { kind: 'eachBatch' as const, call: requireFunction('eachBatch', given.eachBatch) as NonNullable<BatchHandlerOptions['eachBatch']> }
      : given.eachRecord !== undefined
        ? { kind: 'eachRecord' as const, call: requireFunction('eachRecord', given.eachRecord) as NonNullable<BatchHandlerOptions['eachRecord']> }
        : undefined;
  const maxBatchAttempts = given.maxBatchAttempts ?? BATCH_HANDLER_DEFAULTS.maxBatchAttempts;
  if (maxBatchAttempts !== Infinity) requireInteger('maxBatchAttempts', maxBatchAttempts, 1, Number.MAX_SAFE_INTEGER, 'an integer >= 1 or Infinity');
  const onBatchFailed = given.onBatchFailed;
  if (onBatchFailed !== undefined) requireFunction('onBatchFailed', onBatchFailed);
  // A batch is skipped only where the user said what becomes of it.
  if (maxBatchAttempts !== Infinity && onBatchFailed === undefined) {
    throw new InvalidArgumentError('onBatchFailed', `a function (maxBatchAttempts is ${maxBatchAttempts}: say what becomes of a batch that still fails, or leave maxBatchAttempts at Infinity)`, undefined);
  }
  if (maxBatchAttempts === Infinity && onBatchFailed !== undefined) {
    throw new InvalidArgumentError('maxBatchAttempts', 'an integer >= 1 (onBatchFailed is called once a batch has failed that many times)', given.maxBatchAttempts);
  }
  return Object.freeze({ handler, autoCheckpoint: resolveAutoCheckpoint(given.autoCheckpoint ?? BATCH_HANDLER_DEFAULTS.autoCheckpoint), maxBatchAttempts, onBatchFailed });
}

function resolveAutoCheckpoint(value: unknown): ResolvedBatchHandlerOptions['autoCheckpoint'] {
  if (value === true) return EVERY_BATCH;
  if (value === false) return undefined;
  const expected = 'true, false or { everyMs?, everyRecords? }';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError('autoCheckpoint', expected, value);
  requireObject('autoCheckpoint', value);
  rejectUnknownOptions('autoCheckpoint', value, ['everyMs', 'everyRecords']);
  const { everyMs, everyRecords } = value as { everyMs?: unknown; everyRecords?: unknown };
  if (everyMs === undefined && everyRecords === undefined) throw new InvalidArgumentError('autoCheckpoint', `${expected} with at least one of them`, value);
  return Object.freeze({
    everyMs: everyMs === undefined ? Infinity : requireInteger('autoCheckpoint.everyMs', everyMs, 1, 86_400_000),
    everyRecords: everyRecords === undefined ? Infinity : requireInteger('autoCheckpoint.everyRecords', everyRecords, 1),
  });
}
