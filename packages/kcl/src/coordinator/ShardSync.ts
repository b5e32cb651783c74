import type { Shard } from '@aws-sdk/client-kinesis';
import { SHARD_END, ShardLineage, isSequenceNumber } from '@kinesis-toolkit/core';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { Lease } from '../leases/Lease';
import type { LeaseStore } from '../leases/LeaseStore';
import { newLease } from '../leases/newLease';
import type { KinesisApi } from '../retrieval/KinesisApi';

/** What one sync did. */
export interface ShardSyncResult {
  readonly created: string[];
  readonly deleted: string[];
}

/**
 * Keeps the lease table in step with the stream's shards: a lease for every shard that needs
 * one (children recording their parents), and cleanup of finished parents whose children have
 * progressed. New leases start at the configured initial position, except descendants of leased
 * shards, which start at TRIM_HORIZON so nothing written after a reshard is skipped. A closed
 * shard with a leased descendant needs no lease: its lineage has moved on (its own lease was
 * finished and cleaned up), and a new one would read the whole shard again.
 *
 * Every call is bounded (the worker's deadlines); a failure rejects the sync with core's
 * `AwsRequestError` (Kinesis) or a `LeaseStoreError`, and the worker applies its error policy.
 */
export class ShardSync {
  constructor(
    private readonly kinesis: KinesisApi,
    private readonly store: LeaseStore,
    private readonly config: ResolvedWorkerOptions,
  ) {}

  async sync(signal?: AbortSignal): Promise<ShardSyncResult> {
    const shards = (await this.kinesis.listShards({ signal })).sort((a, b) => compareShardIds(a.ShardId!, b.ShardId!));
    const { leases } = await this.store.listLeases({ signal });
    const leased = new Map(leases.map((lease) => [lease.leaseKey, lease]));
    const position = this.config.initialPosition;
    const initial: Lease['checkpoint'] = {
      sequenceNumber: position === 'LATEST' || position === 'TRIM_HORIZON' ? position : 'AT_TIMESTAMP',
      subSequenceNumber: 0,
    };
    const created: string[] = [];
    const covered = new Set(leased.keys());
    const hasLeasedDescendant = leasedDescendantTest(shards, leased);
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (covered.has(shardId) || hasLeasedDescendant(shardId)) continue;
      const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined && covered.has(id));
      const open = shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
      let lease: Lease | undefined;
      if (parents.length > 0) lease = newLease(shardId, parents, shard.HashKeyRange);
      else if (open || position === 'TRIM_HORIZON') lease = newLease(shardId, [], shard.HashKeyRange, initial);
      if (lease === undefined) continue;
      covered.add(shardId);
      if (await this.store.createLeaseIfNotExists(lease, { signal })) created.push(shardId);
    }
    return { created, deleted: await this.#cleanUp(shards, leased, signal) };
  }

  /** Deletes finished leases once every child has a lease that has moved past its start. */
  async #cleanUp(shards: Shard[], leased: Map<string, Lease>, signal: AbortSignal | undefined): Promise<string[]> {
    const deleted: string[] = [];
    const lineage = ShardLineage.fromSdkShards(shards);
    for (const lease of leased.values()) {
      if (lease.checkpoint.sequenceNumber !== 'SHARD_END') continue;
      const children = new Set([...lease.childShardIds, ...lineage.childrenOf(lease.leaseKey)]);
      if (children.size === 0) continue;
      const progressed = [...children].every((child) => {
        const childLease = leased.get(child);
        return childLease !== undefined && (isSequenceNumber(childLease.checkpoint.sequenceNumber) || childLease.checkpoint.sequenceNumber === SHARD_END);
      });
      if (!progressed) continue;
      await this.store.deleteLease(lease.leaseKey, { signal });
      deleted.push(lease.leaseKey);
    }
    return deleted;
  }
}

/** Whether any descendant of a shard (children, their children, …) had a lease when the sync began. */
function leasedDescendantTest(shards: readonly Shard[], leased: ReadonlyMap<string, Lease>): (shardId: string) => boolean {
  const children = new Map<string, string[]>();
  for (const shard of shards) {
    for (const parent of [shard.ParentShardId, shard.AdjacentParentShardId]) {
      if (parent === undefined) continue;
      const known = children.get(parent);
      if (known === undefined) children.set(parent, [shard.ShardId!]);
      else known.push(shard.ShardId!);
    }
  }
  const memo = new Map<string, boolean>();
  const test = (shardId: string): boolean => {
    const known = memo.get(shardId);
    if (known !== undefined) return known;
    memo.set(shardId, false); // a cycle cannot happen in a real stream; this keeps a bad listing finite
    const answer = (children.get(shardId) ?? []).some((child) => leased.has(child) || test(child));
    memo.set(shardId, answer);
    return answer;
  };
  return test;
}

/** Shard ids end in a zero-padded number that grows with creation: parents sort before children. */
function compareShardIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
