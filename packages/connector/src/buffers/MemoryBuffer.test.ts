import { ManualClock } from '@kinesis-toolkit/testing';
import { record } from '../../test/pipelineFakes';
import { MemoryBuffer } from './MemoryBuffer';

const source = (n: number) => {
  const r = record(n);
  return { sequenceNumber: r.sequenceNumber, subSequenceNumber: 0, partitionKey: r.partitionKey, data: r.data };
};

describe('MemoryBuffer', () => {
  it('asks to flush at maxRecords items', () => {
    const buffer = new MemoryBuffer<string>({ maxRecords: 2 }, new ManualClock());
    buffer.add('a', 1, source(1));
    expect(buffer.shouldFlush(0)).toBe(false);
    buffer.add('b', 1, source(2));
    expect(buffer.shouldFlush(0)).toBe(true);
  });

  it('asks to flush when its bytes reach maxBytes', () => {
    const buffer = new MemoryBuffer<string>({ maxBytes: 10 }, new ManualClock());
    buffer.add('a', 9, source(1));
    expect(buffer.shouldFlush(0)).toBe(false);
    buffer.add('b', 1, source(2));
    expect(buffer.bytes).toBe(10);
    expect(buffer.shouldFlush(0)).toBe(true);
  });

  it('asks to flush when its first record is maxAgeMs old, counting covered positions', () => {
    const clock = new ManualClock(5000);
    const buffer = new MemoryBuffer<string>({ maxAgeMs: 100 }, clock);
    expect(buffer.shouldFlush(1e9)).toBe(false); // empty: never
    buffer.cover(source(1));
    expect(buffer.startedAt).toBe(5000);
    expect(buffer.shouldFlush(5099)).toBe(false);
    expect(buffer.shouldFlush(5100)).toBe(true);
  });

  it('tracks the first and last positions covered, items or not, and drains everything', () => {
    const buffer = new MemoryBuffer<string>({}, new ManualClock());
    buffer.cover(source(1));
    buffer.add('b', 3, source(2));
    buffer.cover(source(3));
    expect(buffer.first).toEqual({ sequenceNumber: record(1).sequenceNumber, subSequenceNumber: 0 });
    expect(buffer.last).toEqual({ sequenceNumber: record(3).sequenceNumber, subSequenceNumber: 0 });
    const drained = buffer.drain();
    expect(drained.items).toEqual(['b']);
    expect(drained.sources.map((s) => s.sequenceNumber)).toEqual([record(2).sequenceNumber]);
    expect(drained.first?.sequenceNumber).toBe(record(1).sequenceNumber);
    expect([buffer.size, buffer.bytes, buffer.first, buffer.last, buffer.startedAt]).toEqual([0, 0, undefined, undefined, undefined]);
  });

  it('uses the defaults and rejects bad thresholds and sizes', () => {
    const buffer = new MemoryBuffer<string>({}, new ManualClock());
    expect([buffer.maxRecords, buffer.maxBytes, buffer.maxAgeMs]).toEqual([1000, 5 * 1024 * 1024, 60000]);
    expect(() => new MemoryBuffer({ maxAgeMs: -1 }, new ManualClock())).toThrow(TypeError);
    expect(() => buffer.add('x', Number.NaN, source(1))).toThrow(/bytes: expected a non-negative number/);
  });
});
