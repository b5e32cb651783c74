import { ManualClock } from '@kinesis-toolkit/testing';
import { resolveWorkerOptions } from '../config/WorkerOptions';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import type { Lease } from '../leases/Lease';
import type { LeaseListing } from '../leases/LeaseStore';
import { newLease } from '../leases/newLease';
import { LeaseCoordinator } from './LeaseCoordinator';
import type { LeaseHandle } from './LeaseHandle';

/** An in-memory store whose table scans can be held at a gate, and which counts renewals. */
class SlowScanStore extends InMemoryLeaseStore {
  renewals = 0;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;

  holdScans(): void {
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  releaseScans(): void {
    this.#open?.();
    this.#gate = undefined;
  }

  override async listLeases(): Promise<LeaseListing> {
    if (this.#gate !== undefined) await this.#gate;
    return super.listLeases();
  }

  override async renewLease(lease: Lease): Promise<Lease> {
    this.renewals++;
    return super.renewLease(lease);
  }
}

function coordinatorFor(store: InMemoryLeaseStore, clock: ManualClock, workerId: string) {
  const config = resolveWorkerOptions({
    streamName: 'stream',
    applicationName: 'app',
    workerId,
    failoverTimeMs: 3000,
    leaseRenewalIntervalMs: 1000,
    clock,
    processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
  });
  const acquired: LeaseHandle[] = [];
  const lost: LeaseHandle[] = [];
  const fatal: unknown[] = [];
  const coordinator = new LeaseCoordinator(store, config, { emit: () => true }, { acquired: (h) => acquired.push(h), lost: (h) => lost.push(h), fatal: (error) => fatal.push(error) });
  return { coordinator, acquired, lost, fatal };
}

describe('LeaseCoordinator', () => {
  it('keeps renewing on time while a table scan (the taking loop) hangs', async () => {
    const clock = new ManualClock();
    const store = new SlowScanStore();
    await store.ensureTable();
    for (const shardId of ['shard-0', 'shard-1']) await store.createLeaseIfNotExists(newLease(shardId, [], undefined));
    const { coordinator, acquired, lost } = coordinatorFor(store, clock, 'w1');
    await coordinator.start();
    expect(acquired.map((h) => h.shardId).sort()).toEqual(['shard-0', 'shard-1']);

    // The next scans hang for 10 s — longer than the failover time.
    store.holdScans();
    for (let second = 1; second <= 10; second++) await clock.advance(1000);
    // A renewal per lease per second, none missed: no other worker could have seen them expire.
    expect(store.renewals).toBe(20);
    expect(lost).toEqual([]);

    store.releaseScans();
    await coordinator.stop();
  });

  it('rounds run at a fixed rate: a slow round does not push the next one back by its own length', async () => {
    const clock = new ManualClock();
    const store = new SlowScanStore();
    await store.ensureTable();
    await store.createLeaseIfNotExists(newLease('shard-0', [], undefined));
    const { coordinator } = coordinatorFor(store, clock, 'w1');
    await coordinator.start();
    const slowRenew = store.renewLease.bind(store);
    // Each renewal takes 400 ms of clock time.
    store.renewLease = async (lease: Lease) => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 400));
      return slowRenew(lease);
    };
    for (let step = 0; step < 50; step++) await clock.advance(100);
    // Rounds start at 1, 2, 3, 4 and 5 s, each finishing 400 ms later: 4 done by 5 s. Scheduled
    // after each round's end instead (1 s + 400 ms apart), only 3 would be.
    expect(store.renewals).toBe(4);
    const stopping = coordinator.stop();
    await clock.advance(1000);
    await stopping;
  });

  it("takes a dead worker's lease at the first round failoverTimeMs after its counter last moved", async () => {
    const clock = new ManualClock();
    const store = new SlowScanStore();
    await store.ensureTable();
    await store.createLeaseIfNotExists(newLease('shard-0', [], undefined));
    const scan = store.listLeases.bind(store);
    // Every scan takes 10 ms of clock time, as a real one takes some.
    store.listLeases = async () => {
      await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
      return scan();
    };
    const first = coordinatorFor(store, clock, 'w1');
    const starting = first.coordinator.start();
    await clock.advance(10);
    await starting;
    const second = coordinatorFor(store, clock, 'w2');
    const secondStarting = second.coordinator.start();
    await clock.advance(10);
    await secondStarting;
    expect(first.acquired.map((h) => h.shardId)).toEqual(['shard-0']);
    expect(second.acquired).toEqual([]);

    // w1 dies at once (its first renewal would have come at 1 s).
    const firstStopping = first.coordinator.stop();
    await firstStopping;
    // w2 last saw the counter move in its scan sent at 10 ms; its next rounds scan at 1010, 2010
    // and 3010 ms. The third is 3000 ms later: the lease is expired when that scan answers (3020 ms).
    await clock.advance(2990);
    expect(clock.now()).toBe(3010);
    expect(second.acquired).toEqual([]);
    await clock.advance(10);
    expect(second.acquired.map((h) => h.shardId)).toEqual(['shard-0']);
    const stopping = second.coordinator.stop();
    await clock.advance(1000);
    await stopping;
  });

  it('scans every leaseTakingIntervalMs while it renews every leaseRenewalIntervalMs', async () => {
    const clock = new ManualClock();
    const store = new SlowScanStore();
    await store.ensureTable();
    await store.createLeaseIfNotExists(newLease('shard-0', [], undefined));
    let scans = 0;
    const scan = store.listLeases.bind(store);
    store.listLeases = async () => {
      scans++;
      return scan();
    };
    const config = resolveWorkerOptions({
      streamName: 'stream',
      applicationName: 'app',
      workerId: 'w1',
      failoverTimeMs: 3000,
      leaseRenewalIntervalMs: 1000,
      leaseTakingIntervalMs: 5000,
      clock,
      processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
    });
    const coordinator = new LeaseCoordinator(store, config, { emit: () => true }, { acquired: () => undefined, lost: () => undefined, fatal: () => undefined });
    await coordinator.start();
    for (let second = 1; second <= 10; second++) await clock.advance(1000);
    // Scans at 0, 5 and 10 s; renewals at 1, 2, …, 10 s.
    expect(scans).toBe(3);
    expect(store.renewals).toBe(10);
    await coordinator.stop();
  });
});

