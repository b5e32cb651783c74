import { waitFor } from '@kinesis-toolkit/testing';
import type { LeaseStore } from '../src/leases/LeaseStore';
import type { WorkerProcess } from './WorkerProcess';

// Helpers of the multi-process Worker tests: who owns what in the lease table, and waiting for a
// phase to complete while the worker processes that must stay alive do.

/** Lease owner per shard, from the table. */
export async function owners(store: LeaseStore): Promise<Map<string, string | undefined>> {
  const { leases } = await store.listLeases();
  return new Map(leases.map((lease) => [lease.leaseKey, lease.leaseOwner]));
}

/** How many leases each owner has (`(none)` for unowned ones). */
export function countByOwner(owned: Map<string, string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const owner of owned.values()) counts.set(owner ?? '(none)', (counts.get(owner ?? '(none)') ?? 0) + 1);
  return counts;
}

export const showOwners = (owned: Map<string, string | undefined>): string => JSON.stringify(Object.fromEntries(countByOwner(owned)));

/** waitFor that fails at once, with the children's output, if one of `mustLive` dies meanwhile. */
export async function until(description: string, timeoutMs: number, mustLive: WorkerProcess[], condition: () => boolean | Promise<boolean>): Promise<void> {
  let died: WorkerProcess | undefined;
  try {
    await waitFor(
      async () => {
        died = mustLive.find((child) => !child.alive || child.of('startFailed').length > 0);
        return died !== undefined || (await condition());
      },
      { timeoutMs, intervalMs: 25, description },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${mustLive.map((child) => child.describe()).join('\n')}`);
  }
  if (died) throw new Error(`while waiting for ${description}, ${died.workerId} stopped: ${died.describe()}`);
}
