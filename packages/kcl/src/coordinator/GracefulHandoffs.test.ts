import { ManualClock } from '@kinesis-toolkit/core';
import type { Lease } from '../leases/Lease';
import { newLease } from '../leases/newLease';
import { GracefulHandoffs } from './GracefulHandoffs';

const FAILOVER_MS = 3000;
const TIMEOUT_MS = 10_000;

function lease(fields: Partial<Lease>): Lease {
  return { ...newLease('shard-0', [], undefined), leaseCounter: 5, ...fields };
}

/** The taker's view: worker `b` asked `a` for shard-0. */
function asking(clock: ManualClock) {
  const handoffs = new GracefulHandoffs({ workerId: 'b', failoverTimeMs: FAILOVER_MS, timeoutMs: TIMEOUT_MS });
  handoffs.asked('shard-0', 'a', clock.now());
  return handoffs;
}

describe('GracefulHandoffs (the taker side of a graceful handoff)', () => {
  it('waits while the owner finishes, then takes the lease once it has let go', async () => {
    const clock = new ManualClock();
    const handoffs = asking(clock);
    await clock.advance(500);
    expect(handoffs.step(lease({ leaseOwner: 'b', checkpointOwner: 'a' }), 500, clock.now())).toEqual({ action: 'wait', from: 'a' });
    await clock.advance(500);
    expect(handoffs.step(lease({ leaseOwner: 'b' }), 0, clock.now())).toEqual({ action: 'take', reason: 'handedOver', from: 'a' });
  });

  it("takes the lease as expired when the owner's counter stands still for failoverTimeMs (it died mid-handoff)", async () => {
    const clock = new ManualClock();
    const handoffs = asking(clock);
    await clock.advance(FAILOVER_MS);
    const inHandoff = lease({ leaseOwner: 'b', checkpointOwner: 'a' });
    expect(handoffs.step(inHandoff, FAILOVER_MS - 1, clock.now())).toEqual({ action: 'wait', from: 'a' });
    expect(handoffs.step(inHandoff, FAILOVER_MS, clock.now())).toEqual({ action: 'take', reason: 'ownerDead', from: 'a' });
  });

  it('takes the lease anyway once the owner has had the timeout and still not let go (it keeps renewing)', async () => {
    const clock = new ManualClock();
    const handoffs = asking(clock);
    const inHandoff = lease({ leaseOwner: 'b', checkpointOwner: 'a' });
    await clock.advance(TIMEOUT_MS - 1);
    expect(handoffs.step(inHandoff, 100, clock.now())).toEqual({ action: 'wait', from: 'a' });
    await clock.advance(1);
    expect(handoffs.step(inHandoff, 100, clock.now())).toEqual({ action: 'take', reason: 'timedOut', from: 'a' });
  });

  it('times a handoff it did not ask for in this process (a previous incarnation did) from when it first sees it', async () => {
    const clock = new ManualClock();
    const handoffs = new GracefulHandoffs({ workerId: 'b', failoverTimeMs: FAILOVER_MS, timeoutMs: TIMEOUT_MS });
    await clock.advance(60_000);
    const inHandoff = lease({ leaseOwner: 'b', checkpointOwner: 'a' });
    expect(handoffs.step(inHandoff, 0, clock.now())).toEqual({ action: 'wait', from: 'a' });
    await clock.advance(TIMEOUT_MS);
    expect(handoffs.step(inHandoff, 0, clock.now())).toEqual({ action: 'take', reason: 'timedOut', from: 'a' });
  });

  it('leaves leases that are not being handed to it to the usual rules, and forgets a request once the lease went elsewhere', async () => {
    const clock = new ManualClock();
    const handoffs = asking(clock);
    // Another worker's lease, and one named after this worker that it never asked for (its own leftover).
    expect(handoffs.step(lease({ leaseKey: 'shard-1', leaseOwner: 'c' }), 0, clock.now())).toBeUndefined();
    expect(handoffs.step(lease({ leaseKey: 'shard-2', leaseOwner: 'b' }), 0, clock.now())).toBeUndefined();
    // shard-0 was taken by c meanwhile: the request is forgotten, so when it is later unowned and
    // free again it is not mistaken for a handoff.
    expect(handoffs.step(lease({ leaseOwner: 'c' }), 0, clock.now())).toBeUndefined();
    expect(handoffs.step(lease({ leaseOwner: 'b' }), 0, clock.now())).toBeUndefined();
  });

  it('is off with a timeout of 0 (and then forces any handoff it meets at once)', () => {
    const clock = new ManualClock();
    const off = new GracefulHandoffs({ workerId: 'b', failoverTimeMs: FAILOVER_MS, timeoutMs: 0 });
    expect(off.enabled).toBe(false);
    expect(off.step(lease({ leaseOwner: 'b', checkpointOwner: 'a' }), 0, clock.now())).toEqual({ action: 'take', reason: 'timedOut', from: 'a' });
  });
});
