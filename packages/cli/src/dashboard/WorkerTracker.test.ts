import { ManualClock } from '@kinesis-toolkit/core';
import { WorkerTracker } from './WorkerTracker';
import { leaseOf } from '../../test/dashboardFixtures';

const T0 = 1_700_000_000_000;

describe('WorkerTracker', () => {
  let clock: ManualClock;
  let tracker: WorkerTracker;
  const states = () => Object.fromEntries(tracker.workers().map((w) => [w.workerId, `${w.state}:${w.leaseKeys.join(',')}`]));
  beforeEach(() => {
    clock = new ManualClock(T0);
    tracker = new WorkerTracker({ failoverTimeMs: 3_000, forgetAfterMs: 60_000, clock });
  });

  it('finds the workers as the owners named in the lease table; the first sight says nothing about liveness', () => {
    tracker.observe([leaseOf('s0', 'w1', 5), leaseOf('s1', 'w2', 9), leaseOf('s2', 'w1', 1), leaseOf('s3', undefined, 0)]);
    expect(tracker.workers()).toEqual([
      { workerId: 'w1', leaseKeys: ['s0', 's2'], state: 'watching', lastActivityMs: undefined, firstSeenMs: T0 },
      { workerId: 'w2', leaseKeys: ['s1'], state: 'watching', lastActivityMs: undefined, firstSeenMs: T0 },
    ]);
  });

  it('counts a lease being handed over as held by its checkpointOwner (the worker still holding it), not the asker', () => {
    tracker.observe([{ ...leaseOf('s0', 'w2', 5), checkpointOwner: 'w1' }, leaseOf('s1', 'w2', 9)]);
    expect(states()).toEqual({ w1: 'watching:s0', w2: 'watching:s1' });
  });

  it('is active while a lease counter moves and silent once none has moved for the failover time', async () => {
    tracker.observe([leaseOf('s0', 'w1', 5), leaseOf('s1', 'w2', 9)]);
    await clock.advance(1_000);
    tracker.observe([leaseOf('s0', 'w1', 6), leaseOf('s1', 'w2', 9)]);
    expect(states()).toEqual({ w1: 'active:s0', w2: 'watching:s1' });
    await clock.advance(2_000);
    tracker.observe([leaseOf('s0', 'w1', 7), leaseOf('s1', 'w2', 9)]);
    // w2's counter has not moved for 3 s since it was first seen: its lease has expired for the others.
    expect(states()).toEqual({ w1: 'active:s0', w2: 'silent:s1' });
    expect(tracker.workers()[0]!.lastActivityMs).toBe(T0 + 3_000);
  });

  it('shows a takeover: the new owner is active, the old one gone (until forgotten)', async () => {
    tracker.observe([leaseOf('s0', 'w1', 5), leaseOf('s1', 'w2', 9)]);
    await clock.advance(4_000);
    tracker.observe([leaseOf('s0', 'w2', 6), leaseOf('s1', 'w2', 10)]);
    expect(states()).toEqual({ w2: 'active:s0,s1', w1: 'gone:' });
    await clock.advance(60_000);
    tracker.observe([leaseOf('s0', 'w2', 26), leaseOf('s1', 'w2', 30)]);
    expect(states()).toEqual({ w2: 'active:s0,s1' });
  });

  it('credits a released-then-taken lease to its new owner', async () => {
    tracker.observe([leaseOf('s0', 'w1', 5)]);
    await clock.advance(500);
    tracker.observe([leaseOf('s0', undefined, 6)]);
    expect(states()).toEqual({ w1: 'gone:' });
    await clock.advance(500);
    tracker.observe([leaseOf('s0', 'w3', 7)]);
    expect(tracker.workers().find((w) => w.workerId === 'w3')).toMatchObject({ state: 'active', lastActivityMs: T0 + 1_000 });
  });
});
