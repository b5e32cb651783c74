import { pendingRecord } from '../../test/pendingRecord';
import { Admission } from './Admission';

// pendingRecord('k', n): n data bytes plus the 1-byte key.
const record = (key: string, dataBytes: number) => pendingRecord(key, dataBytes);

describe('Admission (the producer’s outstanding bounds and backpressure)', () => {
  it('takes records while there is room and counts their records and bytes', () => {
    const admission = new Admission({ maxOutstandingRecords: 3, maxOutstandingBytes: 1_000 });
    expect(admission.offer(record('a', 9))).toBe(true);
    expect(admission.offer(record('b', 19))).toBe(true);
    expect([admission.records, admission.bytes, admission.hasCapacity]).toEqual([2, 30, true]);
  });

  it('queues a record once the record bound is reached, and admits the queue in order as room returns, owing one drain', () => {
    const admission = new Admission({ maxOutstandingRecords: 2, maxOutstandingBytes: 1_000 });
    const [a, b, c, d] = [record('a', 1), record('b', 1), record('c', 1), record('d', 1)];
    expect([admission.offer(a), admission.offer(b), admission.offer(c), admission.offer(d)]).toEqual([true, true, false, false]);
    expect([admission.waitingCount, admission.hasCapacity]).toEqual([2, false]);
    const admitted: string[] = [];
    admission.release(a);
    expect(admission.admitWaiting((r) => admitted.push(r.partitionKey))).toBe(false);
    expect(admitted).toEqual(['c']);
    admission.release(b);
    admission.release(c);
    expect(admission.admitWaiting((r) => admitted.push(r.partitionKey))).toBe(true);
    expect(admitted).toEqual(['c', 'd']);
    expect(admission.admitWaiting(() => undefined)).toBe(false);
  });

  it('owes a drain after taking the last room even when nothing had to wait', () => {
    const admission = new Admission({ maxOutstandingRecords: 1, maxOutstandingBytes: 1_000 });
    const a = record('a', 1);
    expect(admission.offer(a)).toBe(true);
    expect(admission.hasCapacity).toBe(false);
    admission.release(a);
    expect(admission.admitWaiting(() => undefined)).toBe(true);
  });

  it('takes a record larger than the byte bound when nothing is outstanding, and queues a later one behind it', () => {
    const admission = new Admission({ maxOutstandingRecords: 10, maxOutstandingBytes: 100 });
    const big = record('a', 500);
    expect(admission.offer(big)).toBe(true);
    expect(admission.offer(record('b', 1))).toBe(false);
    admission.release(big);
    const admitted: string[] = [];
    expect(admission.admitWaiting((r) => admitted.push(r.partitionKey))).toBe(true);
    expect(admitted).toEqual(['b']);
  });

  it('keeps put() order across a long queue (the FIFO compacts its moving head)', () => {
    const admission = new Admission({ maxOutstandingRecords: 1, maxOutstandingBytes: 1_000_000 });
    const first = record('first', 1);
    admission.offer(first);
    const queued = Array.from({ length: 5_000 }, (_, i) => record(`k${i}`, 1));
    for (const r of queued) admission.offer(r);
    const admitted: string[] = [];
    let holding = first;
    for (let i = 0; i < queued.length; i++) {
      admission.release(holding);
      admission.admitWaiting((r) => {
        admitted.push(r.partitionKey);
        holding = r;
      });
    }
    expect(admitted).toEqual(queued.map((r) => r.partitionKey));
    expect(admission.waitingCount).toBe(0);
  });
});
