import type { ExtendedSequenceNumber } from '../leases/Lease';
import { isSequenceNumber } from '@kinesis-toolkit/core';

/** A starting position in the form both GetShardIterator and SubscribeToShard take. */
export interface StartingPosition {
  readonly Type: 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER' | 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  readonly SequenceNumber?: string;
  readonly Timestamp?: Date;
}

/**
 * Where to (re)start reading: after the last record fetched, if any; otherwise at the
 * checkpoint. A sequence checkpoint starts AT (not after) its record, because a checkpoint inside
 * an aggregate needs the rest of that aggregate; the consumer skips what is already done.
 */
export function startingPosition(start: ExtendedSequenceNumber, timestamp: Date | undefined, lastFetched: string | undefined): StartingPosition {
  if (lastFetched !== undefined) return { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastFetched };
  if (isSequenceNumber(start.sequenceNumber)) return { Type: 'AT_SEQUENCE_NUMBER', SequenceNumber: start.sequenceNumber };
  if (start.sequenceNumber === 'AT_TIMESTAMP') return { Type: 'AT_TIMESTAMP', Timestamp: timestamp ?? new Date(0) };
  return { Type: start.sequenceNumber === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON' };
}
