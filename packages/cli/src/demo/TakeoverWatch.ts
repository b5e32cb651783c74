import { actualOwnerOf, type LeaseStore } from '@kinesis-toolkit/kcl';
import { waitFor } from '@kinesis-toolkit/testing';
import { SYSTEM_CLOCK, type Clock } from '@kinesis-toolkit/core';

/** A takeover as the lease table showed it. */
export interface Takeover {
  readonly victim: string;
  /** The unfinished leases the victim held when it was killed. */
  readonly leases: readonly string[];
  /** Who holds each of them now. */
  readonly newOwners: Readonly<Record<string, string>>;
  /** From the kill until every one of them was held by a live worker. */
  readonly takeoverMs: number;
}

/**
 * The unfinished leases (not at SHARD_END) `owner` holds: it is their actual owner — during a
 * graceful handoff the worker handing over (`checkpointOwner`), not the one that asked.
 */
export async function leasesHeldBy(store: LeaseStore, owner: string): Promise<string[]> {
  const { leases } = await store.listLeases();
  return leases.filter((l) => actualOwnerOf(l) === owner && l.checkpoint.sequenceNumber !== 'SHARD_END').map((l) => l.leaseKey).sort();
}

/**
 * Watches the lease table after a worker was killed until every lease it held is owned by
 * another worker (its actual owner, with no handoff to the victim pending); resolves with how long that took from `killedAt` (by `clock`). It can never be
 * later than the failover time after the victim's last renewal plus one renewal round of the
 * taker (leases are taken once expired); it can be shorter than the failover time.
 */
export async function watchTakeover(options: {
  readonly store: LeaseStore;
  readonly victim: string;
  readonly leases: readonly string[];
  readonly killedAt: number;
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
}): Promise<Takeover> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const newOwners = await waitFor(
    async () => {
      const { leases } = await options.store.listLeases();
      const owners: Record<string, string> = {};
      for (const key of options.leases) {
        const lease = leases.find((l) => l.leaseKey === key);
        // A lease that is gone or finished needs no new owner.
        if (lease === undefined || lease.checkpoint.sequenceNumber === 'SHARD_END') continue;
        // Only asked for by another worker (the victim still its checkpointOwner) is not taken over yet.
        const owner = actualOwnerOf(lease);
        if (owner === undefined || owner === options.victim) return false;
        owners[key] = owner;
      }
      return owners;
    },
    { timeoutMs: options.timeoutMs, intervalMs: options.pollMs ?? 100, description: `the leases of ${options.victim} (${options.leases.join(', ')}) to be taken over`, signal: options.signal, clock },
  );
  return { victim: options.victim, leases: options.leases, newOwners, takeoverMs: clock.now() - options.killedAt };
}
