import type { EmitBatch, ItemSource } from '../../src/emitters/Emitter';

/** A sequence number shaped like Kinesis's (56 digits), distinct per `n`. */
export function sequenceNumber(n: number): string {
  return `49650000000000000000000000000000000000000000${String(n).padStart(12, '0')}`;
}

/** Options of {@link makeBatch}. */
export interface MakeBatchOptions {
  readonly streamName?: string;
  readonly shardId?: string;
  readonly batchId?: string;
  readonly attempt?: number;
  /** The arrival time of the first record; each next record arrives 1 s later. */
  readonly arrivalMs?: number;
  /** Sequence number of the first item (see {@link sequenceNumber}). */
  readonly firstSequence?: number;
}

/** An EmitBatch of `items`, one record per item, with consecutive sequence numbers. */
export function makeBatch<U>(items: readonly U[], options: MakeBatchOptions = {}): EmitBatch<U> {
  const first = options.firstSequence ?? 1;
  const arrivalMs = options.arrivalMs ?? Date.UTC(2024, 4, 1, 13, 59, 58);
  const sources: ItemSource[] = items.map((_, index) => ({
    sequenceNumber: sequenceNumber(first + index),
    subSequenceNumber: 0,
    partitionKey: `pk-${index}`,
    approximateArrivalTimestamp: new Date(arrivalMs + index * 1000),
    data: Buffer.from(`record ${first + index}`),
  }));
  return {
    streamName: options.streamName ?? 'orders',
    shardId: options.shardId ?? 'shardId-000000000001',
    batchId: options.batchId ?? `batch-${first}`,
    items,
    sources,
    first: { sequenceNumber: sequenceNumber(first), subSequenceNumber: 0 },
    last: { sequenceNumber: sequenceNumber(first + Math.max(items.length - 1, 0)), subSequenceNumber: 0 },
    attempt: options.attempt ?? 1,
  };
}

/** The same batch with only the items at `indexes` (a retry of what failed): same id, first and last. */
export function retryOf<U>(batch: EmitBatch<U>, indexes: readonly number[], attempt = batch.attempt + 1): EmitBatch<U> {
  return {
    ...batch,
    items: indexes.map((index) => batch.items[index]!),
    sources: indexes.map((index) => batch.sources[index]!),
    attempt,
  };
}
