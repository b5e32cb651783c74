import type { ChildShard, Shard } from '@aws-sdk/client-kinesis';
import { ShardLineage } from '@kinesis-toolkit/core';
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

/** New leases for the children of `parentShardId` among `shards` (a ListShards listing), each naming its parents. */
export function childLeasesOf(parentShardId: string, shards: readonly Shard[]): Lease[] {
  const lineage = ShardLineage.fromSdkShards(shards);
  const children = new Set(lineage.childrenOf(parentShardId));
  return shards.filter((shard) => children.has(shard.ShardId!)).map((shard) => newLease(shard.ShardId!, lineage.parentsOf(shard.ShardId!), shard.HashKeyRange));
}

/** A new lease for a child shard as GetRecords or SubscribeToShard names it at the end of its parent. */
export function childLeaseOf(child: ChildShard): Lease {
  return newLease(child.ShardId!, child.ParentShards ?? [], child.HashKeyRange);
}
