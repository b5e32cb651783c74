import { createHash } from 'node:crypto';
import { aggregate } from './aggregate';
import { AggregateBuilder } from './AggregateBuilder';
import { deaggregate, isAggregated } from './deaggregate';
import { InvalidRecordError } from './errors/InvalidRecordError';
import { hashKeyOf } from './hashing/hashKey';
import { KPL_AGGREGATION_MAGIC } from './limits';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';

const SEQ = '49590338271490256608559692538361571095921575989136588898';
const arrival = new Date('2026-11-26T10:00:00.123Z');
const sdk = (data: Uint8Array) => ({ Data: data, PartitionKey: 'a', SequenceNumber: SEQ, ApproximateArrivalTimestamp: arrival });
const lambda = (data: Uint8Array) => ({
  kinesis: { data: Buffer.from(data).toString('base64'), partitionKey: 'a', sequenceNumber: SEQ, approximateArrivalTimestamp: arrival.getTime() / 1000 },
});

function buildAggregate(records: { partitionKey: string; data: string; explicitHashKey?: string }[]): Buffer {
  const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
  for (const r of records) builder.tryAdd({ ...r, data: Buffer.from(r.data) });
  return builder.build().data;
}

describe('deaggregate', () => {
  const input = [
    { partitionKey: 'alpha', data: 'first' },
    { partitionKey: 'beta', data: 'second', explicitHashKey: '7' },
    { partitionKey: 'alpha', data: '' },
  ];

  it.each([
    ['SDK v3', sdk],
    ['Lambda', lambda],
  ])('returns the user records of an aggregate (%s shape) with sub-sequence numbers', (_shape, shape) => {
    const result = deaggregate(shape(buildAggregate(input)));
    expect(result.format).toBe('aggregated');
    expect(result.outOfRange).toEqual([]);
    expect(
      result.records.map((r) => [r.partitionKey, r.explicitHashKey, r.data.toString(), r.sequenceNumber, r.subSequenceNumber, r.aggregated]),
    ).toEqual([
      ['alpha', undefined, 'first', SEQ, 0, true],
      ['beta', '7', 'second', SEQ, 1, true],
      ['alpha', undefined, '', SEQ, 2, true],
    ]);
    expect(result.records[0]!.approximateArrivalTimestamp).toEqual(arrival);
  });

  it('returns a record without the magic as one plain record', () => {
    const result = deaggregate({ Data: Buffer.from('just json'), PartitionKey: 'pk', SequenceNumber: SEQ });
    expect(result.format).toBe('plain');
    expect(result.records).toEqual([
      { partitionKey: 'pk', data: Buffer.from('just json'), sequenceNumber: SEQ, subSequenceNumber: 0, aggregated: false, approximateArrivalTimestamp: undefined },
    ]);
  });

  it('delivers a record whose MD5 does not match as it is, saying why', () => {
    const data = buildAggregate(input);
    data[data.length - 1]! ^= 0xff;
    const result = deaggregate(sdk(data));
    expect(result.format).toBe('corrupt');
    expect(result.corruption?.message).toMatch(/MD5/);
    expect(result.records).toHaveLength(1);
    expect(result.records[0]!.data).toEqual(data);
    expect(isAggregated(data)).toBe(false);
  });

  it('delivers a truncated protobuf with a valid checksum as one plain record', () => {
    const body = Buffer.from([0x0a, 0x05, 0x61]); // a table entry announcing 5 bytes, holding 1
    const data = Buffer.concat([Buffer.from(KPL_AGGREGATION_MAGIC), body, createHash('md5').update(body).digest()]);
    const result = deaggregate(sdk(data));
    expect(result.format).toBe('corrupt');
    expect(result.corruption?.message).toMatch(/runs past the end/);
    expect(result.records[0]!.data).toEqual(data);
  });

  it('reports a record with the magic but too short for the trailer as corrupt, and delivers it', () => {
    const data = Buffer.from([...KPL_AGGREGATION_MAGIC, 1, 2, 3]);
    const result = deaggregate(sdk(data));
    expect(result.format).toBe('corrupt');
    expect(result.corruption?.message).toMatch(/too short/);
    expect(result.records[0]!.data).toEqual(data);
  });

  it('treats an index outside its table as corruption, not a crash', () => {
    // partition_key_table = ["k"], records = [{ partition_key_index: 3, data: "" }]
    const body = Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x04, 0x08, 0x03, 0x1a, 0x00]);
    const data = Buffer.concat([Buffer.from(KPL_AGGREGATION_MAGIC), body, createHash('md5').update(body).digest()]);
    const result = deaggregate(sdk(data));
    expect(result.format).toBe('corrupt');
    expect(result.corruption?.message).toMatch(/partition key index 3 outside a table of 1/);
  });

  it('skips tags and unknown fields', () => {
    // partition_key_table = ["k"], records = [{ pk 0, data "hi", tags [{ key "t", value "v" }] }], unknown field 9 (varint)
    const body = Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x0e, 0x08, 0x00, 0x1a, 0x02, 0x68, 0x69, 0x22, 0x06, 0x0a, 0x01, 0x74, 0x12, 0x01, 0x76, 0x48, 0x01]);
    const data = Buffer.concat([Buffer.from(KPL_AGGREGATION_MAGIC), body, createHash('md5').update(body).digest()]);
    const result = deaggregate(sdk(data));
    expect(result.format).toBe('aggregated');
    expect(result.records.map((r) => r.data.toString())).toEqual(['hi']);
  });

  it('reports sub-records outside the shard\'s hash-key range instead of dropping them', () => {
    const lowKey = 'alpha';
    const low = hashKeyOf(lowKey);
    const data = buildAggregate([
      { partitionKey: lowKey, data: 'inside' },
      { partitionKey: 'x', data: 'outside by EHK', explicitHashKey: (low + 1n).toString() },
      { partitionKey: lowKey, data: 'inside again' },
    ]);
    const result = deaggregate(sdk(data), { shardHashKeyRange: { startingHashKey: 0n, endingHashKey: low.toString() } });
    expect(result.records.map((r) => [r.data.toString(), r.subSequenceNumber])).toEqual([
      ['inside', 0],
      ['inside again', 2],
    ]);
    expect(result.outOfRange.map((r) => [r.data.toString(), r.subSequenceNumber])).toEqual([['outside by EHK', 1]]);
  });

  it('keeps everything when the range is the whole key space', () => {
    const result = deaggregate(sdk(buildAggregate(input)), { shardHashKeyRange: { startingHashKey: '0', endingHashKey: MAX_HASH_KEY.toString() } });
    expect(result.records).toHaveLength(3);
    expect(result.outOfRange).toHaveLength(0);
  });

  it('returns views into the fetched bytes, not copies', () => {
    const data = buildAggregate(input);
    const [first] = deaggregate(sdk(data)).records;
    expect(first!.data.buffer).toBe(data.buffer);
  });

  it.each([
    [null, 'record'],
    [{ Data: 'not bytes', PartitionKey: 'a', SequenceNumber: SEQ }, 'data'],
    [{ Data: Buffer.alloc(1), SequenceNumber: SEQ }, 'partitionKey'],
    [{ Data: Buffer.alloc(1), PartitionKey: 'a' }, 'record'],
    [{ kinesis: { partitionKey: 'a', sequenceNumber: SEQ } }, 'data'],
  ])('rejects input of neither shape (%p) with a typed error naming %s', (record, field) => {
    expect(() => deaggregate(record as never)).toThrow(InvalidRecordError);
    expect(() => deaggregate(record as never)).toThrow(expect.objectContaining({ field }));
  });

  it('round-trips aggregate() output, including records sent alone', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ partitionKey: `key-${i % 7}`, data: Buffer.alloc(i * 10, i) }));
    const out = aggregate(records, { maxBytes: 2000 });
    expect(out.length).toBeGreaterThan(1);
    const back = out.flatMap((r) => deaggregate({ Data: r.data, PartitionKey: r.partitionKey, SequenceNumber: SEQ }).records);
    expect(back.map((r) => [r.partitionKey, r.data])).toEqual(records.map((r) => [r.partitionKey, r.data]));
  });
});

