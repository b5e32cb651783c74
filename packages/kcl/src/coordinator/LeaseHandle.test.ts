import { KinesisToolkitError, ManualClock } from '@kinesis-toolkit/core';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import type { Lease } from '../leases/Lease';
import type { LeaseCallOptions } from '../leases/LeaseStore';
import { LeaseLostError, LeaseStoreError } from '../leases/errors';
import { newLease } from '../leases/newLease';
import { RecordingLogger } from '../../test/FakeKinesis';
import { LeaseHandle, type LeaseLoss } from './LeaseHandle';

// LeaseHandle on an in-memory store and a ManualClock. failoverTimeMs 3000 and renewal interval
// 1000: a lease is held here until 2000 ms after its last successful write was sent.
const SETTINGS = { failoverTimeMs: 3_000, leaseRenewalIntervalMs: 1_000 };

/** An in-memory store whose calls can be made to hang (a blackholed table) or to lose their answers. */
class ControlledStore extends InMemoryLeaseStore {
  hang = false;
  /** Apply the next write, then fail as a reset connection would: the caller never learns it was applied. */
  loseNextAnswer = false;

  async #maybe<T>(options: LeaseCallOptions | undefined, apply: () => Promise<T>): Promise<T> {
    if (this.hang) {
      return new Promise<T>((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }));
    }
    const result = await apply();
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      throw new LeaseStoreError('write', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true);
    }
    return result;
  }

  override renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    return this.#maybe(options, () => super.renewLease(lease, options));
  }

  override updateCheckpoint(lease: Lease, checkpoint: Lease['checkpoint'], pending?: undefined, options?: LeaseCallOptions): Promise<Lease> {
    return this.#maybe(options, () => super.updateCheckpoint(lease, checkpoint, pending, options));
  }
}

async function held(store: ControlledStore, clock: ManualClock, logger?: RecordingLogger): Promise<{ handle: LeaseHandle; lost: unknown[]; losses: LeaseLoss[] }> {
  await store.ensureTable();
  await store.createLeaseIfNotExists(newLease('shardId-0', [], undefined));
  const sentAt = clock.now();
  const taken = await store.takeLease((await store.getLease('shardId-0'))!, 'w1');
  const lost: unknown[] = [];
  const losses: LeaseLoss[] = [];
  const onLost = (_handle: LeaseHandle, loss: LeaseLoss): void => {
    lost.push(loss.cause);
    losses.push(loss);
  };
  const handle = new LeaseHandle(taken, store, { clock, ...SETTINGS, logger }, onLost, sentAt);
  return { handle, lost, losses };
}

describe('LeaseHandle — the lease-drop rule', () => {
  it('drops the lease at (last write sent) + failoverTimeMs − leaseRenewalIntervalMs when no renewal gets through, reporting it once', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle, lost, losses } = await held(store, clock);
    expect(handle.validUntil).toBe(2_000);
    store.hang = true;
    const renewal = handle.renew().catch((error: unknown) => error);
    await clock.advance(1_999);
    expect(handle.held).toBe(true);
    expect(lost).toEqual([]);
    await clock.advance(1);
    expect(handle.held).toBe(false);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(LeaseLostError);
    expect((lost[0] as Error).message).toContain('dropped here 1000 ms before another worker may take it');
    expect(losses[0]?.reason).toBe('renewalDeadlinePassed');
    // The renewal sent into the blackhole returned, with the loss.
    expect(await renewal).toBeInstanceOf(KinesisToolkitError);
    await clock.advance(10_000);
    expect(lost).toHaveLength(1);
  });

  it('a renewal that gets through holds the lease until its own send time + 2000 ms', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle } = await held(store, clock);
    await clock.advance(1_000);
    await handle.renew();
    expect(handle.validUntil).toBe(3_000);
    await clock.advance(1_999);
    expect(handle.held).toBe(true);
    await clock.advance(1);
    expect(handle.held).toBe(false);
  });

  it('bounds every write by the drop time: a checkpoint sent into a table that never answers returns', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle } = await held(store, clock);
    store.hang = true;
    await clock.advance(500);
    const checkpoint = handle.checkpoint({ sequenceNumber: '1', subSequenceNumber: 0 }).catch((error: unknown) => error);
    await clock.advance(1_500);
    expect(await checkpoint).toBeInstanceOf(KinesisToolkitError);
    expect(handle.lost).toBe(true);
    // Nothing is written once the lease is dropped.
    store.hang = false;
    await expect(handle.checkpoint({ sequenceNumber: '2', subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
    expect((await store.getLease('shardId-0'))?.checkpoint.sequenceNumber).toBe('TRIM_HORIZON');
  });

  it('after a write whose answer was lost, reads the lease back and carries on when it shows only that write', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle, lost } = await held(store, clock);
    store.loseNextAnswer = true;
    await expect(handle.checkpoint({ sequenceNumber: '5', subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseStoreError);
    // The checkpoint was applied (counter 2): without the read-back this renewal would fail its condition.
    await handle.renew();
    expect(lost).toEqual([]);
    expect(await store.getLease('shardId-0')).toMatchObject({ leaseCounter: 3, leaseOwner: 'w1', checkpoint: { sequenceNumber: '5' } });
  });

  it('after a write whose answer was lost, is lost when the table shows another owner', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle, losses } = await held(store, clock);
    store.loseNextAnswer = true;
    await expect(handle.renew()).rejects.toBeInstanceOf(LeaseStoreError);
    await store.takeLease((await store.getLease('shardId-0'))!, 'w2');
    await expect(handle.renew()).rejects.toBeInstanceOf(LeaseLostError);
    expect(losses.map(({ reason, newOwner }) => ({ reason, newOwner }))).toEqual([{ reason: 'takenByOtherWorker', newOwner: 'w2' }]);
    expect((await store.getLease('shardId-0'))?.leaseOwner).toBe('w2');
  });

  it('release gives the lease up without reporting a loss, and stops its timer', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const { handle, lost } = await held(store, clock);
    await handle.release();
    expect((await store.getLease('shardId-0'))?.leaseOwner).toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10_000);
    expect(lost).toEqual([]);
  });

  it('a release that fails (shutdown while the table throttles) is logged at warn, not given up silently', async () => {
    const clock = new ManualClock();
    const store = new ControlledStore();
    const logger = new RecordingLogger();
    const { handle, lost } = await held(store, clock, logger);
    store.releaseLease = () => Promise.reject(new LeaseStoreError('releaseLease', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), true, 'shardId-0'));
    await handle.release();
    expect(handle.lost).toBe(true);
    expect(lost).toEqual([]);
    expect(logger.at('warn').map((line) => [line.context['shardId'], line.message])).toEqual([
      ['shardId-0', 'releasing the lease failed: another worker takes it once it has seen it unrenewed for failoverTimeMs'],
    ]);
  });
});
