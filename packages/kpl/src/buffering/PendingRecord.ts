import type { Attempt } from '../errors/Attempt';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { KeyLane } from '../ordering/KeyLanes';
import type { PutResult } from '../PutResult';

/**
 * Hears how a record settled: a write stream's listener, shared by all its records (so a streamed
 * record costs no promise or closure of its own).
 */
export type SettleListener = (record: PendingRecord, error: Error | undefined, result: PutResult | undefined) => void;

/**
 * A user record between `put()` (or a stream write) and its settlement. Created when submitted
 * (validated once, there); its clock fields are set when it is admitted under the outstanding
 * bounds. Internal.
 */
export interface PendingRecord {
  /** What the caller passed in. */
  readonly input: UserRecordInput;
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /**
   * The 128-bit hash key that routes it, as four big-endian 32-bit words in int32 form (`w | 0`:
   * small integers, no allocation); `hashWord0` is the most significant.
   */
  readonly hashWord0: number;
  readonly hashWord1: number;
  readonly hashWord2: number;
  readonly hashWord3: number;
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
  /** With `preserveOrder`: its partition key's lane (see KeyLanes). */
  lane: KeyLane | undefined;
  /** Its slot in the dispatcher's TtlQueue. */
  ttlSlot: number;
  /** The Kinesis record it is packed into, from packing until that record is answered or taken apart. */
  outgoing: OutgoingRecord | undefined;
  /** put(): its promise's functions. */
  readonly resolve: ((result: PutResult) => void) | undefined;
  readonly reject: ((error: Error) => void) | undefined;
  /** A write stream's listener (instead of resolve/reject). */
  readonly listener: SettleListener | undefined;
  /** A write stream's callback, called once the record is admitted (then cleared). */
  onAdmitted: (() => void) | undefined;
}

/** A record's hash key as a bigint (for the rare paths that compare it with a shard's range). */
export function hashKeyOfRecord(record: PendingRecord): bigint {
  return (
    (BigInt(record.hashWord0 >>> 0) << 96n) | (BigInt(record.hashWord1 >>> 0) << 64n) | (BigInt(record.hashWord2 >>> 0) << 32n) | BigInt(record.hashWord3 >>> 0)
  );
}

/** The attempts of a record not sent yet: shared, frozen. */
export const NO_ATTEMPTS: readonly Attempt[] = Object.freeze([]);

/** Adds an attempt, copying a shared (frozen) list first. */
export function addAttempt(record: PendingRecord, attempt: Attempt): void {
  if (Object.isFrozen(record.attempts)) record.attempts = [...record.attempts, attempt];
  else (record.attempts as Attempt[]).push(attempt);
}

/**
 * Where a Kinesis record is: waiting on its shard's rate limiter, collected for a PutRecords
 * request, sent, or taken apart before it was sent (its user records went back to be packed
 * again; the queue that still holds it skips it).
 */
export type OutgoingStage = 'metered' | 'collected' | 'sent' | 'unpacked';

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
  stage: OutgoingStage;
}
