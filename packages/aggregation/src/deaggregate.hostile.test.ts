import { createHash } from 'node:crypto';
import { InvalidArgumentError, MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { AggregateBuilder } from './AggregateBuilder';
import { deaggregate, isAggregated } from './deaggregate';
import { KPL_AGGREGATION_MAGIC, MAX_RECORD_BYTES } from './limits';

// What no producer writes but a stream may carry: bodies built to hurt the decoder, and the
// largest aggregates a stream accepts. Every one must be delivered — decoded, or raw as corrupt.

const SEQ = '49590338271490256608559692538361571095921575989136588898';
const sdk = (data: Uint8Array) => ({ Data: data, PartitionKey: 'outer', SequenceNumber: SEQ });
/** magic ‖ body ‖ MD5(body): a checksum that passes, so the protobuf itself reaches the decoder. */
const frame = (body: Uint8Array): Buffer => Buffer.concat([Buffer.from(KPL_AGGREGATION_MAGIC), body, createHash('md5').update(body).digest()]);
/** partition_key_table = ["k"], records = [{ partition_key_index: 0, data: "hi" }] */
const ONE_RECORD = Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x06, 0x08, 0x00, 0x1a, 0x02, 0x68, 0x69]);

function expectRawCorrupt(data: Buffer, reason: RegExp): void {
  const result = deaggregate(sdk(data));
  expect(result.format).toBe('corrupt');
  expect(result.corruption?.message).toMatch(reason);
  expect(result.corruption?.cause).toBeUndefined(); // the decoder's own verdict, not a crash it swallowed
  expect(result.records).toHaveLength(1);
  expect(result.records[0]!.data.equals(data)).toBe(true);
  expect(result.records[0]!.aggregated).toBe(false);
  expect(isAggregated(data)).toBe(false);
}

describe('deaggregate on hostile bodies with a valid MD5', () => {
  it('delivers the poison record (10,000 × 0x23: start-group tags nested 10,000 deep) raw, without overflowing the stack', () => {
    expectRawCorrupt(frame(Buffer.alloc(10_000, 0x23)), /truncated varint/);
  });

  it('delivers 1 MiB of unclosed start-group tags raw', () => {
    expectRawCorrupt(frame(Buffer.alloc(MAX_RECORD_BYTES - 20, 0x23)), /truncated varint/);
  });

  it('skips balanced groups nested 100,000 deep around an unknown field and decodes the aggregate exactly', () => {
    const depth = 100_000;
    const nested = Buffer.concat([Buffer.alloc(depth, 0x23), Buffer.from([0x08, 0x01]), Buffer.alloc(depth, 0x24)]); // field 4 groups, field 1 varint inside
    const result = deaggregate(sdk(frame(Buffer.concat([ONE_RECORD, nested]))));
    expect(result.format).toBe('aggregated');
    expect(result.records.map((r) => [r.partitionKey, r.data.toString(), r.subSequenceNumber])).toEqual([['k', 'hi', 0]]);
  });

  it.each([
    ['an end-group without a start', Buffer.concat([ONE_RECORD, Buffer.from([0x24])]), /end-group 4 without a start-group/],
    ['a group closed by another field', Buffer.concat([ONE_RECORD, Buffer.from([0x23, 0x2c])]), /group 4 closed by end-group 5/],
    ['field number 0', Buffer.concat([ONE_RECORD, Buffer.from([0x00])]), /invalid tag 0/],
    ['field number 0 with wire type 2', Buffer.concat([ONE_RECORD, Buffer.from([0x02, 0x00])]), /invalid tag 2/],
    ['a tag beyond 32 bits', Buffer.concat([ONE_RECORD, Buffer.from([0x80, 0x80, 0x80, 0x80, 0x10])]), /invalid tag/],
    ['wire type 6', Buffer.concat([ONE_RECORD, Buffer.from([0x0e])]), /unsupported wire type 6/],
    ['a length of 2^63 - 1', Buffer.concat([ONE_RECORD, Buffer.from([0x4a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])]), /runs past the end/],
    ['a record whose group runs past its end', Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x05, 0x08, 0x00, 0x1a, 0x00, 0x23, 0x24]), /truncated varint/],
    ['an index of 2^64 - 1', Buffer.from([0x0a, 0x01, 0x6b, 0x1a, 0x0d, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x1a, 0x00]), /partition key index/],
    ['a varint of 11 bytes', Buffer.concat([ONE_RECORD, Buffer.from([0x48, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])]), /longer than 64 bits/],
    ['no records at all', Buffer.from([0x0a, 0x01, 0x6b]), /no records/],
    ['an empty body', Buffer.alloc(0), /no records/],
  ])('delivers %s raw, saying why', (_case, body, reason) => {
    expectRawCorrupt(frame(body), reason);
  });
});

