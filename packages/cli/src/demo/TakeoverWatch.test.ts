import { InMemoryLeaseStore, type Lease } from '@kinesis-toolkit/kcl';
import { ManualClock } from '@kinesis-toolkit/testing';
import { leasesHeldBy, watchTakeover } from './TakeoverWatch';

const lease = (leaseKey: string, leaseOwner: string | undefined, sequenceNumber = 'TRIM_HORIZON'): Lease => ({
  leaseKey,
  leaseOwner,
  leaseCounter: 1,
  checkpoint: { sequenceNumber, subSequenceNumber: 0 },
  pendingCheckpoint: undefined,
  pendingCheckpointState: undefined,
  ownerSwitchesSinceCheckpoint: 0,
  parentShardIds: [],
  childShardIds: [],
  hashKeyRange: undefined,
});

async function storeWith(...leases: Lease[]): Promise<InMemoryLeaseStore> {
  const store = new InMemoryLeaseStore();
  await store.ensureTable();
  for (const l of leases) await store.createLeaseIfNotExists(l);
  return store;
}

describe('leasesHeldBy', () => {
  it('lists the unfinished leases of one owner', async () => {
    const store = await storeWith(lease('s0', 'w2'), lease('s1', 'w1'), lease('s2', 'w2', 'SHARD_END'), lease('s3', 'w2', '4950'));
    await expect(leasesHeldBy(store, 'w2')).resolves.toEqual(['s0', 's3']);
  });

  it('counts a lease being handed over as its actual owner\'s (checkpointOwner), not the asker\'s', async () => {
    const store = await storeWith(lease('s0', 'w2'), lease('s1', 'w2'));
    await store.initiateGracefulHandoff((await store.getLease('s1'))!, 'w1');
    await expect(leasesHeldBy(store, 'w2')).resolves.toEqual(['s0', 's1']);
    await expect(leasesHeldBy(store, 'w1')).resolves.toEqual([]);
  });
});

describe('watchTakeover', () => {
  it('resolves once every lease of the killed worker is held by another, with the time since the kill', async () => {
    const store = await storeWith(lease('s0', 'w2'), lease('s1', 'w2'), lease('s2', 'w1'));
    const clock = new ManualClock(10_000);
    let settled: unknown;
    const watch = watchTakeover({ store, victim: 'w2', leases: ['s0', 's1'], killedAt: 10_000, timeoutMs: 60_000, pollMs: 100, clock }).then((t) => (settled = t));
    await clock.advance(2000);
    await store.takeLease((await store.getLease('s0'))!, 'w1');
    await clock.advance(1000);
    expect(settled).toBeUndefined();
    await store.takeLease((await store.getLease('s1'))!, 'w3');
    await clock.advance(100);
    await watch;
    expect(settled).toEqual({ victim: 'w2', leases: ['s0', 's1'], newOwners: { s0: 'w1', s1: 'w3' }, takeoverMs: 3100 });
  });

  it('is not done while a lease of the killed worker is only asked for by another (the killed worker still its actual owner)', async () => {
    const store = await storeWith(lease('s0', 'w2'));
    const clock = new ManualClock(10_000);
    let settled: unknown;
    const watch = watchTakeover({ store, victim: 'w2', leases: ['s0'], killedAt: 10_000, timeoutMs: 60_000, pollMs: 100, clock }).then((t) => (settled = t));
    // w1 asks for it: leaseOwner w1, but the dead w2 is still its actual owner.
    const asked = await store.initiateGracefulHandoff((await store.getLease('s0'))!, 'w1');
    await clock.advance(1000);
    expect(settled).toBeUndefined();
    // Expired, w1 takes it: the takeover is done.
    await store.takeLease(asked, 'w1');
    await clock.advance(100);
    await watch;
    expect(settled).toMatchObject({ newOwners: { s0: 'w1' }, takeoverMs: 1100 });
  });

  it('gives up after its timeout, saying which leases it waited for', async () => {
    const store = await storeWith(lease('s0', 'w2'));
    const clock = new ManualClock();
    const watch = watchTakeover({ store, victim: 'w2', leases: ['s0'], killedAt: 0, timeoutMs: 5000, clock });
    const outcome = expect(watch).rejects.toThrow(/the leases of w2 \(s0\) to be taken over/);
    await clock.advance(5100);
    await outcome;
  });
});
