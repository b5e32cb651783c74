import { ManualClock } from '@kinesis-toolkit/core';
import { RecordingLogger } from '../../test/FakeKinesis';
import { resolveWorkerOptions } from '../config/WorkerOptions';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import type { Lease } from '../leases/Lease';
import type { LeaseCallOptions } from '../leases/LeaseStore';
import { LeaseStoreError } from '../leases/errors';
import { newLease } from '../leases/newLease';
import type { OperationEvent } from '../lifecycle/OperationEvents';
import type { LeaseLostEvent, WorkerEvents } from '../lifecycle/WorkerEvents';
import { LeaseCoordinator } from './LeaseCoordinator';

// Every way a held lease stops being held must say so: one warn line (shardId, reason, failures in
// a row, time since the last renewal) and a leaseLost event with the same typed reason, counted in
// the next RenewAllLeases event's LostLeases. failoverTimeMs 3000, renewals every 1000 ms: a lease
// is dropped here 2000 ms after its last write was sent.

/** An in-memory store whose renewals can hang (until their deadline aborts them) or fail. */
class FlakyRenewals extends InMemoryLeaseStore {
  hang = false;
  failWith: Error | undefined;
  override async renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    if (this.failWith !== undefined) throw this.failWith;
    if (this.hang) return new Promise<Lease>((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }));
    return super.renewLease(lease, options);
  }
}

async function oneLease(options: { leaseTakingIntervalMs?: number } = {}) {
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const store = new FlakyRenewals();
  await store.ensureTable();
  await store.createLeaseIfNotExists(newLease('shard-0', [], undefined));
  const config = resolveWorkerOptions({
    streamName: 'stream',
    applicationName: 'app',
    workerId: 'w1',
    failoverTimeMs: 3000,
    leaseRenewalIntervalMs: 1000,
    ...options,
    clock,
    random: () => 0.5,
    logger,
    processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
  });
  const lost: LeaseLostEvent[] = [];
  const operations: OperationEvent[] = [];
  const events = {
    emit: <K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]): boolean => {
      if (event === 'operation') operations.push(args[0] as OperationEvent);
      return true;
    },
    listenerCount: () => 1,
  };
  const coordinator = new LeaseCoordinator(store, config, events, { acquired: () => undefined, lost: (_handle, event) => lost.push(event), fatal: () => undefined, handoff: () => undefined });
  await coordinator.start();
  expect([...coordinator.held.keys()]).toEqual(['shard-0']);
  const lossLines = () => logger.at('warn').filter((line) => line.message.startsWith('lease lost'));
  const stop = async () => {
    const stopping = coordinator.stop();
    await clock.advance(3000);
    await stopping;
  };
  return { clock, logger, store, coordinator, lost, operations, lossLines, stop };
}

describe('LeaseCoordinator — every lost lease is logged and reported', () => {
  it('a renewal that hangs until its deadline: warn "renewal deadline passed" with the renewal in flight, leaseLost renewalDeadlinePassed', async () => {
    const { clock, store, lost, lossLines, stop } = await oneLease();
    store.hang = true;
    await clock.advance(1999);
    expect(lost).toEqual([]);
    await clock.advance(1);
    expect(lost).toEqual([{ shardId: 'shard-0', reason: 'renewalDeadlinePassed', consecutiveFailures: 0, renewalInFlight: true, msSinceLastRenewal: 2000 }]);
    expect(lossLines()).toHaveLength(1);
    const [line] = lossLines();
    expect(line!.message).toContain('lease lost: renewal deadline passed');
    expect(line!.context).toMatchObject({ shardId: 'shard-0', reason: 'renewalDeadlinePassed', consecutiveFailures: 0, renewalInFlight: true, msSinceLastRenewal: 2000, failoverTimeMs: 3000, leaseRenewalIntervalMs: 1000 });
    await stop();
  });

  it('renewals that fail until the retry gives up before the deadline: the give-up is logged, then the drop with the failures in a row', async () => {
    const { clock, logger, store, lost, lossLines, stop } = await oneLease();
    store.failWith = new LeaseStoreError('renewLease', Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }), true);
    await clock.advance(2000);
    const failures = logger.at('warn').filter((line) => line.message.startsWith('lease renewal failed'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    // RetryPolicy throws the last error as it was once the next wait would end past deadlineAt: the renewal gives up, and says so.
    expect(failures.at(-1)!.message).toContain('no retry fits before the lease is dropped');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ shardId: 'shard-0', reason: 'renewalDeadlinePassed', consecutiveFailures: failures.length, renewalInFlight: false, msSinceLastRenewal: 2000 });
    expect(lossLines().map((line) => line.context['consecutiveFailures'])).toEqual([failures.length]);
    await stop();
  });

  it('a lease another worker took, seen in a scan: warn "lease taken by w2", leaseLost takenByOtherWorker, counted in LostLeases', async () => {
    const { clock, store, lost, operations, lossLines, stop } = await oneLease({ leaseTakingIntervalMs: 500 });
    await clock.advance(200);
    await store.takeLease((await store.getLease('shard-0'))!, 'w2');
    await clock.advance(300); // the scan at 500 ms sees w2 holding it
    expect(lost).toEqual([{ shardId: 'shard-0', reason: 'takenByOtherWorker', newOwner: 'w2', consecutiveFailures: 0, renewalInFlight: false, msSinceLastRenewal: 500 }]);
    expect(lossLines().map((line) => line.message)).toEqual(['lease lost: lease taken by w2; another worker may process the shard now']);
    // No renewal of it failed (it was not held at the 1000 ms round): lost all the same.
    await clock.advance(500);
    const renewalRounds = operations.filter((event) => event.operation === 'RenewAllLeases');
    expect(renewalRounds.map((event) => 'lostLeases' in event && event.lostLeases)).toEqual([1]);
    await stop();
  });

  it('a renewal whose condition fails (the lease moved on): warn "the lease changed in the table", leaseLost leaseChanged', async () => {
    const { clock, store, lost, lossLines, stop } = await oneLease();
    await store.takeLease((await store.getLease('shard-0'))!, 'w2');
    await clock.advance(1000); // the renewal runs before the scan of this round
    expect(lost).toEqual([{ shardId: 'shard-0', reason: 'leaseChanged', consecutiveFailures: 0, renewalInFlight: true, msSinceLastRenewal: 1000 }]);
    expect(lossLines()[0]!.message).toContain('lease lost: the lease changed in the table');
    expect(lossLines()[0]!.context).toMatchObject({ shardId: 'shard-0', reason: 'leaseChanged' });
    await stop();
  });
});
