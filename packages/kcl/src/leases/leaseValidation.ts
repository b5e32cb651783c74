import type { ExtendedSequenceNumber, Lease, SentinelCheckpoint } from './Lease';

/** The checkpoint values that are not sequence numbers (the Java KCL's `SentinelCheckpoint`). */
export const SENTINEL_CHECKPOINTS: readonly SentinelCheckpoint[] = Object.freeze([
  'TRIM_HORIZON',
  'LATEST',
  'SHARD_END',
  'AT_TIMESTAMP',
]);

/** The largest hash key of a Kinesis shard: 2^128 − 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

const DIGITS = /^[0-9]+$/;

/** Whether `value` is one of the {@link SENTINEL_CHECKPOINTS}. */
export function isSentinelCheckpoint(value: string): value is SentinelCheckpoint {
  return (SENTINEL_CHECKPOINTS as readonly string[]).includes(value);
}

/** Whether `value` can be stored as a checkpoint: a string of digits or a sentinel, as the Java KCL accepts. */
export function isValidCheckpointValue(value: string): boolean {
  return DIGITS.test(value) || isSentinelCheckpoint(value);
}

/** Whether `value` is a decimal hash key in 0..2^128−1. */
export function isValidHashKey(value: string): boolean {
  return DIGITS.test(value) && BigInt(value) <= MAX_HASH_KEY;
}

/**
 * Shard-id lists are stored as DynamoDB string sets, which neither keep order nor allow
 * duplicates; both stores return them deduplicated and sorted so that they agree.
 */
export function normalizeShardIds(shardIds: readonly string[]): string[] {
  return [...new Set(shardIds)].sort();
}

/** @throws TypeError unless `position` is a storable checkpoint. */
export function assertValidCheckpoint(what: string, position: ExtendedSequenceNumber): void {
  if (typeof position?.sequenceNumber !== 'string' || !isValidCheckpointValue(position.sequenceNumber)) {
    throw new TypeError(
      `${what}.sequenceNumber: expected a string of digits or one of ${SENTINEL_CHECKPOINTS.join(', ')}, got ${JSON.stringify(position?.sequenceNumber)}`,
    );
  }
  assertCount(`${what}.subSequenceNumber`, position.subSequenceNumber);
}

/** @throws TypeError unless `owner` is a non-empty string. */
export function assertValidOwner(what: string, owner: unknown): asserts owner is string {
  if (typeof owner !== 'string' || owner === '') {
    throw new TypeError(`${what}: expected a non-empty worker id, got ${JSON.stringify(owner)}`);
  }
}

/** @throws TypeError unless `leaseKey` is a non-empty string. */
export function assertValidLeaseKey(leaseKey: unknown): asserts leaseKey is string {
  if (typeof leaseKey !== 'string' || leaseKey === '') {
    throw new TypeError(`leaseKey: expected a non-empty string, got ${JSON.stringify(leaseKey)}`);
  }
}

/** @throws TypeError unless `value` is an integer in 0..2^53−1. */
export function assertCount(what: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${what}: expected a non-negative integer, got ${String(value)}`);
  }
}

/** @throws TypeError unless `shardIds` is an array of non-empty strings. */
export function assertValidShardIds(what: string, shardIds: unknown): asserts shardIds is readonly string[] {
  if (!Array.isArray(shardIds) || shardIds.some((id) => typeof id !== 'string' || id === '')) {
    throw new TypeError(`${what}: expected an array of non-empty shard ids, got ${JSON.stringify(shardIds)}`);
  }
}

/**
 * Checks a lease a caller hands to a store, so that both stores refuse the same bad input with the
 * same `TypeError` instead of DynamoDB answering `ValidationException`.
 */
export function assertValidLease(lease: Lease): void {
  if (lease === null || typeof lease !== 'object') throw new TypeError(`lease: expected a Lease, got ${String(lease)}`);
  assertValidLeaseKey(lease.leaseKey);
  if (lease.leaseOwner !== undefined) assertValidOwner('leaseOwner', lease.leaseOwner);
  assertCount('leaseCounter', lease.leaseCounter);
  assertCount('ownerSwitchesSinceCheckpoint', lease.ownerSwitchesSinceCheckpoint);
  assertValidCheckpoint('checkpoint', lease.checkpoint);
  if (lease.pendingCheckpoint !== undefined) assertValidCheckpoint('pendingCheckpoint', lease.pendingCheckpoint);
  if (lease.pendingCheckpointState !== undefined && !(lease.pendingCheckpointState instanceof Uint8Array)) {
    throw new TypeError('pendingCheckpointState: expected a Uint8Array');
  }
  assertValidShardIds('parentShardIds', lease.parentShardIds);
  assertValidShardIds('childShardIds', lease.childShardIds);
  if (lease.hashKeyRange !== undefined) {
    const { startingHashKey, endingHashKey } = lease.hashKeyRange;
    if (typeof startingHashKey !== 'string' || !isValidHashKey(startingHashKey) || typeof endingHashKey !== 'string' || !isValidHashKey(endingHashKey)) {
      throw new TypeError(`hashKeyRange: expected decimal hash keys in 0..2^128-1, got ${JSON.stringify(lease.hashKeyRange)}`);
    }
    if (BigInt(startingHashKey) > BigInt(endingHashKey)) {
      throw new TypeError(`hashKeyRange: startingHashKey ${startingHashKey} is above endingHashKey ${endingHashKey}`);
    }
  }
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
