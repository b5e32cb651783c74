import { ManualClock } from '@kinesis-toolkit/core';
import { resolveWorkerOptions } from '../config/WorkerOptions';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import { newLease } from '../leases/newLease';
import { LeaseCoordinator } from './LeaseCoordinator';
import type { LeaseHandle } from './LeaseHandle';

// Two coordinators on one in-memory table and a ManualClock: w1 holds both leases, w2 joins and
// balances. Failover 3 s, renewals and scans every 1 s.

const SEQ = '49590338271490256608559692538361571095921575989136588898';

function coordinatorFor(store: InMemoryLeaseStore, clock: ManualClock, workerId: string, gracefulLeaseHandoffTimeoutMs = 10_000) {
  const config = resolveWorkerOptions({
    streamName: 'stream',
    applicationName: 'app',
    workerId,
    failoverTimeMs: 3000,
    leaseRenewalIntervalMs: 1000,
    gracefulLeaseHandoffTimeoutMs,
    clock,
    random: () => 0,
    processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
  });
  const acquired: LeaseHandle[] = [];
  const lost: string[] = [];
  const handoffs: Array<{ handle: LeaseHandle; newOwner: string; at: number }> = [];
  const taken: Array<{ shardId: string; previousOwner: string | undefined; how: string; at: number }> = [];
  const events = {
    emit: (name: string, ...args: unknown[]) => {
      if (name === 'leaseTaken') taken.push({ ...(args[0] as { shardId: string; previousOwner: string | undefined; how: string }), at: clock.now() });
      return true;
    },
  };
  const coordinator = new LeaseCoordinator(store, config, events, {
    acquired: (h) => acquired.push(h),
    lost: (h) => lost.push(h.shardId),
    fatal: (error) => {
      throw error;
    },
    handoff: (handle, newOwner) => handoffs.push({ handle, newOwner, at: clock.now() }),
  });
  return { coordinator, acquired, lost, handoffs, taken };
}

/** w1 holds shard-0 and shard-1 (taken at 0); w2 starts at 10 ms and asks w1 for one of them. */
async function w2Joins(timeoutMs?: number) {
  const clock = new ManualClock();
  const store = new InMemoryLeaseStore();
  await store.ensureTable();
  for (const shardId of ['shard-0', 'shard-1']) await store.createLeaseIfNotExists(newLease(shardId, [], undefined));
  const w1 = coordinatorFor(store, clock, 'w1', timeoutMs);
  await w1.coordinator.start();
  await clock.advance(10);
  const w2 = coordinatorFor(store, clock, 'w2', timeoutMs);
  await w2.coordinator.start();
  const stop = async () => {
    const stopping = Promise.all([w1.coordinator.stop(), w2.coordinator.stop()]);
    await clock.advance(1000);
    await stopping;
  };
  return { clock, store, w1, w2, stop };
}

