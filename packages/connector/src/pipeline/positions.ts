import type { BatchPosition } from '../emitters/Emitter';

/** Orders two shard positions (sequence numbers are decimal strings without leading zeros). */
export function comparePositions(a: BatchPosition, b: BatchPosition): number {
  const x = a.sequenceNumber;
  const y = b.sequenceNumber;
  // Same-length digit strings order like their numbers; a longer one is larger. No BigInt needed.
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  if (x !== y) return x < y ? -1 : 1;
  return a.subSequenceNumber - b.subSequenceNumber;
}

/** The id of a flushed batch: stable across its retries (it names the covered range). */
export function batchIdOf(shardId: string, first: BatchPosition, last: BatchPosition): string {
  return `${shardId}-${first.sequenceNumber}.${first.subSequenceNumber}-${last.sequenceNumber}.${last.subSequenceNumber}`;
}
