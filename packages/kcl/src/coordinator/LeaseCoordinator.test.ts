import { ManualClock } from '@kinesis-toolkit/core';
import { RecordingLogger } from '../../test/FakeKinesis';
import { LeaseStoreError } from '../leases/errors';
import type { LeaseCallOptions } from '../leases/LeaseStore';
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
  const coordinator = new LeaseCoordinator(store, config, { emit: () => true }, { acquired: (h) => acquired.push(h), lost: (h) => lost.push(h), fatal: (error) => fatal.push(error), handoff: () => undefined });
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

  it('does not report a lease it is releasing as lost when a scan sees the release before its answer', async () => {
    const clock = new ManualClock();
    const store = new SlowScanStore();
    await store.ensureTable();
    await store.createLeaseIfNotExists(newLease('shard-0', [], undefined));
    const { coordinator, acquired, lost } = coordinatorFor(store, clock, 'w1');
    await coordinator.start();
    // The release (a finished shard's, or a shutdown's) is applied in the table; its answer is late.
    let answer: () => void = () => undefined;
    const applied = store.releaseLease.bind(store);
    store.releaseLease = async (lease, options) => {
      const released = await applied(lease, options);
      await new Promise<void>((resolve) => (answer = resolve));
      return released;
    };
    const releasing = acquired[0]!.release();
    await clock.advance(1000); // a taking round scans: owner gone, counter one past the handle's
    expect(lost).toEqual([]);
    answer();
    await releasing;
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
    const coordinator = new LeaseCoordinator(store, config, { emit: () => true }, { acquired: () => undefined, lost: () => undefined, fatal: () => undefined, handoff: () => undefined });
    await coordinator.start();
    for (let second = 1; second <= 10; second++) await clock.advance(1000);
    // Scans at 0, 5 and 10 s; renewals at 1, 2, …, 10 s.
    expect(scans).toBe(3);
    expect(store.renewals).toBe(10);
    await coordinator.stop();
  });
});


describe('LeaseCoordinator — independent renewals', () => {
  /** A store whose renewals of some shards hang (their table partition is unreachable) until released. */
  class PartlyHungStore extends InMemoryLeaseStore {
    readonly hung = new Set<string>();
    readonly renewed: Array<[shardId: string, at: number]> = [];
    failRenewalsWith: Error | undefined;
    constructor(private readonly clock: ManualClock) {
      super();
    }
    override async renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
      if (this.failRenewalsWith) throw this.failRenewalsWith;
      if (this.hung.has(lease.leaseKey)) return new Promise<Lease>((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)));
      const renewed = await super.renewLease(lease, options);
      this.renewed.push([lease.leaseKey, this.clock.now()]);
      return renewed;
    }
  }

  async function twoLeases(clock: ManualClock, logger?: RecordingLogger) {
    const store = new PartlyHungStore(clock);
    await store.ensureTable();
    for (const shardId of ['shard-0', 'shard-1']) await store.createLeaseIfNotExists(newLease(shardId, [], undefined));
    const config = resolveWorkerOptions({
      streamName: 'stream',
      applicationName: 'app',
      workerId: 'w1',
      failoverTimeMs: 3000,
      leaseRenewalIntervalMs: 1000,
      clock,
      random: () => 0.5,
      ...(logger === undefined ? {} : { logger }),
      processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
    });
    const lost: Array<[shardId: string, at: number]> = [];
    const fatal: unknown[] = [];
    const coordinator = new LeaseCoordinator(store, config, { emit: () => true }, {
      acquired: () => undefined,
      lost: (handle) => lost.push([handle.shardId, clock.now()]),
      fatal: (error) => fatal.push(error),
      handoff: () => undefined,
    });
    await coordinator.start();
    return { store, coordinator, lost, fatal };
  }

  it('keeps renewing the other leases on time while one renewal hangs, and drops that lease alone, before another worker may take it', async () => {
    const clock = new ManualClock();
    const { store, coordinator, lost } = await twoLeases(clock);
    store.hung.add('shard-0');
    for (let second = 1; second <= 5; second++) await clock.advance(1000);
    await clock.advance(500);
    expect(store.renewed.filter(([shardId]) => shardId === 'shard-1').map(([, at]) => at)).toEqual([1000, 2000, 3000, 4000, 5000]);
    // shard-0 was taken (its last write) at 0: dropped at 0 + 3000 − 1000, before 3000 when another
    // worker could take it. At 3000 it is expired for everyone, this worker too, which takes it again
    // — and, its renewals still hanging, drops it again 2000 ms after that take.
    expect(lost).toEqual([
      ['shard-0', 2000],
      ['shard-0', 5000],
    ]);
    expect([...coordinator.held.keys()]).toEqual(['shard-1']);
    const stopping = coordinator.stop();
    await clock.advance(1000);
    await stopping;
  });

  it('retries a failed renewal with backoff within its window, logging each failure with the count', async () => {
    const clock = new ManualClock();
    const logger = new RecordingLogger();
    const { store, coordinator, lost } = await twoLeases(clock, logger);
    store.failRenewalsWith = new LeaseStoreError('renewLease', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true);
    await clock.advance(1000);
    await clock.advance(100);
    store.failRenewalsWith = undefined;
    await clock.advance(400);
    expect(lost).toEqual([]);
    expect(store.renewed.map(([shardId]) => shardId).sort()).toEqual(['shard-0', 'shard-1']);
    expect(logger.at('warn').map((line) => [line.context['shardId'], line.context['consecutiveFailures']])).toEqual(
      expect.arrayContaining([
        ['shard-0', 1],
        ['shard-1', 1],
      ]),
    );
    await coordinator.stop();
  });

  it('hands a lease-table error that retrying cannot fix (access denied) to the worker', async () => {
    const clock = new ManualClock();
    const { store, coordinator, fatal } = await twoLeases(clock);
    const denied = new LeaseStoreError('renewLease', new Error('AccessDeniedException'), false);
    store.failRenewalsWith = denied;
    await clock.advance(1000);
    expect(fatal).toEqual([denied, denied]);
    await coordinator.stop();
  });
});