describe('LeaseCoordinator — graceful handoff when balancing', () => {
  it('asks instead of taking; the owner hears it at its next renewal, checkpoints, lets go; the asker then takes it at that checkpoint', async () => {
    const { clock, store, w1, w2, stop } = await w2Joins();
    expect(w1.acquired.map((h) => h.shardId).sort()).toEqual(['shard-0', 'shard-1']);
    // w2 asked: the table names it leaseOwner and w1 checkpointOwner; nothing taken yet.
    const asked = (await store.listLeases()).leases.find((lease) => lease.checkpointOwner === 'w1')!;
    expect(asked).toMatchObject({ leaseOwner: 'w2', checkpointOwner: 'w1' });
    expect(w2.acquired).toEqual([]);

    // w1's renewal at 1000 ms returns the item: it is told once, and keeps the lease meanwhile.
    await clock.advance(990);
    expect(w1.handoffs.map(({ handle, newOwner, at }) => [handle.shardId, newOwner, at])).toEqual([[asked.leaseKey, 'w2', 1000]]);
    const { handle } = w1.handoffs[0]!;
    expect(handle.held).toBe(true);
    // The processor's shutdownRequested checkpoints (a fenced write: w1 is still the actual owner)...
    await handle.checkpoint({ sequenceNumber: SEQ, subSequenceNumber: 7 });
    // ...and the consumer lets go (the worker then forgets the handle).
    await handle.release();
    w1.coordinator.drop(handle);
    await clock.advance(1000);
    expect(w2.taken).toEqual([{ shardId: asked.leaseKey, previousOwner: 'w1', how: 'handedOver', at: 1010 }]);
    expect(w2.acquired.map((h) => [h.shardId, h.lease.checkpoint])).toEqual([[asked.leaseKey, { sequenceNumber: SEQ, subSequenceNumber: 7 }]]);
    expect(w1.lost).toEqual([]);
    // Balanced, and no more asking: w1 holds one lease, w2 the other, nobody loses one.
    await clock.advance(5000);
    expect([...w1.coordinator.held.keys()]).toEqual([asked.leaseKey === 'shard-0' ? 'shard-1' : 'shard-0']);
    expect([...w2.coordinator.held.keys()]).toEqual([asked.leaseKey]);
    expect(w1.handoffs).toHaveLength(1);
    expect([...w1.lost, ...w2.lost]).toEqual([]);
    await stop();
  });

  it('does not report the lease it hands over as lost when its scan sees the release (the asker as owner) before the answer', async () => {
    const { clock, store, w1, stop } = await w2Joins();
    await clock.advance(990);
    const { handle } = w1.handoffs[0]!;
    // The release is applied in the table (leaseOwner w2, no checkpointOwner, counter moved); its answer is late.
    let answer: () => void = () => undefined;
    const applied = store.releaseLease.bind(store);
    store.releaseLease = async (lease, options) => {
      const released = await applied(lease, options);
      await new Promise<void>((resolve) => (answer = resolve));
      return released;
    };
    const releasing = handle.release();
    await clock.advance(1000); // w1's taking round scans: actual owner w2, counter one past the handle's
    expect(w1.lost).toEqual([]);
    answer();
    await releasing;
    w1.coordinator.drop(handle);
    expect(w1.lost).toEqual([]);
    await stop();
  });

  it('takes the lease anyway when the owner does not let go within gracefulLeaseHandoffTimeoutMs; the owner is fenced off', async () => {
    const { clock, w1, w2, stop } = await w2Joins(5000);
    await clock.advance(990);
    const { handle } = w1.handoffs[0]!;
    // The owner never lets go (a processor stuck in shutdownRequested), but keeps renewing.
    await clock.advance(3990);
    expect(w2.taken).toEqual([]);
    await clock.advance(1000);
    expect(w2.taken).toEqual([{ shardId: handle.shardId, previousOwner: 'w1', how: 'handoffTimedOut', at: 5010 }]);
    await clock.advance(1000);
    expect(w1.lost).toEqual([handle.shardId]);
    await expect(handle.checkpoint({ sequenceNumber: SEQ, subSequenceNumber: 0 })).rejects.toThrow(/no longer held|lease/);
    await stop();
  });

  it('takes the lease as expired when the owner dies during the handoff (failoverTimeMs, before the timeout)', async () => {
    const { clock, w1, w2, stop } = await w2Joins(60_000);
    await clock.advance(990);
    const shardId = w1.handoffs[0]!.handle.shardId;
    // kill -9: no more renewals, nothing released. Its last renewal was at 1000 ms.
    const dying = w1.coordinator.stop();
    await clock.advance(0);
    await dying;
    await clock.advance(3010);
    const take = w2.taken.find((t) => t.shardId === shardId)!;
    expect(take).toMatchObject({ previousOwner: 'w1', how: 'expired' });
    // Seen unchanged from the scan sent at 1010 ms: expired at the first scan 3000 ms later.
    expect(take.at).toBe(4010);
    await stop();
  });

  it('with gracefulLeaseHandoffTimeoutMs 0, takes at once (the KCL 2.x steal): the owner loses the lease at its next renewal', async () => {
    const { clock, w1, w2, stop } = await w2Joins(0);
    expect(w2.taken).toEqual([{ shardId: expect.any(String), previousOwner: 'w1', how: 'stolen', at: 10 }]);
    await clock.advance(990);
    expect(w1.lost).toEqual([w2.taken[0]!.shardId]);
    expect(w1.handoffs).toEqual([]);
    await stop();
  });
});