describe('deaggregate hashKeyCache', () => {
  it('fills the cache with partition keys it hashed and reuses it', () => {
    const data = new AggregateBuilder({ unaggregatedSingleRecord: false });
    data.tryAdd({ partitionKey: 'alpha', data: Buffer.from('1') });
    data.tryAdd({ partitionKey: 'beta', data: Buffer.from('2') });
    const built = data.build().data;
    const cache = new Map<string, bigint>();
    const range = { startingHashKey: 0n, endingHashKey: MAX_HASH_KEY };
    deaggregate({ Data: built, PartitionKey: 'a', SequenceNumber: SEQ }, { shardHashKeyRange: range, hashKeyCache: cache });
    expect(cache.get('alpha')).toBe(hashKeyOf('alpha'));
    expect(cache.get('beta')).toBe(hashKeyOf('beta'));
    // A planted (wrong) value is used as is: the cache is consulted before hashing.
    cache.set('alpha', MAX_HASH_KEY);
    const result = deaggregate({ Data: built, PartitionKey: 'a', SequenceNumber: SEQ }, { shardHashKeyRange: { startingHashKey: 0n, endingHashKey: MAX_HASH_KEY - 1n }, hashKeyCache: cache });
    expect(result.outOfRange.map((r) => r.partitionKey)).toEqual(['alpha']);
  });
});
