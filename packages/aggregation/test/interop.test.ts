/**
 * Interoperability with the official Node.js library, `aws-kinesis-agg` (awslabs/kinesis-aggregation),
 * in both directions:
 *
 * - aggregates we build (`aggregate()`, `AggregateBuilder`) decode with its `deaggregateSync`
 *   (checksums on) to the same partition keys, explicit hash keys and data;
 * - aggregates it builds decode with our `deaggregate()` (SDK v3 shape and Lambda shape) to the
 *   same user records, numbered 0..n-1.
 *
 * Quirks of aws-kinesis-agg 4.2.8 that the tests work around (they are its bugs, not ours):
 *
 * 1. Its encoder collects each table in a plain object and emits `Object.keys(table)`. JavaScript
 *    enumerates integer-like ("array index") keys first, in ascending order, so a table holding
 *    "b" then "6" is written as ["6", "b"] while the records keep the indexes 0 ("b") and 1 ("6"):
 *    the records come back with each other's partition keys. The same happens to the explicit
 *    hash key table, whose entries are decimal strings: small ones ("0", "7", anything up to
 *    2^32 - 2) jump ahead of larger ones and are sorted. So aggregates built by aws-kinesis-agg
 *    here use no integer-like partition keys, and explicit hash keys that are array indexes
 *    appear first and in ascending order.
 * 2. Its decoder reports `explicit_hash_key_table[explicit_hash_key_index]` for every record; for a
 *    record without an index protobufjs yields the default 0, so such a record is reported with
 *    the table's FIRST explicit hash key (or undefined when the table is empty). Explicit hash
 *    keys it reports are therefore only compared for records that have one.
 * 3. It always aggregates, even a single record; and it names the aggregate's hash key
 *    `ExplicitHashKey` (only set when its first record has one) next to a lower-case
 *    `partitionKey` (its first record's key).
 * 4. Its size accounting counts a partition key's UTF-16 length, not its UTF-8 bytes, so with
 *    multi-byte keys it builds aggregates over 1 MiB, which Kinesis would reject (the first one of
 *    the large batch below has 1,054,854 bytes). Its aggregates are only checked for what they
 *    decode to.
 */
import { aggregate as theirAggregate, deaggregateSync as theirDeaggregateSync } from 'aws-kinesis-agg';
import { AggregateBuilder, aggregate, deaggregate, hashKeyDecimalOf, KPL_AGGREGATION_MAGIC, MAX_RECORD_BYTES, type KinesisRecordOutput, type UserRecordInput } from '../src';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';

const SEQUENCE_NUMBER = '49590338271490256608559692538361571095921575989136588898';

/** A user record as aws-kinesis-agg reports it: Lambda (v2) field names, data in base64. */
interface TheirUserRecord {
  readonly partitionKey: string;
  readonly explicitPartitionKey?: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber?: number;
  readonly data: string;
}

/** The same with SDK v3 field names, as it answers an SDK v3 shaped input. */
interface TheirV3UserRecord {
  readonly PartitionKey: string;
  readonly ExplicitPartitionKey?: string;
  readonly SequenceNumber: string;
  readonly SubSequenceNumber?: number;
  readonly Data: string;
}

/** What aws-kinesis-agg's `aggregate()` hands to its encoded-record handler. */
interface TheirEncodedRecord {
  readonly partitionKey: string;
  readonly ExplicitHashKey?: string;
  readonly data: Buffer;
}

/** Runs aws-kinesis-agg's callback-based aggregate() to completion. */
function aggregateWithTheirs(records: readonly UserRecordInput[]): Promise<TheirEncodedRecord[]> {
  // It mutates string data in place; hand it copies with Buffer data.
  const input = records.map((r) => ({
    partitionKey: r.partitionKey,
    ...(r.explicitHashKey === undefined ? {} : { explicitHashKey: r.explicitHashKey }),
    data: Buffer.from(r.data),
  }));
  return new Promise((resolve, reject) => {
    const encoded: TheirEncodedRecord[] = [];
    theirAggregate(
      input,
      (record, done) => {
        encoded.push(record as TheirEncodedRecord);
        done();
      },
      () => resolve(encoded),
      (err) => reject(err),
    );
  });
}