describe('deaggregate on the largest legal aggregates', () => {
  /** An aggregate of `count` sub-records of empty data under one 1-byte key: 6 bytes each. */
  function tinyRecords(count: number): Buffer {
    const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
    for (let i = 0; i < count; i++) if (!builder.tryAdd({ partitionKey: 'k', data: Buffer.alloc(0) })) throw new Error(`only ${i} fit`);
    return builder.build().data;
  }

  it('decodes 1 MiB of tiny sub-records (174,758 of them) in order, with and without a range check', () => {
    const count = Math.floor((MAX_RECORD_BYTES - 1 - 20 - 3) / 6);
    const data = tinyRecords(count);
    expect(data.length).toBeLessThanOrEqual(MAX_RECORD_BYTES - 1);
    for (const options of [{}, { shardHashKeyRange: { startingHashKey: '0', endingHashKey: MAX_HASH_KEY.toString() } }]) {
      const result = deaggregate(sdk(data), options);
      expect(result.format).toBe('aggregated');
      expect(result.records).toHaveLength(count);
      expect(result.records.every((r, i) => r.subSequenceNumber === i && r.partitionKey === 'k' && r.data.length === 0)).toBe(true);
    }
    // All of them out of range: reported, none dropped.
    const outside = deaggregate(sdk(data), { shardHashKeyRange: { startingHashKey: 0n, endingHashKey: 0n } });
    expect(outside.records.length + outside.outOfRange.length).toBe(count);
  });
});

describe('deaggregate sub-record explicit hash keys', () => {
  it('reads a sub-record key with leading zeros as the KCL does (it never passed the service check), for the range check', () => {
    // Our builder never writes such keys; by hand: partition_key_table ["k"],
    // explicit_hash_key_table ["0005", "x"], records [{ 0, ehk 0, "a" }, { 0, ehk 1, "b" }]
    const body = Buffer.from([
      0x0a, 0x01, 0x6b, 0x12, 0x04, 0x30, 0x30, 0x30, 0x35, 0x12, 0x01, 0x78,
      0x1a, 0x07, 0x08, 0x00, 0x10, 0x00, 0x1a, 0x01, 0x61,
      0x1a, 0x07, 0x08, 0x00, 0x10, 0x01, 0x1a, 0x01, 0x62,
    ]);
    const result = deaggregate(sdk(frame(body)), { shardHashKeyRange: { startingHashKey: 0n, endingHashKey: 10n } });
    expect(result.records.map((r) => [r.data.toString(), r.explicitHashKey])).toEqual([['a', '0005']]);
    expect(result.outOfRange.map((r) => [r.data.toString(), r.explicitHashKey])).toEqual([['b', 'x']]); // not a hash key: reported
  });
});

describe('deaggregate options', () => {
  const data = new AggregateBuilder({ unaggregatedSingleRecord: false });
  data.tryAdd({ partitionKey: 'k', data: Buffer.from('x') });
  const aggregate = data.build().data;

  it.each([
    [null, 'options', /^options: expected an object, got null$/],
    [{ shardHashKeyRange: { startingHashKey: 'abc', endingHashKey: '1' } }, 'shardHashKeyRange.startingHashKey', /got "abc"$/],
    [{ shardHashKeyRange: { startingHashKey: '0', endingHashKey: '0123' } }, 'shardHashKeyRange.endingHashKey', /without leading zeros, got "0123"$/],
    [{ shardHashKeyRange: { startingHashKey: '0', endingHashKey: (MAX_HASH_KEY + 1n).toString() } }, 'shardHashKeyRange.endingHashKey', /2\^128/],
    [{ shardHashKeyRange: { startingHashKey: -1n, endingHashKey: 1n } }, 'shardHashKeyRange.startingHashKey', /got -1n$/],
    [{ shardHashKeyRange: { startingHashKey: 0, endingHashKey: 1n } }, 'shardHashKeyRange.startingHashKey', /got 0$/],
    [{ shardHashKeyRange: { startingHashKey: 5n, endingHashKey: 4n } }, 'shardHashKeyRange.endingHashKey', /a hash key >= startingHashKey \(5\), got 4n$/],
    [{ shardHashKeyRange: 'all' }, 'shardHashKeyRange', /expected an object, got "all"$/],
    [{ hashKeyCache: {} }, 'hashKeyCache', /expected a Map/],
    [{ shardHashkeyRange: {} }, 'shardHashkeyRange', /did you mean "shardHashKeyRange"/],
  ])('rejects %p with an InvalidArgumentError naming %s (never a SyntaxError or a silent "all out of range")', (options, argument, message) => {
    const run = () => deaggregate(sdk(aggregate), options as never);
    expect(run).toThrow(InvalidArgumentError);
    expect(run).toThrow(expect.objectContaining({ argument }));
    expect(run).toThrow(message);
  });

  it('checks options for plain records too, so a bad range fails at once rather than at the first aggregate', () => {
    expect(() => deaggregate(sdk(Buffer.from('plain')), { shardHashKeyRange: { startingHashKey: 'x', endingHashKey: '1' } })).toThrow(InvalidArgumentError);
  });

  it('isAggregated names a non-byte argument', () => {
    expect(() => isAggregated('text' as never)).toThrow(/^data: expected a Uint8Array or Buffer, got "text"$/);
  });
});
