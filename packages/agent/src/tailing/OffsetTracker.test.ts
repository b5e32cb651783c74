import { OffsetTracker } from './OffsetTracker';

describe('OffsetTracker', () => {
  it('advances over acknowledged records in file order', () => {
    const tracker = new OffsetTracker(10);
    const a = tracker.register(20);
    const b = tracker.register(30);
    expect(tracker.committedOffset).toBe(10);
    tracker.settle(a, 'acknowledged');
    expect(tracker.committedOffset).toBe(20);
    tracker.settle(b, 'acknowledged');
    expect(tracker.committedOffset).toBe(30);
    expect(tracker.unsettled).toBe(0);
  });

  it('does not move past an earlier record still in flight when a later one is acknowledged first', () => {
    const tracker = new OffsetTracker(0);
    const [a, b, c] = [tracker.register(5), tracker.register(9), tracker.register(14)];
    tracker.settle(c!, 'acknowledged');
    tracker.settle(b!, 'acknowledged');
    expect(tracker.committedOffset).toBe(0);
    expect(tracker.unsettled).toBe(1);
    tracker.settle(a!, 'acknowledged');
    expect(tracker.committedOffset).toBe(14);
  });

  it('passes over dropped records but stops for good at a failed one', () => {
    const tracker = new OffsetTracker(0);
    const [a, b, c] = [tracker.register(5), tracker.register(9), tracker.register(14)];
    tracker.settle(a!, 'dropped');
    tracker.settle(b!, 'failed');
    tracker.settle(c!, 'acknowledged');
    expect(tracker.committedOffset).toBe(5);
    expect(tracker.blocked).toBe(true);
  });

  it('ignores a second settle of the same ticket', () => {
    const tracker = new OffsetTracker(0);
    const a = tracker.register(5);
    tracker.settle(a, 'failed');
    tracker.settle(a, 'acknowledged');
    expect(tracker.committedOffset).toBe(0);
    expect(tracker.unsettled).toBe(0);
  });

  it('keeps exact offsets across many records (compaction of the settled prefix)', () => {
    const tracker = new OffsetTracker(0);
    const tickets = Array.from({ length: 5000 }, (_, i) => tracker.register((i + 1) * 3));
    // Acknowledge in reverse order inside windows of 10: out of order, like concurrent puts.
    for (let start = 0; start < tickets.length; start += 10) {
      for (let i = Math.min(start + 9, tickets.length - 1); i >= start; i--) tracker.settle(tickets[i]!, 'acknowledged');
      expect(tracker.committedOffset).toBe(Math.min(start + 10, tickets.length) * 3);
    }
    const late = tracker.register(20_000);
    tracker.settle(late, 'acknowledged');
    expect(tracker.committedOffset).toBe(20_000);
  });

  it('refuses records out of file order', () => {
    const tracker = new OffsetTracker(10);
    expect(() => tracker.register(5)).toThrow(RangeError);
  });
});
