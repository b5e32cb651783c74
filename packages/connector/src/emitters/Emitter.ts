import type { UserRecord } from '@kinesis-toolkit/kcl';

/** Where an item came from: its user record's position in the shard. */
export interface ItemSource {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly partitionKey: string;
  /** When Kinesis received the record, if known. */
  readonly approximateArrivalTimestamp?: Date;
  /** The user record's bytes, for failure records (`rawData`). */
  readonly data: UserRecord['data'];
}

/** A position in a shard: sequence number plus sub-sequence number. */
export interface BatchPosition {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/**
 * What an emitter is asked to write. A retry of failed items is a new `EmitBatch` with only those
 * items, but the same `batchId`, `first` and `last` — so an emitter can name its output after the
 * range (idempotent overwrites) or send a request id that is stable across retries.
 */
export interface EmitBatch<U> {
  readonly streamName: string;
  readonly shardId: string;
  /** Stable across retries of the same buffer flush. */
  readonly batchId: string;
  /** The items to write, in shard order. */
  readonly items: readonly U[];
  /** `sources[i]` is where `items[i]` came from. */
  readonly sources: readonly ItemSource[];
  /** The first and last record positions the flushed buffer covers (including filtered-out records). */
  readonly first: BatchPosition;
  readonly last: BatchPosition;
  /** 1 for the first try, then 2, 3, … for retries of what failed. */
  readonly attempt: number;
  /**
   * Every user record the flushed buffer covers, in shard order, each once — those that produced
   * no item (filtered out, dropped or rejected by the transformer) too — the same on every
   * attempt. Set only for an emitter whose `receivesEveryRecord` is true.
   */
  readonly records?: readonly ItemSource[];
}

/** An item a sink refused for a reason a retry cannot fix, with that reason. */
export interface RejectedItem<U> {
  readonly item: U;
  readonly error: Error;
}

/**
 * What an emit left undone, by identity from `batch.items`:
 * - `failed`: items to retry — the sink could not take them now (throttled, unprocessed, a
 *   request that failed); the pipeline retries them under its one retry budget;
 * - `rejected`: items the sink refused for good (an invalid item, a row that breaks a
 *   constraint); they go to the failure sink at once, with their error, and are not retried.
 */
export interface EmitResult<U> {
  readonly failed: readonly U[];
  /** @defaultValue none */
  readonly rejected?: readonly RejectedItem<U>[];
}

/**
 * Writes batches to a sink — the Java kinesis-connectors' `IEmitter`. `emit` may throw: that
 * counts as every item failing with that error — retried when the error is retryable (a
 * kinesis-toolkit error's `retryable`, else core's `classifyAwsError`), dead-lettered at once
 * when it is not. An emitter makes one attempt per call: the pipeline owns retries and backoff.
 */
export interface Emitter<U> {
  /**
   * Whether the emitter takes every record a batch covers, not only those that produced items
   * (e.g. to back up source records): the pipeline then sets `EmitBatch.records`, and calls `emit`
   * for a batch with no items too (`items` empty) — that batch is checkpointed only after such an
   * emit succeeds; a failed one is retried and dead-lettered (the records without a failure
   * record yet) like failed items. The records held count toward the buffer's `maxRecords` and
   * `maxBytes`.
   * @defaultValue false
   */
  readonly receivesEveryRecord?: boolean;
  emit(batch: EmitBatch<U>): Promise<EmitResult<U>>;
  /** Told about items that still failed after the last retry, just before they go to the failure sink. */
  fail?(items: readonly U[], error: Error): void | Promise<void>;
  /** The pipeline is done with this emitter (the worker shut down): release connections. */
  shutdown?(): void | Promise<void>;
}
