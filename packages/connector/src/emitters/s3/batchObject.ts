import type { EmitBatch } from '../Emitter';

/**
 * The name of a batch's object (without prefix or suffix): stream, shard and the first and last
 * positions the flushed buffer covers, `stream-shardId-firstSeq-firstSub-lastSeq-lastSub`. Those
 * are the same on every retry and on a re-emission after a restart (the pipeline rebuilds the
 * buffer from the last checkpoint), so writing the batch again overwrites the same object.
 */
export function batchObjectName(batch: EmitBatch<unknown>): string {
  return [
    batch.streamName,
    batch.shardId,
    batch.first.sequenceNumber,
    batch.first.subSequenceNumber,
    batch.last.sequenceNumber,
    batch.last.subSequenceNumber,
  ].join('-');
}

/**
 * The instant a batch's `!{timestamp:…}` expressions format: the approximate arrival time of the
 * batch's first item's record — fixed by the data, so a re-emitted batch lands under the same
 * key. Only when Kinesis gave no arrival time does it fall back to `currentTimeMs()` (and the
 * key may then differ on re-emission).
 */
export function batchTimestamp(batch: EmitBatch<unknown>, currentTimeMs: () => number): Date {
  const arrival = batch.sources[0]?.approximateArrivalTimestamp;
  return arrival instanceof Date && !Number.isNaN(arrival.getTime()) ? arrival : new Date(currentTimeMs());
}
