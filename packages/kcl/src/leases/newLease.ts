import type { Lease } from './Lease';

/** A lease for a shard nobody has read yet, starting at TRIM_HORIZON (children must not skip records). */
export function newLease(
  shardId: string,
  parentShardIds: readonly string[],
  range: { StartingHashKey?: string; EndingHashKey?: string } | undefined,
  checkpoint: Lease['checkpoint'] = { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
): Lease {
  return {
    leaseKey: shardId,
    leaseOwner: undefined,
    leaseCounter: 0,
    checkpoint,
    pendingCheckpoint: undefined,
    pendingCheckpointState: undefined,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds,
    childShardIds: [],
    hashKeyRange:
      range?.StartingHashKey !== undefined && range.EndingHashKey !== undefined
        ? { startingHashKey: range.StartingHashKey, endingHashKey: range.EndingHashKey }
        : undefined,
  };
}