/** aws-kinesis-agg's deaggregateSync (MD5 checked) on a record in the Lambda event shape. */
function deaggregateWithTheirsLambda(output: KinesisRecordOutput): TheirUserRecord[] {
  const kinesisRecord = { data: output.data.toString('base64'), partitionKey: output.partitionKey, sequenceNumber: SEQUENCE_NUMBER };
  return runTheirDeaggregateSync(kinesisRecord) as TheirUserRecord[];
}

/** aws-kinesis-agg's deaggregateSync (MD5 checked) on a record in the SDK v3 shape, mapped back to v2 names. */
function deaggregateWithTheirsSdk(output: KinesisRecordOutput): TheirUserRecord[] {
  const kinesisRecord = { Data: output.data, PartitionKey: output.partitionKey, SequenceNumber: SEQUENCE_NUMBER };
  return (runTheirDeaggregateSync(kinesisRecord) as TheirV3UserRecord[]).map((r) => ({
    partitionKey: r.PartitionKey,
    explicitPartitionKey: r.ExplicitPartitionKey,
    sequenceNumber: r.SequenceNumber,
    subSequenceNumber: r.SubSequenceNumber,
    data: r.Data,
  }));
}

function runTheirDeaggregateSync(kinesisRecord: object): unknown[] {
  let failure: unknown;
  let result: unknown[] | undefined;
  // It calls back once per failing sub-record (error only) and once at the end (error?, records).
  theirDeaggregateSync(kinesisRecord as never, true, (err, userRecords) => {
    if (err) failure ??= err;
    else result = userRecords as unknown[];
  });
  if (failure !== undefined) throw failure;
  if (result === undefined) throw new Error('aws-kinesis-agg did not call back with records');
  return result;
}

/**
 * Checks aws-kinesis-agg's view of one of our aggregates against the input records.
 * Explicit hash keys are compared only where the input has one (quirk 2 above).
 */
function expectTheirsToSee(theirs: readonly TheirUserRecord[], expected: readonly UserRecordInput[]): void {
  expect(theirs).toHaveLength(expected.length);
  theirs.forEach((record, i) => {
    const input = expected[i]!;
    expect(record.partitionKey).toBe(input.partitionKey);
    expect(record.subSequenceNumber).toBe(i);
    expect(record.sequenceNumber).toBe(SEQUENCE_NUMBER);
    expect(Buffer.from(record.data, 'base64').equals(Buffer.from(input.data))).toBe(true);
    if (input.explicitHashKey !== undefined) expect(record.explicitPartitionKey).toBe(input.explicitHashKey);
  });
}

/** Checks both input shapes of aws-kinesis-agg's decoder on one aggregate of ours. */
function expectTheirsToDecode(output: KinesisRecordOutput, expected: readonly UserRecordInput[]): void {
  expect(output.aggregated).toBe(true);
  expect(output.data.subarray(0, 4).equals(Buffer.from(KPL_AGGREGATION_MAGIC))).toBe(true);
  expectTheirsToSee(deaggregateWithTheirsLambda(output), expected);
  expectTheirsToSee(deaggregateWithTheirsSdk(output), expected);
}

