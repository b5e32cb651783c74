import type { Attempt } from '../errors/Attempt';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { PutResult } from '../PutResult';

/**
 * Hears how a record settled: a write stream's listener, shared by all its records (so a streamed
 * record costs no promise or closure of its own).
 */
export type SettleListener = (record: PendingRecord, error: Error | undefined, result: PutResult | undefined) => void;

/**
 * A user record between `put()` (or a stream write) and its settlement. Created when submitted;
 * its clock fields are set when it is admitted under the outstanding bounds. Internal.
 */
export interface PendingRecord {
  /** What the caller passed in. */
  readonly input: UserRecordInput;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** The 128-bit hash key that routes it. */
  readonly hashKey: bigint;
  /** Data plus UTF-8 partition key, the unit of the Kinesis limits. */
  readonly bytes: number;
  /** The flush epoch of its put() (see KinesisProducer.flush). */
  readonly epoch: number;
  arrivedAt: number;
  expiresAt: number;
  /** The latest time it should leave its buffer. */
  deadline: number;
  /** Every attempt so far. Frozen (shared) until a second attempt is added: use {@link addAttempt}. */
  attempts: readonly Attempt[];
  settled: boolean;
  /** put(): its promise's functions. */
  readonly resolve: ((result: PutResult) => void) | undefined;
  readonly reject: ((error: Error) => void) | undefined;
  /** A write stream's listener (instead of resolve/reject). */
  readonly listener: SettleListener | undefined;
  /** A write stream's callback, called once the record is admitted (then cleared). */
  onAdmitted: (() => void) | undefined;
}

/** The attempts of a record not sent yet: shared, frozen. */
export const NO_ATTEMPTS: readonly Attempt[] = Object.freeze([]);

/** Adds an attempt, copying a shared (frozen) list first. */
export function addAttempt(record: PendingRecord, attempt: Attempt): void {
  if (Object.isFrozen(record.attempts)) record.attempts = [...record.attempts, attempt];
  else (record.attempts as Attempt[]).push(attempt);
}

/** A Kinesis record ready for PutRecords: an aggregate or a single user record. Internal. */
export interface OutgoingRecord {
  readonly records: readonly PendingRecord[];
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Data plus partition key bytes. */
  readonly bytes: number;
  readonly aggregated: boolean;
  /** The routing key of the buffer it came from (a shard id, or a key-based group before a map exists). */
  readonly routeKey: string;
  readonly predictedShardId: string | undefined;
  readonly deadline: number;
}
