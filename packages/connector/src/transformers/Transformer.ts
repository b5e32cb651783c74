import type { UserRecord } from '@kinesis-toolkit/kcl';

/**
 * Turns a user record into the items a pipeline buffers (`toItem`), and a buffered item into what
 * the emitter writes (`toEmittable`) — the Java kinesis-connectors' `ITransformer`, with
 * one-to-many built in. A throw from `toItem` sends that record to the failure sink with the
 * error; the shard goes on.
 */
export interface Transformer<T, U> {
  /** One record may become one item, several, or none (`[]`). */
  toItem(record: UserRecord): T | readonly T[] | Promise<T | readonly T[]>;
  toEmittable(item: T): U;
}
