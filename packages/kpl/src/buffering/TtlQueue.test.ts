import { TtlQueue } from './TtlQueue';
import { pendingRecord } from '../../test/pendingRecord';

describe('TtlQueue', () => {
  it('hands out the unsettled records whose TTL has come, oldest first, and says when the next one expires', () => {
    const queue = new TtlQueue();
    const records = [100, 200, 300, 400].map((expiresAt, i) => pendingRecord(`k${i}`, 'x', { expiresAt }));
    for (const record of records) queue.add(record);
    expect(queue.nextExpiresAt()).toBe(100);
    expect(queue.takeExpired(99)).toBeUndefined();
    queue.remove(records[1]!);
    expect(queue.takeExpired(300)).toEqual([records[0], records[2]]);
    expect(queue.nextExpiresAt()).toBe(400);
    queue.remove(records[3]!);
    expect(queue.nextExpiresAt()).toBe(Infinity);
    expect(queue.size).toBe(0);
  });

  it('costs what it hands out: a tick with nothing due looks at the head only', () => {
    const queue = new TtlQueue();
    const records = Array.from({ length: 10_000 }, (_, i) => pendingRecord(`k${i}`, 'x', { expiresAt: 1000 + i }));
    for (const record of records) queue.add(record);
    // Count the records it looks at.
    const visited: number[] = [];
    for (const [i, record] of records.entries()) {
      Object.defineProperty(record, 'expiresAt', { get: () => (visited.push(i), 1000 + i) });
    }
    expect(queue.takeExpired(999)).toBeUndefined();
    expect(queue.takeExpired(1002)).toEqual(records.slice(0, 3));
    expect(visited.length).toBeLessThanOrEqual(5);
  });

  it('lets go of a record as it settles, and keeps its slots bounded by what is outstanding while an old record stays', () => {
    const queue = new TtlQueue();
    const old = pendingRecord('old', 'x', { expiresAt: 10 });
    queue.add(old);
    const kept = pendingRecord('kept', 'x', { expiresAt: 50 });
    queue.add(kept);
    for (let i = 0; i < 100_000; i++) {
      const record = pendingRecord(`k${i}`, 'x', { expiresAt: 100 + i });
      queue.add(record);
      queue.remove(record);
    }
    expect(queue.size).toBeLessThan(10_000);
    // Slots were renumbered by compaction: removal still finds its record.
    queue.remove(kept);
    expect(queue.takeExpired(1_000_000)).toEqual([old]);
  });
});