/** Checks our decoding of one of aws-kinesis-agg's aggregates, in both input shapes. */
function expectOursToDecode(encoded: TheirEncodedRecord, expected: readonly UserRecordInput[]): void {
  const fromSdk = deaggregate({ Data: encoded.data, PartitionKey: encoded.partitionKey, SequenceNumber: SEQUENCE_NUMBER });
  const fromLambda = deaggregate({
    kinesis: { data: encoded.data.toString('base64'), partitionKey: encoded.partitionKey, sequenceNumber: SEQUENCE_NUMBER },
  });
  for (const result of [fromSdk, fromLambda]) {
    expect(result.format).toBe('aggregated');
    expect(result.outOfRange).toEqual([]);
    expect(result.records).toHaveLength(expected.length);
    result.records.forEach((record, i) => {
      const input = expected[i]!;
      expect(record.partitionKey).toBe(input.partitionKey);
      expect(record.explicitHashKey).toBe(input.explicitHashKey);
      expect(record.data.equals(Buffer.from(input.data))).toBe(true);
      expect(record.subSequenceNumber).toBe(i);
      expect(record.sequenceNumber).toBe(SEQUENCE_NUMBER);
      expect(record.aggregated).toBe(true);
    });
  }
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** Multi-byte, astral-plane and combining partition keys; none integer-like (quirk 1). */
const UNICODE_KEYS = [
  'é',
  'ключ-раздела',
  '日本語のキー',
  '🦄',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝔨𝔢𝔶',
  'e\u0301-combining',
  'mixed ASCII 🎉 ü ß',
  '😀'.repeat(256), // 256 code points, 512 UTF-16 units, 1,024 UTF-8 bytes: the longest key allowed
];

const MAX_HASH_KEY_DECIMAL = MAX_HASH_KEY.toString();
const MID_HASH_KEY = (MAX_HASH_KEY / 2n).toString();

function unicodeRecords(): UserRecordInput[] {
  return UNICODE_KEYS.flatMap((key, i) => [
    { partitionKey: key, data: utf8(`payload ${i} for ${key}`) },
    // A repeated key: one table entry, two records.
    { partitionKey: key, data: utf8(`second ${i} ✓`) },
  ]);
}

describe('our aggregates decode with aws-kinesis-agg', () => {
  it('keeps unicode partition keys, repeated keys and integer-like keys', () => {
    // Integer-like keys are fine in this direction: only aws-kinesis-agg's encoder mangles them.
    const records = [...unicodeRecords(), { partitionKey: '6', data: utf8('six') }, { partitionKey: '42', data: utf8('forty-two') }];
    const outputs = aggregate(records);
    expect(outputs).toHaveLength(1);
    expectTheirsToDecode(outputs[0]!, records);
  });

  it('keeps explicit hash keys, including 0 and 2^128 - 1, next to records without one', () => {
    const records: UserRecordInput[] = [
      { partitionKey: 'with-max', explicitHashKey: MAX_HASH_KEY_DECIMAL, data: utf8('max') },
      { partitionKey: 'with-zero', explicitHashKey: '0', data: utf8('zero') },
      { partitionKey: 'without', data: utf8('none') },
      { partitionKey: 'with-mid', explicitHashKey: MID_HASH_KEY, data: utf8('mid') },
      { partitionKey: 'with-zero-again', explicitHashKey: '0', data: utf8('zero again') },
      { partitionKey: '🦄', explicitHashKey: '1', data: utf8('one') },
    ];
    const outputs = aggregate(records);
    expect(outputs).toHaveLength(1);
    // The aggregate routes where its first record would.
    expect(outputs[0]!.explicitHashKey).toBe(MAX_HASH_KEY_DECIMAL);
    expectTheirsToDecode(outputs[0]!, records);
  });

  it('keeps empty data', () => {
    const records: UserRecordInput[] = [
      { partitionKey: 'empty-1', data: new Uint8Array(0) },
      { partitionKey: 'not-empty', data: utf8('x') },
      { partitionKey: 'empty-2', explicitHashKey: '7', data: Buffer.alloc(0) },
    ];
    const builder = new AggregateBuilder();
    for (const record of records) expect(builder.tryAdd(record)).toBe(true);
    expectTheirsToDecode(builder.build(), records);
  });

  it('sends a single record as itself by default, which aws-kinesis-agg passes through', () => {
    const record: UserRecordInput = { partitionKey: '日本語のキー', data: utf8('alone') };
    const builder = new AggregateBuilder();
    builder.tryAdd(record);
    const output = builder.build();
    expect(output).toMatchObject({ aggregated: false, userRecordCount: 1, partitionKey: record.partitionKey });
    expect(output.explicitHashKey).toBe(hashKeyDecimalOf(record.partitionKey));
    expect(output.data.equals(Buffer.from(record.data))).toBe(true);

    for (const theirs of [deaggregateWithTheirsLambda(output), deaggregateWithTheirsSdk(output)]) {
      expect(theirs).toHaveLength(1);
      expect(theirs[0]!.partitionKey).toBe(record.partitionKey);
      // A plain record: aws-kinesis-agg gives it no sub-sequence number.
      expect(theirs[0]!.subSequenceNumber).toBeUndefined();
      expect(Buffer.from(theirs[0]!.data, 'base64').equals(Buffer.from(record.data))).toBe(true);
    }
  });

  it('builds a one-record aggregate when unaggregatedSingleRecord is false', () => {
    const record: UserRecordInput = { partitionKey: '🦄', explicitHashKey: MAX_HASH_KEY_DECIMAL, data: utf8('alone, aggregated') };
    const [output, ...rest] = aggregate([record], { unaggregatedSingleRecord: false });
    expect(rest).toEqual([]);
    expect(output).toMatchObject({ aggregated: true, userRecordCount: 1, partitionKey: 'a', explicitHashKey: MAX_HASH_KEY_DECIMAL });
    expectTheirsToDecode(output!, [record]);
  });

  it('fills an aggregate exactly to maxBytes; one more record does not fit', () => {
    const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
    const { maxBytes } = builder.options;
    expect(maxBytes).toBe(MAX_RECORD_BYTES - 1); // room for the aggregate's partition key "a"

    const records: UserRecordInput[] = [];
    for (let i = 0; ; i++) {
      const record: UserRecordInput = {
        partitionKey: `${UNICODE_KEYS[i % 7]}#${i % 97}`, // not the 256-code-point key: no room for a suffix
        ...(i % 5 === 0 ? { explicitHashKey: ((BigInt(i) * 7919n) % MAX_HASH_KEY).toString() } : {}),
        data: Buffer.alloc(900 + (i % 250), i & 0xff),
      };
      if (!builder.tryAdd(record)) break;
      records.push(record);
    }
    // Top up with the largest payload that still fits, under a key already in the table.
    const topUpKey = records[0]!.partitionKey;
    let length = maxBytes - builder.sizeBytes;
    while (builder.sizeWith({ partitionKey: topUpKey, data: Buffer.alloc(length) }) > maxBytes) length--;
    const topUp: UserRecordInput = { partitionKey: topUpKey, data: Buffer.alloc(length, 0xab) };
    expect(builder.tryAdd(topUp)).toBe(true);
    records.push(topUp);
    expect(builder.sizeBytes).toBe(maxBytes);

    // The smallest possible record: a known key, no hash key, no data.
    const smallest: UserRecordInput = { partitionKey: topUpKey, data: Buffer.alloc(0) };
    expect(builder.sizeWith(smallest)).toBeGreaterThan(maxBytes);
    expect(builder.tryAdd(smallest)).toBe(false);
    expect(builder.count).toBe(records.length);

    const output = builder.build();
    expect(output.data.length).toBe(maxBytes);
    expect(output.data.length + Buffer.byteLength(output.partitionKey)).toBeLessThanOrEqual(MAX_RECORD_BYTES);
    expect(output.userRecordCount).toBe(records.length);
    expectTheirsToDecode(output, records);

    // aggregate() splits the same records plus one more into a full aggregate and a single record.
    const [full, overflow, ...rest] = aggregate([...records, smallest]);
    expect(rest).toEqual([]);
    expect(full!.data.equals(output.data)).toBe(true);
    expect(overflow).toMatchObject({ aggregated: false, userRecordCount: 1, partitionKey: topUpKey });
  });

  it('writes the same bytes as aws-kinesis-agg where its quirks do not apply', async () => {
    const records: UserRecordInput[] = [
      ...unicodeRecords(),
      { partitionKey: 'ehk-small', explicitHashKey: '0', data: utf8('a') },
      { partitionKey: 'ehk-large', explicitHashKey: MAX_HASH_KEY_DECIMAL, data: utf8('b') },
      { partitionKey: 'no-ehk', data: Buffer.alloc(0) },
      { partitionKey: 'ehk-again', explicitHashKey: '0', data: utf8('c') },
    ];
    const theirs = await aggregateWithTheirs(records);
    const ours = aggregate(records);
    expect(theirs).toHaveLength(1);
    expect(ours).toHaveLength(1);
    expect(ours[0]!.data.toString('hex')).toBe(theirs[0]!.data.toString('hex'));
  });
});

describe('aws-kinesis-agg aggregates decode with ours', () => {
  it('keeps unicode partition keys and repeated keys', async () => {
    const records = unicodeRecords();
    const encoded = await aggregateWithTheirs(records);
    expect(encoded).toHaveLength(1);
    expectOursToDecode(encoded[0]!, records);
  });

  it('keeps explicit hash keys, including 0 and 2^128 - 1, next to records without one', async () => {
    // Quirk 1: the array-index EHKs ("0", "7") go first and ascending so its table stays in order.
    const records: UserRecordInput[] = [
      { partitionKey: 'with-zero', explicitHashKey: '0', data: utf8('zero') },
      { partitionKey: 'without', data: utf8('none') },
      { partitionKey: 'with-seven', explicitHashKey: '7', data: utf8('seven') },
      { partitionKey: 'with-max', explicitHashKey: MAX_HASH_KEY_DECIMAL, data: utf8('max') },
      { partitionKey: 'with-mid', explicitHashKey: MID_HASH_KEY, data: utf8('mid') },
      { partitionKey: 'with-zero-again', explicitHashKey: '0', data: utf8('zero again') },
      { partitionKey: '🦄 without', data: utf8('none again') },
    ];
    const encoded = await aggregateWithTheirs(records);
    expect(encoded).toHaveLength(1);
    expectOursToDecode(encoded[0]!, records);
  });

  it('keeps empty data', async () => {
    const records: UserRecordInput[] = [
      { partitionKey: 'empty-1', data: Buffer.alloc(0) },
      { partitionKey: 'x', data: utf8('x') },
      { partitionKey: 'empty-2', data: Buffer.alloc(0) },
    ];
    const encoded = await aggregateWithTheirs(records);
    expectOursToDecode(encoded[0]!, records);
  });

  it('decodes its one-record aggregate as an aggregate', async () => {
    const records: UserRecordInput[] = [{ partitionKey: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', explicitHashKey: MAX_HASH_KEY_DECIMAL, data: utf8('alone') }];
    const encoded = await aggregateWithTheirs(records);
    expect(encoded).toHaveLength(1);
    expect(encoded[0]!.data.subarray(0, 4).equals(Buffer.from(KPL_AGGREGATION_MAGIC))).toBe(true);
    expectOursToDecode(encoded[0]!, records);
  });

  it('decodes the full aggregates it splits a large batch into', async () => {
    const records: UserRecordInput[] = [];
    for (let i = 0; i < 2_600; i++) {
      records.push({ partitionKey: `${UNICODE_KEYS[i % 7]}-${i % 131}`, data: Buffer.alloc(1_000, i & 0xff) });
    }
    const encoded = await aggregateWithTheirs(records);
    expect(encoded.length).toBeGreaterThanOrEqual(3);
    let next = 0;
    for (const aggregateRecord of encoded) {
      // No size assertion here: quirk 4 lets its aggregates of multi-byte keys pass 1 MiB.
      const count = deaggregate({ Data: aggregateRecord.data, PartitionKey: aggregateRecord.partitionKey, SequenceNumber: SEQUENCE_NUMBER })
        .records.length;
      expectOursToDecode(aggregateRecord, records.slice(next, next + count));
      next += count;
    }
    expect(next).toBe(records.length);
  });
});
