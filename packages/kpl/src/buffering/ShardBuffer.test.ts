import { ShardBuffer } from './ShardBuffer';
import { pendingRecord } from '../../test/pendingRecord';

describe('ShardBuffer', () => {
  it('keeps records in arrival order, retried ones put back in front', () => {
    const buffer = new ShardBuffer('shardId-000000000000', 'shardId-000000000000');
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((key) => pendingRecord(key));
    buffer.add(a!);
    buffer.add(b!);
    const taken = buffer.take(1);
    expect(taken).toEqual([a]);
    buffer.add(c!);
    buffer.prepend([a!, d!]);
    expect(buffer.records).toEqual([a, d, b, c]);
    expect(buffer.size).toBe(4);
  });

  it('estimates its aggregate size and returns to zero when emptied', () => {
    const buffer = new ShardBuffer('key:a', undefined);
    buffer.add(pendingRecord('a', 10)); // 11 bytes + overhead
    buffer.add(pendingRecord('a', 20));
    const estimate = buffer.estimatedBytes;
    expect(estimate).toBeGreaterThanOrEqual(32);
    buffer.take(1);
    expect(buffer.estimatedBytes).toBeLessThan(estimate);
    buffer.prepend([pendingRecord('b', 5)]);
    buffer.take(buffer.size);
    expect(buffer.estimatedBytes).toBe(0);
  });

  it('reports the earliest deadline of its records', () => {
    const buffer = new ShardBuffer('s', 's');
    expect(buffer.earliestDeadline()).toBe(Infinity);
    buffer.add(pendingRecord('a', 'x', { deadline: 500 }));
    buffer.add(pendingRecord('b', 'x', { deadline: 200 }));
    expect(buffer.earliestDeadline()).toBe(200);
  });
});
