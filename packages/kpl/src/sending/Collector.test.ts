import { Collector } from './Collector';
import { outgoingRecord } from '../../test/pendingRecord';

describe('Collector', () => {
  it('is full at maxCount records or maxBytes bytes', () => {
    const byCount = new Collector(3, 1000);
    byCount.push(outgoingRecord(10));
    byCount.push(outgoingRecord(10));
    expect(byCount.hasFullBatch()).toBe(false);
    byCount.push(outgoingRecord(10));
    expect(byCount.hasFullBatch()).toBe(true);

    const byBytes = new Collector(500, 1000);
    byBytes.push(outgoingRecord(600));
    expect(byBytes.hasFullBatch()).toBe(false);
    byBytes.push(outgoingRecord(400));
    expect(byBytes.hasFullBatch()).toBe(true);
  });

  it('takes batches in arrival order within both limits', () => {
    const collector = new Collector(3, 1000);
    const records = [400, 400, 300, 100, 100, 100, 100].map((bytes, i) => outgoingRecord(bytes, 100 + i));
    for (const record of records) collector.push(record);
    expect(collector.takeBatch()).toEqual(records.slice(0, 2)); // a third would make 1100 bytes
    expect(collector.takeBatch()).toEqual(records.slice(2, 5)); // three records
    expect(collector.takeBatch()).toEqual(records.slice(5));
    expect(collector.size).toBe(0);
    expect(collector.hasFullBatch()).toBe(false);
  });

  it('takes a record larger than maxBytes on its own', () => {
    const collector = new Collector(500, 1000);
    const big = outgoingRecord(5000);
    const small = outgoingRecord(10);
    collector.push(big);
    collector.push(small);
    expect(collector.takeBatch()).toEqual([big]);
    expect(collector.takeBatch()).toEqual([small]);
  });

  it('keeps its byte count right after partial takes', () => {
    const collector = new Collector(2, 1000);
    collector.push(outgoingRecord(500));
    collector.push(outgoingRecord(100));
    collector.push(outgoingRecord(800));
    collector.takeBatch(); // 600 bytes
    expect(collector.hasFullBatch()).toBe(false); // 800 left
    collector.push(outgoingRecord(200));
    expect(collector.hasFullBatch()).toBe(true);
  });

  it('reports the earliest deadline among waiting records', () => {
    const collector = new Collector(10, 10_000);
    expect(collector.earliestDeadline()).toBe(Infinity);
    collector.push(outgoingRecord(10, 300));
    collector.push(outgoingRecord(10, 150));
    collector.push(outgoingRecord(10, 200));
    expect(collector.earliestDeadline()).toBe(150);
  });

  it('gives up every waiting record with takeAll()', () => {
    const collector = new Collector(10, 10_000);
    const records = [outgoingRecord(10), outgoingRecord(20)];
    for (const record of records) collector.push(record);
    expect(collector.takeAll()).toEqual(records);
    expect(collector.size).toBe(0);
    collector.push(outgoingRecord(9_999));
    expect(collector.hasFullBatch()).toBe(false);
  });

  it('forgets a record taken apart while it waits: not counted, skipped by batches, its deadline no longer the earliest', () => {
    const collector = new Collector(10, 10_000);
    const [a, b, c] = [outgoingRecord(10, 100), outgoingRecord(20, 50), outgoingRecord(30, 300)];
    for (const record of [a!, b!, c!]) collector.push(record);
    expect(collector.earliestDeadline()).toBe(50);
    b!.stage = 'unpacked';
    collector.cancel(b!);
    expect(collector.size).toBe(2);
    // b had hidden a (a later record with an earlier deadline hides an earlier one with a later deadline).
    expect(collector.earliestDeadline()).toBe(100);
    expect(collector.takeBatch()).toEqual([a, c]);
    expect(collector.earliestDeadline()).toBe(Infinity);
  });

  it('marks what it hands out as sent', () => {
    const collector = new Collector(10, 10_000);
    const record = outgoingRecord(10);
    collector.push(record);
    expect(record.stage).toBe('collected');
    collector.takeBatch();
    expect(record.stage).toBe('sent');
  });
});
