import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { aggregate } from './aggregate';
import { InvalidRecordError } from './errors/InvalidRecordError';
import { RecordTooLargeError } from './errors/RecordTooLargeError';
import { MAX_RECORD_BYTES } from './limits';

describe('aggregate', () => {
  it('packs records in order into as few aggregates as maxBytes allows', () => {
    const records = Array.from({ length: 100 }, (_, i) => ({ partitionKey: `k${i}`, data: Buffer.alloc(90) }));
    const out = aggregate(records, { maxBytes: 1000 });
    expect(out.every((r) => r.data.length <= 1000)).toBe(true);
    expect(out.reduce((n, r) => n + r.userRecordCount, 0)).toBe(100);
    // Each aggregate but the last was full: the next record would not have fitted.
    expect(out.slice(0, -1).every((r) => r.data.length > 1000 - 100)).toBe(true);
  });

  it('sends a record too large for an aggregate, but within the record limit, on its own', () => {
    const big = { partitionKey: 'big', data: Buffer.alloc(MAX_RECORD_BYTES - 3) };
    const out = aggregate([{ partitionKey: 's1', data: Buffer.from('a') }, big, { partitionKey: 's2', data: Buffer.from('b') }]);
    expect(out.map((r) => [r.aggregated, r.userRecordCount, r.partitionKey])).toEqual([
      [false, 1, 's1'],
      [false, 1, 'big'],
      [false, 1, 's2'],
    ]);
    expect(out[1]!.data).toBe(big.data);
  });

  it('rejects a record over the stream\'s record limit with a typed error', () => {
    const huge = { partitionKey: 'huge', data: Buffer.alloc(MAX_RECORD_BYTES) };
    expect(() => aggregate([huge])).toThrow(RecordTooLargeError);
    expect(() => aggregate([huge])).toThrow(/data plus partition key\) is 1048580 bytes, over the limit of 1048576/);
    expect(aggregate([huge], { maxRecordBytes: 2 * MAX_RECORD_BYTES, maxBytes: 2 * MAX_RECORD_BYTES })).toHaveLength(1);
  });

  it('rejects a malformed record naming the field', () => {
    expect(() => aggregate([{ partitionKey: 'x'.repeat(257), data: Buffer.alloc(1) }])).toThrow(InvalidRecordError);
  });

  it('returns nothing for no records', () => {
    expect(aggregate([])).toEqual([]);
  });

  it.each([
    [{ maxRecordBytes: NaN }, 'maxRecordBytes', /^maxRecordBytes: expected an integer in \[1, 10485760\], got NaN$/],
    [{ maxRecordBytes: 0 }, 'maxRecordBytes', /got 0$/],
    [{ maxRecordBytes: Infinity }, 'maxRecordBytes', /got Infinity$/],
    [{ maxRecordBytes: '1048576' }, 'maxRecordBytes', /got "1048576"$/],
    [{ maxBytes: NaN }, 'maxBytes', /got NaN$/],
    [{ maxRecordByte: 5 }, 'maxRecordByte', /did you mean "maxRecordBytes"/],
    [null, 'options', /^options: expected an object, got null$/],
  ])('rejects the options %p with an InvalidArgumentError naming %s (NaN used to build a 2 MiB record)', (options, argument, message) => {
    const huge = [{ partitionKey: 'k', data: Buffer.alloc(2 * MAX_RECORD_BYTES) }];
    expect(() => aggregate(huge, options as never)).toThrow(InvalidArgumentError);
    expect(() => aggregate(huge, options as never)).toThrow(expect.objectContaining({ argument }));
    expect(() => aggregate(huge, options as never)).toThrow(message);
  });

  it.each([null, 42, { length: 1 }])('rejects records that are not iterable (%p), naming them', (records) => {
    expect(() => aggregate(records as never)).toThrow(/^records: expected an iterable of user records/);
  });
});
