/**
 * Bad input to @kinesis-toolkit/aggregation: records (types, sizes, keys, explicit hash keys),
 * options, shard maps and corrupt aggregates. A bad record or option gets an error of the
 * KinesisToolkitError family naming the field; bytes from a stream never make it throw.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { createHash } from 'node:crypto';
import {
  aggregate,
  AggregateBuilder,
  deaggregate,
  hashKeyDecimalOf,
  hashKeyOf,
  KPL_AGGREGATION_MAGIC,
  parseExplicitHashKey,
  ShardMap,
  validateUserRecord,
} from '@kinesis-toolkit/aggregation';
import { expectTypedError, failOnUnhandledRejections, outcomeOf } from './support/badInput';

failOnUnhandledRejections();

const data = Buffer.from('payload');
const record = (overrides: object): object => ({ partitionKey: 'k', data, ...overrides });
const aggregateOne = (bad: object) => () => aggregate([record(bad) as never]);
const TWO_TO_128 = (2n ** 128n).toString();
const FULL_RANGE = { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: (2n ** 128n - 1n).toString() } };

describe('aggregation: records', () => {
  it.each([
    ['partitionKey 5 (a number)', { partitionKey: 5 }, 'partitionKey'],
    ["partitionKey ''", { partitionKey: '' }, 'partitionKey'],
    ['partitionKey of 257 characters', { partitionKey: 'k'.repeat(257) }, 'partitionKey'],
    ['partitionKey with a lone surrogate', { partitionKey: 'a\uD800b' }, 'partitionKey'],
    ['partitionKey missing', { partitionKey: undefined }, 'partitionKey'],
    ["data 'text' (a string)", { data: 'text' }, 'data'],
    ['data null', { data: null }, 'data'],
    ['data [1, 2, 3] (an array)', { data: [1, 2, 3] }, 'data'],
    ['data an ArrayBuffer', { data: new ArrayBuffer(4) }, 'data'],
    ["explicitHashKey '0123' (not canonical: the service rejects it)", { explicitHashKey: '0123' }, 'explicitHashKey'],
    ['explicitHashKey zero-padded to 50 digits', { explicitHashKey: '7'.padStart(50, '0') }, 'explicitHashKey'],
    ['explicitHashKey 2^128', { explicitHashKey: TWO_TO_128 }, 'explicitHashKey'],
    ["explicitHashKey '-1'", { explicitHashKey: '-1' }, 'explicitHashKey'],
    ["explicitHashKey ' 1' (a space)", { explicitHashKey: ' 1' }, 'explicitHashKey'],
    ['explicitHashKey 42 (a number)', { explicitHashKey: 42 }, 'explicitHashKey'],
    ["explicitHashKey ''", { explicitHashKey: '' }, 'explicitHashKey'],
  ])('aggregate() a record with %s', async (_, bad, field) => {
    await expectTypedError(aggregateOne(bad), field);
  });

  it.each([
    ['null', null, 'record'],
    ["'text'", 'text', 'record'],
  ])('validateUserRecord(%s)', async (_, value, field) => {
    await expectTypedError(() => validateUserRecord(value), field);
  });

  it('aggregate() a record larger than 1 MiB: RecordTooLargeError naming the record and the limit', async () => {
    const error = await expectTypedError(aggregateOne({ data: Buffer.alloc(1024 * 1024 + 1) }), 'record');
    expect(error.message).toMatch(/1048576/);
  });

  it('aggregate(5): records that are not iterable', async () => {
    await expectTypedError(() => aggregate(5 as never), 'records');
  });
});

describe('aggregation: options', () => {
  it.each([
    ['maxRecordBytes NaN', { maxRecordBytes: Number.NaN }, 'maxRecordBytes'],
    ['maxRecordBytes -1', { maxRecordBytes: -1 }, 'maxRecordBytes'],
    ['maxBytes 0', { maxBytes: 0 }, 'maxBytes'],
    ["maxCount 'ten'", { maxCount: 'ten' }, 'maxCount'],
    ['unaggregatedSingleRecord "yes"', { unaggregatedSingleRecord: 'yes' }, 'unaggregatedSingleRecord'],
    ['an unknown option (maxByte), with a suggestion', { maxByte: 1000 }, 'maxBytes'],
  ])('aggregate(records, { %s })', async (_, options, field) => {
    await expectTypedError(() => aggregate([record({}) as never], options as never), field);
  });

  it('new AggregateBuilder({ maxCount: 0 })', async () => {
    await expectTypedError(() => new AggregateBuilder({ maxCount: 0 }), 'maxCount');
  });

  it('AggregateBuilder.build() with nothing added: a typed error, not a plain Error', async () => {
    await expectTypedError(() => new AggregateBuilder().build(), 'build');
  });

  it('AggregateBuilder.tryAdd() of a record without data', async () => {
    await expectTypedError(() => new AggregateBuilder().tryAdd(record({ data: undefined }) as never), 'data');
  });
});

describe('aggregation: hash keys and shard maps', () => {
  it.each([
    ['hashKeyOf(42): hashing something other than "42" silently', () => hashKeyOf(42 as never), 'partitionKey'],
    ['hashKeyDecimalOf(undefined)', () => hashKeyDecimalOf(undefined as never), 'partitionKey'],
    ["parseExplicitHashKey('0123')", () => parseExplicitHashKey('0123'), 'explicitHashKey'],
    ["ShardMap.fromShards('shards')", () => ShardMap.fromShards('shards' as never), 'shards'],
    ["ShardMap.fromShards with StartingHashKey 'abc'", () => ShardMap.fromShards([{ ...FULL_RANGE, HashKeyRange: { StartingHashKey: 'abc', EndingHashKey: '5' } }]), 'StartingHashKey'],
    ["ShardMap.shardFor('0123')", () => ShardMap.fromShards([FULL_RANGE]).shardFor('0123'), 'hashKey'],
    ['ShardMap.shardFor(2^128)', () => ShardMap.fromShards([FULL_RANGE]).shardFor(2n ** 128n), 'hashKey'],
  ])('%s', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});

describe('aggregation: deaggregate', () => {
  const sdkRecord = (bytes: Buffer) => ({ Data: bytes, PartitionKey: 'k', SequenceNumber: '49590338271490256608559692538361571095921575989136588898' });

  it('a poison aggregate (magic, 10,000 bytes of 0x23 = nested protobuf groups, correct MD5) is delivered raw as corrupt, never thrown', async () => {
    const body = Buffer.alloc(10_000, 0x23);
    const bytes = Buffer.concat([KPL_AGGREGATION_MAGIC, body, createHash('md5').update(body).digest()]);
    const outcome = await outcomeOf(() => deaggregate(sdkRecord(bytes)));
    expect(outcome).toMatchObject({ kind: 'returned', value: { format: 'corrupt' } });
    const { records } = (outcome as { value: { records: { data: Buffer }[] } }).value;
    expect(records).toHaveLength(1);
    expect(Buffer.compare(records[0]!.data, bytes)).toBe(0);
  });

  it('magic followed by garbage and a wrong MD5 is delivered raw as corrupt', async () => {
    const bytes = Buffer.concat([KPL_AGGREGATION_MAGIC, Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01]), Buffer.alloc(16, 1)]);
    expect(await outcomeOf(() => deaggregate(sdkRecord(bytes)))).toMatchObject({ kind: 'returned', value: { format: 'corrupt' } });
  });

  it.each([
    ['null', () => deaggregate(null as never), 'record'],
    ['a record whose Data is a string', () => deaggregate({ Data: 'abc', PartitionKey: 'k', SequenceNumber: '1' } as never), 'Data'],
    [
      "shardHashKeyRange with startingHashKey 'abc'",
      () => deaggregate(sdkRecord(Buffer.from('x')), { shardHashKeyRange: { startingHashKey: 'abc', endingHashKey: '5' } }),
      'shardHashKeyRange',
    ],
  ])('deaggregate(%s)', async (_, run, field) => {
    await expectTypedError(run, field);
  });
});
