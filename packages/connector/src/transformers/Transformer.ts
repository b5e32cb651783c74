import type { UserRecord } from '@kinesis-toolkit/kcl';

/** What a batch transformation made of one record: its items (possibly none), or why it failed. */
export type TransformOutcome<T> = { readonly items: readonly T[] } | { readonly error: Error };

/** Where a batch being transformed comes from. */
export interface TransformContext {
  readonly streamName: string;
  readonly shardId: string;
}

/**
 * Turns a user record into the items a pipeline buffers (`toItem`), and a buffered item into what
 * the emitter writes (`toEmittable`) — the Java kinesis-connectors' `ITransformer`, with
 * one-to-many built in. A throw from `toItem` sends that record to the failure sink with the
 * error; the shard goes on.
 */
export interface Transformer<T, U> {
  /**
   * One record may become one item, several, or none (`[]`). An array is always read as a list
   * of items: when an item is itself an array, return it wrapped (`[item]`).
   */
  toItem(record: UserRecord): T | readonly T[] | Promise<T | readonly T[]>;
  toEmittable(item: T): U;
  /**
   * Optional: transforms every record of one `processRecords` batch in one call (for functions
   * that work on batches, such as Firehose transformation functions). When present the pipeline
   * calls it instead of `toItem`; `outcomes[i]` is the outcome of `records[i]`. A throw fails
   * every record of the batch (each goes to the failure sink with the error).
   */
  transformBatch?(records: readonly UserRecord[], context: TransformContext): Promise<readonly TransformOutcome<T>[]>;
}
