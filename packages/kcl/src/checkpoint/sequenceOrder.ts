import type { ExtendedSequenceNumber } from '../leases/Lease';

/** Sentinels before every sequence number (a shard not yet read from). */
const STARTS = new Set(['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP']);

/** Orders extended sequence numbers: starting sentinels < sequence numbers (then sub-sequence) < SHARD_END. */
export function compareExtended(a: ExtendedSequenceNumber, b: ExtendedSequenceNumber): number {
  const rank = (value: ExtendedSequenceNumber) => (STARTS.has(value.sequenceNumber) ? 0 : value.sequenceNumber === 'SHARD_END' ? 2 : 1);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || ra !== 1) return ra - rb;
  const sa = BigInt(a.sequenceNumber);
  const sb = BigInt(b.sequenceNumber);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.subSequenceNumber - b.subSequenceNumber;
}

/** Whether a checkpoint is a real position in the shard (not a sentinel). */
export function isSequencePosition(position: ExtendedSequenceNumber): boolean {
  return /^[0-9]+$/.test(position.sequenceNumber);
}
