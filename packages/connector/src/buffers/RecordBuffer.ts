import type { BatchPosition, ItemSource } from '../emitters/Emitter';

/** When a {@link RecordBuffer} asks to be flushed. */
export interface BufferThresholds {
  /** Flush at this many items. @defaultValue 1000 */
  readonly maxRecords?: number;
  /** Flush at this many bytes of buffered items. @defaultValue 5 MiB */
  readonly maxBytes?: number;
  /** Flush when the oldest buffered record is this old — on a timer, even with no new records. @defaultValue 60000 */
  readonly maxAgeMs?: number;
}

/**
 * Holds transformed items until a threshold is reached — the Java kinesis-connectors' `IBuffer`,
 * exported as `Buffer` too. It tracks the first and last record positions it covers, including
 * records that produced no item (filtered out, or sent to the failure sink), so a checkpoint after
 * a flush moves past all of them.
 */
export interface RecordBuffer<T> {
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  /** Add an item with its size (what `maxBytes` counts) and where it came from. */
  add(item: T, bytes: number, source: ItemSource): void;
  /** Note a record that produced no buffered item, so the covered range includes it. */
  cover(position: BatchPosition): void;
  readonly size: number;
  readonly bytes: number;
  readonly first: BatchPosition | undefined;
  readonly last: BatchPosition | undefined;
  /** Clock time the first record of the current contents was added/covered, if any. */
  readonly startedAt: number | undefined;
  /** Whether the count or byte threshold is reached, or the age is at `now`. */
  shouldFlush(now: number): boolean;
  /** Empties the buffer, returning what it held. */
  drain(): { items: T[]; sources: ItemSource[]; first: BatchPosition | undefined; last: BatchPosition | undefined };
}
