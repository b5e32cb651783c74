import { ManualClock } from '@kinesis-toolkit/core';
import type { LeaseLag } from '../leases/leaseView';
import { LagTracker } from './LagTracker';
import type { Lease } from '@kinesis-toolkit/kcl';
import { leaseOf } from '../../test/dashboardFixtures';

const T0 = 1_700_000_000_000;

/** A probe that answers when told to, recording what it was asked. */
function fakeProbe() {
  const calls: string[] = [];
  const pending: { leaseKey: string; resolve: (lag: LeaseLag) => void; reject: (error: Error) => void }[] = [];
  const probe = (item: Lease) => {
    calls.push(item.leaseKey);
    return new Promise<LeaseLag>((resolve, reject) => pending.push({ leaseKey: item.leaseKey, resolve, reject }));
  };
  const answerAll = (millisBehindLatest: number) => {
    for (const call of pending.splice(0)) call.resolve({ kind: 'behind', millisBehindLatest });
  };
  return { probe, calls, pending, answerAll };
}

describe('LagTracker', () => {
  let clock: ManualClock;
  const signal = new AbortController().signal;
  beforeEach(() => (clock = new ManualClock(T0)));

  it('measures each lease once, then again only after intervalMs', async () => {
    const fake = fakeProbe();
    const tracker = new LagTracker(fake.probe, { intervalMs: 10_000, probesPerSecond: 100, clock });
    const leases = [leaseOf('a', 'w'), leaseOf('b', 'w')];
    const done = tracker.refresh(leases, signal);
    expect(fake.calls).toEqual(['a', 'b']);
    // In flight: not probed twice.
    void tracker.refresh(leases, signal);
    expect(fake.calls).toEqual(['a', 'b']);
    fake.answerAll(1500);
    await done;
    expect(tracker.readingOf('a')).toEqual({ lag: { kind: 'behind', millisBehindLatest: 1500 }, measuredAtMs: T0, checkpoint: '100' });
    await clock.advance(9_999);
    void tracker.refresh(leases, signal);
    expect(fake.calls).toHaveLength(2);
    await clock.advance(1);
    void tracker.refresh(leases, signal);
    expect(fake.calls).toEqual(['a', 'b', 'a', 'b']);
  });

  it('starts at most probesPerSecond probes per second; the rest stay due, oldest reading first', async () => {
    const fake = fakeProbe();
    const tracker = new LagTracker(fake.probe, { intervalMs: 1_000, probesPerSecond: 2, concurrency: 10, clock });
    const leases = ['a', 'b', 'c', 'd', 'e'].map((key) => leaseOf(key, 'w'));
    void tracker.refresh(leases, signal);
    expect(fake.calls).toEqual(['a', 'b']);
    fake.answerAll(0);
    await clock.advance(500);
    void tracker.refresh(leases, signal);
    expect(fake.calls).toEqual(['a', 'b', 'c']);
    fake.answerAll(0);
    await clock.advance(1_000);
    void tracker.refresh(leases, signal);
    // Never measured (d, e) before the oldest reading.
    expect(fake.calls.slice(3)).toEqual(['d', 'e']);
  });

  it('keeps at most `concurrency` probes in flight', () => {
    const fake = fakeProbe();
    const tracker = new LagTracker(fake.probe, { intervalMs: 1_000, probesPerSecond: 100, concurrency: 3, clock });
    void tracker.refresh(['a', 'b', 'c', 'd', 'e'].map((key) => leaseOf(key, 'w')), signal);
    expect(fake.pending).toHaveLength(3);
  });

  it('shows a SHARD_END checkpoint as ended without a probe', async () => {
    const fake = fakeProbe();
    const tracker = new LagTracker(fake.probe, { intervalMs: 1_000, probesPerSecond: 1, clock });
    await tracker.refresh([leaseOf('done', 'w', 1, 'SHARD_END')], signal);
    expect(fake.calls).toEqual([]);
    expect(tracker.readingOf('done')).toEqual({ lag: { kind: 'ended' }, measuredAtMs: T0, checkpoint: 'SHARD_END' });
  });

  it('turns a probe that throws into an unknown lag saying why', async () => {
    const tracker = new LagTracker(() => Promise.reject(new Error('socket hang up')), { intervalMs: 1_000, probesPerSecond: 1, clock });
    await tracker.refresh([leaseOf('a', 'w')], signal);
    expect(tracker.readingOf('a')?.lag).toEqual({ kind: 'unknown', why: 'socket hang up' });
  });

  it('forgets leases that left the table and records nothing after the signal aborted', async () => {
    const fake = fakeProbe();
    const tracker = new LagTracker(fake.probe, { intervalMs: 1_000, probesPerSecond: 100, clock });
    const first = tracker.refresh([leaseOf('a', 'w')], signal);
    fake.answerAll(5);
    await first;
    await tracker.refresh([], signal);
    expect(tracker.readingOf('a')).toBeUndefined();

    const stop = new AbortController();
    const second = tracker.refresh([leaseOf('b', 'w')], stop.signal);
    stop.abort();
    fake.answerAll(5);
    await second;
    expect(tracker.readingOf('b')).toBeUndefined();
    expect(tracker.inFlight).toBe(0);
  });
});
