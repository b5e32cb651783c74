import {
  InvalidArgumentError,
  STARTING_SENTINELS,
  SHARD_END,
  isHashKey,
  isSequenceNumber,
  parseHashKey,
  requireArray,
  requireInteger,
  requireObject,
  requireString,
} from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber, Lease, SentinelCheckpoint } from './Lease';

/** The checkpoint values that are not sequence numbers (the Java KCL's `SentinelCheckpoint`). */
export const SENTINEL_CHECKPOINTS: readonly SentinelCheckpoint[] = Object.freeze(['TRIM_HORIZON', 'LATEST', 'SHARD_END', 'AT_TIMESTAMP']);

/** Whether `value` is one of the {@link SENTINEL_CHECKPOINTS}. */
export function isSentinelCheckpoint(value: string): value is SentinelCheckpoint {
  return STARTING_SENTINELS.has(value) || value === SHARD_END;
}

/** Whether `value` can be stored as a checkpoint: a Kinesis sequence number or a sentinel. */
export function isValidCheckpointValue(value: string): boolean {
  return isSequenceNumber(value) || isSentinelCheckpoint(value);
}

/** Whether `value` is a decimal hash key in 0..2^128−1, as Kinesis writes them. */
export function isValidHashKey(value: string): boolean {
  return isHashKey(value);
}

/**
 * Shard-id lists are stored as DynamoDB string sets, which neither keep order nor allow
 * duplicates; both stores return them deduplicated and sorted so that they agree.
 */
export function normalizeShardIds(shardIds: readonly string[]): string[] {
  return [...new Set(shardIds)].sort();
}

const CHECKPOINT_EXPECTED = `a sequence number or one of ${SENTINEL_CHECKPOINTS.join(', ')}`;

/** @throws InvalidArgumentError (a TypeError) unless `position` is a storable checkpoint. */
export function assertValidCheckpoint(what: string, position: ExtendedSequenceNumber): void {
  requireObject(what, position);
  if (typeof position.sequenceNumber !== 'string' || !isValidCheckpointValue(position.sequenceNumber)) {
    throw new InvalidArgumentError(`${what}.sequenceNumber`, CHECKPOINT_EXPECTED, position.sequenceNumber);
  }
  assertCount(`${what}.subSequenceNumber`, position.subSequenceNumber);
}

/** @throws InvalidArgumentError unless `owner` is a non-empty string. */
export function assertValidOwner(what: string, owner: unknown): asserts owner is string {
  requireString(what, owner, { expected: 'a non-empty worker id' });
}

/** @throws InvalidArgumentError unless `leaseKey` is a non-empty string. */
export function assertValidLeaseKey(leaseKey: unknown): asserts leaseKey is string {
  requireString('leaseKey', leaseKey);
}

/** @throws InvalidArgumentError unless `value` is an integer in 0..2^53−1. */
export function assertCount(what: string, value: unknown): asserts value is number {
  requireInteger(what, value, 0);
}

/** @throws InvalidArgumentError unless `shardIds` is an array of non-empty strings. */
export function assertValidShardIds(what: string, shardIds: unknown): asserts shardIds is readonly string[] {
  requireArray(what, shardIds, (name, id) => requireString(name, id, { expected: 'a non-empty shard id' }));
}

/**
 * Checks a lease a caller hands to a store, so that both stores refuse the same bad input with the
 * same `InvalidArgumentError` (a `TypeError`) instead of DynamoDB answering `ValidationException`.
 */
export function assertValidLease(lease: Lease): void {
  requireObject('lease', lease);
  assertValidLeaseKey(lease.leaseKey);
  if (lease.leaseOwner !== undefined) assertValidOwner('leaseOwner', lease.leaseOwner);
  if (lease.checkpointOwner !== undefined) assertValidOwner('checkpointOwner', lease.checkpointOwner);
  assertCount('leaseCounter', lease.leaseCounter);
  assertCount('ownerSwitchesSinceCheckpoint', lease.ownerSwitchesSinceCheckpoint);
  assertValidCheckpoint('checkpoint', lease.checkpoint);
  if (lease.pendingCheckpoint !== undefined) assertValidCheckpoint('pendingCheckpoint', lease.pendingCheckpoint);
  if (lease.pendingCheckpointState !== undefined && !(lease.pendingCheckpointState instanceof Uint8Array)) {
    throw new InvalidArgumentError('pendingCheckpointState', 'a Uint8Array', lease.pendingCheckpointState);
  }
  assertValidShardIds('parentShardIds', lease.parentShardIds);
  assertValidShardIds('childShardIds', lease.childShardIds);
  if (lease.hashKeyRange !== undefined) {
    const start = parseHashKey('hashKeyRange.startingHashKey', lease.hashKeyRange.startingHashKey);
    const end = parseHashKey('hashKeyRange.endingHashKey', lease.hashKeyRange.endingHashKey);
    if (start > end) throw new InvalidArgumentError('hashKeyRange.endingHashKey', `a hash key >= startingHashKey (${start})`, lease.hashKeyRange.endingHashKey);
  }
}

/**
 * Checks the arguments of `initiateGracefulHandoff`: an owned lease with no handoff under way, a
 * valid new owner that is not the owner. Returns the owner the lease is handed over from.
 * @throws InvalidArgumentError (a TypeError) naming what is wrong
 */
export function assertHandoff(lease: Lease, newOwner: string): string {
  assertValidLease(lease);
  assertValidOwner('newOwner', newOwner);
  if (lease.leaseOwner === undefined) throw new InvalidArgumentError('lease.leaseOwner', 'the owner to hand the lease over from (an unowned lease is taken, not handed over)', undefined);
  if (lease.checkpointOwner !== undefined) throw new InvalidArgumentError('lease.checkpointOwner', 'none (a handoff is already under way)', lease.checkpointOwner);
  if (newOwner === lease.leaseOwner) throw new InvalidArgumentError('newOwner', `a worker other than the owner ${lease.leaseOwner}`, newOwner);
  return lease.leaseOwner;
}

/** Whether two positions are the same checkpoint. */
export function sameCheckpoint(a: ExtendedSequenceNumber | undefined, b: ExtendedSequenceNumber | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.sequenceNumber === b.sequenceNumber && a.subSequenceNumber === b.subSequenceNumber;
}

/** A deep copy of a lease (fresh arrays and state bytes), so that no caller shares a stored object. */
export function copyLease(lease: Lease): Lease {
  return {
    leaseKey: lease.leaseKey,
    leaseOwner: lease.leaseOwner,
    ...(lease.checkpointOwner === undefined ? {} : { checkpointOwner: lease.checkpointOwner }),
    leaseCounter: lease.leaseCounter,
    checkpoint: { ...lease.checkpoint },
    pendingCheckpoint: lease.pendingCheckpoint === undefined ? undefined : { ...lease.pendingCheckpoint },
    pendingCheckpointState: lease.pendingCheckpointState === undefined ? undefined : Uint8Array.from(lease.pendingCheckpointState),
    ownerSwitchesSinceCheckpoint: lease.ownerSwitchesSinceCheckpoint,
    parentShardIds: [...lease.parentShardIds],
    childShardIds: [...lease.childShardIds],
    hashKeyRange: lease.hashKeyRange === undefined ? undefined : { ...lease.hashKeyRange },
  };
}
