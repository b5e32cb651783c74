/**
 * fast-check arbitraries of Kinesis record bytes built to break a de-aggregator, and the check of
 * `deaggregate` against the reference decoder. Shared by the unit suite (`deaggregate.fuzz.test.ts`)
 * and the longer run in the aggregation benchmark.
 */
import fc from 'fast-check';
import { AggregateBuilder, deaggregate, type DeaggregateOptions, type DeaggregationResult, type UserRecordInput } from '../../src';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { MAGIC, expectedOutcome, frame, parseFields, type ExpectedOutcome, type ReferenceRecord } from './referenceDecode';

/** One fuzz input: the bytes, how they were made, and — for a change that keeps the meaning — the records they must still give. */
export interface HostileRecord {
  readonly kind: string;
  readonly bytes: Buffer;
  readonly preserved?: readonly UserRecordInput[];
}

// --- protobuf pieces ---

/** Protobuf base-128 varint of a non-negative integer (up to 10 bytes for a uint64). */
export function varint(value: bigint | number): Buffer {
  let rest = BigInt(value);
  const out: number[] = [];
  while (rest >= 0x80n) {
    out.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  out.push(Number(rest));
  return Buffer.from(out);
}

const tag = (field: number, wireType: number): Buffer => varint((BigInt(field) << 3n) | BigInt(wireType));
const MAX_FIELD = 2 ** 29 - 1;

/** A field number and wire type the given level ignores (unknown numbers, or a known number with another wire type). */
function ignoredTagArb(level: 'top' | 'record'): fc.Arbitrary<{ field: number; wireType: number }> {
  const wireTypeArb = fc.constantFrom(0, 1, 2, 3, 5);
  const known = level === 'top' ? [1, 2, 3] : [1, 2, 3, 4];
  const wrongWireType = fc.constantFrom(...known).chain((field) =>
    fc.constantFrom(...[0, 1, 2, 3, 5].filter((w) => (level === 'top' ? w !== 2 : field === 3 ? w !== 2 : field === 4 ? w !== 2 : w !== 0))).map((wireType) => ({ field, wireType })),
  );
  const unknownNumber = fc.record({ field: fc.oneof(fc.integer({ min: known.length + 1, max: 40 }), fc.integer({ min: 41, max: MAX_FIELD })), wireType: wireTypeArb });
  return fc.oneof(unknownNumber, wrongWireType);
}

/** Any well-formed field (inside a group, where nothing is interpreted), nesting groups up to `depth`. */
const anyFieldArb: fc.Memo<Buffer> = fc.memo((depth) => {
  const leaf = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: MAX_FIELD }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([field, value]) => Buffer.concat([tag(field, 0), varint(value)])),
    fc.tuple(fc.integer({ min: 1, max: MAX_FIELD }), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([field, bytes]) => Buffer.concat([tag(field, 1), bytes])),
    fc.tuple(fc.integer({ min: 1, max: MAX_FIELD }), fc.uint8Array({ minLength: 4, maxLength: 4 })).map(([field, bytes]) => Buffer.concat([tag(field, 5), bytes])),
    fc.tuple(fc.integer({ min: 1, max: MAX_FIELD }), fc.uint8Array({ maxLength: 24 })).map(([field, bytes]) => Buffer.concat([tag(field, 2), varint(bytes.length), bytes])),
  );
  if (depth <= 1) return leaf;
  const group = fc
    .tuple(fc.integer({ min: 1, max: MAX_FIELD }), fc.array(anyFieldArb(depth - 1), { maxLength: 3 }))
    .map(([field, inner]) => Buffer.concat([tag(field, 3), ...inner, tag(field, 4)]));
  return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: group });
});

/** A field the given level skips: its value well-formed, groups nested up to five deep. */
function ignoredFieldArb(level: 'top' | 'record'): fc.Arbitrary<Buffer> {
  return fc.tuple(ignoredTagArb(level), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.uint8Array({ maxLength: 24 }), fc.array(anyFieldArb(5), { maxLength: 3 })).map(
    ([{ field, wireType }, value, bytes, inner]) => {
      switch (wireType) {
        case 0:
          return Buffer.concat([tag(field, 0), varint(value)]);
        case 1:
          return Buffer.concat([tag(field, 1), Buffer.alloc(8, bytes[0] ?? 0)]);
        case 5:
          return Buffer.concat([tag(field, 5), Buffer.alloc(4, bytes[0] ?? 0)]);
        case 2:
          return Buffer.concat([tag(field, 2), varint(bytes.length), bytes]);
        default:
          return Buffer.concat([tag(field, 3), ...inner, tag(field, 4)]);
      }
    },
  );
}

/**
 * A field of the schema, sometimes subtly wrong: table entries, and records whose indexes may point
 * past their tables, with fields missing, repeated or of other wire types.
 */
const schemaFieldArb: fc.Arbitrary<Buffer> = fc.oneof(
  fc.tuple(fc.constantFrom(1, 2), fc.string({ maxLength: 6 })).map(([field, text]) => Buffer.concat([tag(field, 2), varint(Buffer.byteLength(text)), Buffer.from(text)])),
  fc
    .array(
      fc.oneof(
        fc.integer({ min: 0, max: 3 }).map((index) => Buffer.concat([tag(1, 0), varint(index)])),
        fc.integer({ min: 0, max: 2 }).map((index) => Buffer.concat([tag(2, 0), varint(index)])),
        fc.uint8Array({ maxLength: 6 }).map((data) => Buffer.concat([tag(3, 2), varint(data.length), data])),
        ignoredFieldArb('record'),
      ),
      { maxLength: 4 },
    )
    .map((parts) => {
      const record = Buffer.concat(parts);
      return Buffer.concat([tag(3, 2), varint(record.length), record]);
    }),
);

/** Balanced groups nested `depth` deep (random field numbers), up to thousands of levels. */
const deepGroupArb: fc.Arbitrary<Buffer> = fc
  .tuple(fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }) }), fc.integer({ min: 4, max: 15 }))
  .map(([depth, field]) => Buffer.concat([Buffer.alloc(depth, (field << 3) | 3), tag(field + 1, 0), varint(1), Buffer.alloc(depth, (field << 3) | 4)]));

// --- valid aggregates ---

const keyArb = fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }));
const ehkArb = fc.oneof(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), fc.bigInt({ min: 0n, max: 1000n })).map(String);

/** 1–6 small user records over small key pools (tables with repeats). */
export const userRecordsArb: fc.Arbitrary<UserRecordInput[]> = fc
  .tuple(fc.uniqueArray(keyArb, { minLength: 1, maxLength: 3 }), fc.uniqueArray(ehkArb, { maxLength: 2 }))
  .chain(([keys, hashKeys]) =>
    fc.array(
      fc.record({
        partitionKey: fc.constantFrom(...keys),
        explicitHashKey: hashKeys.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...hashKeys), { nil: undefined }),
        data: fc.uint8Array({ maxLength: 48 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map((records) => records.map((r) => (r.explicitHashKey === undefined ? { partitionKey: r.partitionKey, data: r.data } : { ...r, explicitHashKey: r.explicitHashKey })));

interface ValidAggregate {
  readonly records: UserRecordInput[];
  /** The protobuf body (between magic and MD5). */
  readonly body: Buffer;
}

const validAggregateArb: fc.Arbitrary<ValidAggregate> = userRecordsArb.map((records) => {
  const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
  for (const record of records) builder.tryAdd(record);
  const data = builder.build().data;
  return { records, body: data.subarray(MAGIC.length, data.length - 16) };
});

/** Offsets in a body where a top-level field starts or the body ends: where a field may be inserted. */
function topLevelBoundaries(body: Buffer): number[] {
  return [...parseFields(body, 0, body.length)!.map((field) => field.tagStart), body.length];
}

/** Inserts `insert` into the `which`-th record of `body`, at one of its field boundaries, re-encoding its length. */
function insertIntoRecord(body: Buffer, which: number, at: number, insert: Buffer): Buffer {
  const records = parseFields(body, 0, body.length)!.filter((field) => field.field === 3 && field.wireType === 2);
  const record = records[which % records.length]!;
  const inner = body.subarray(record.start, record.end);
  const boundaries = [...parseFields(inner, 0, inner.length)!.map((field) => field.tagStart), inner.length];
  const offset = boundaries[at % boundaries.length]!;
  const rewritten = Buffer.concat([inner.subarray(0, offset), insert, inner.subarray(offset)]);
  return Buffer.concat([body.subarray(0, record.tagStart), tag(3, 2), varint(rewritten.length), rewritten, body.subarray(record.end)]);
}

const insertAt = (body: Buffer, boundaries: readonly number[], at: number, insert: Buffer): Buffer => {
  const offset = boundaries[at % boundaries.length]!;
  return Buffer.concat([body.subarray(0, offset), insert, body.subarray(offset)]);
};

/** Every kind of hostile input, weighted so that decodable and corrupt outcomes both occur often. */
export const hostileRecordArb: fc.Arbitrary<HostileRecord> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'random bytes', bytes: Buffer.from(bytes) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'random bytes behind the magic', bytes: Buffer.concat([MAGIC, bytes]) })),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'random body, valid MD5', bytes: frame(bytes) })),
  fc.array(fc.oneof(anyFieldArb(4), ignoredFieldArb('top'), schemaFieldArb, schemaFieldArb), { maxLength: 8 }).map((fields) => ({ kind: 'random fields, valid MD5', bytes: frame(Buffer.concat(fields)) })),
  validAggregateArb.map(({ records, body }) => ({ kind: 'valid aggregate', bytes: frame(body), preserved: records })),
  validAggregateArb.chain(({ body }) =>
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }).map((flips) => {
      const bytes = frame(body);
      for (const [at, bit] of flips) bytes[at % bytes.length]! ^= 1 << bit;
      return { kind: 'bit flips', bytes };
    }),
  ),
  validAggregateArb.chain(({ body }) =>
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((flips) => {
      const damaged = Buffer.from(body);
      for (const [at, bit] of flips) damaged[at % damaged.length]! ^= 1 << bit;
      return { kind: 'bit flips in the body, valid MD5', bytes: frame(damaged) };
    }),
  ),
  validAggregateArb.chain(({ body }) => fc.nat().map((cut) => ({ kind: 'truncation', bytes: frame(body).subarray(0, cut % (body.length + 20)) }))),
  validAggregateArb.chain(({ body }) => fc.nat().map((cut) => ({ kind: 'truncated body, valid MD5', bytes: frame(body.subarray(0, cut % body.length)) }))),
  validAggregateArb.chain(({ records, body }) =>
    fc.array(fc.tuple(fc.nat(), ignoredFieldArb('top')), { minLength: 1, maxLength: 4 }).map((inserts) => {
      let changed = body;
      for (const [at, field] of inserts) changed = insertAt(changed, topLevelBoundaries(changed), at, field);
      return { kind: 'unknown fields inserted, valid MD5', bytes: frame(changed), preserved: records };
    }),
  ),
  validAggregateArb.chain(({ records, body }) =>
    fc.tuple(fc.nat(), fc.nat(), ignoredFieldArb('record')).map(([which, at, field]) => ({
      kind: 'unknown field inserted into a record, valid MD5',
      bytes: frame(insertIntoRecord(body, which, at, field)),
      preserved: records,
    })),
  ),
  validAggregateArb.chain(({ records, body }) =>
    fc.tuple(fc.nat(), fc.nat(), deepGroupArb, fc.boolean()).map(([which, at, group, inRecord]) => ({
      kind: 'balanced deep groups inserted, valid MD5',
      bytes: frame(inRecord ? insertIntoRecord(body, which, at, group) : insertAt(body, topLevelBoundaries(body), at, group)),
      preserved: records,
    })),
  ),
  validAggregateArb.chain(({ body }) =>
    fc.tuple(fc.nat(), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 200 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }) }), fc.integer({ min: 1, max: 15 })).map(([at, depth, field]) => ({
      kind: 'unclosed start-groups inserted, valid MD5',
      bytes: frame(insertAt(body, [...Array(body.length + 1).keys()], at, Buffer.alloc(depth, (field << 3) | 3))),
    })),
  ),
  validAggregateArb.chain(({ body }) =>
    fc.tuple(fc.nat(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([at, value]) => ({
      kind: 'varint inserted at any offset, valid MD5',
      bytes: frame(insertAt(body, [...Array(body.length + 1).keys()], at, varint(value))),
    })),
  ),
  validAggregateArb.chain(({ body }) =>
    fc.tuple(fc.nat(), fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 2n ** 31n, max: 2n ** 64n - 1n }))).map(([which, length]) => {
      // Replace a length-delimited field's length with another (often huge) one.
      const fields = parseFields(body, 0, body.length)!.filter((field) => field.wireType === 2);
      const field = fields[which % fields.length]!;
      const tagBytes = tag(field.field, 2);
      const changed = Buffer.concat([body.subarray(0, field.tagStart), tagBytes, varint(length), body.subarray(field.start)]);
      return { kind: 'length replaced, valid MD5', bytes: frame(changed) };
    }),
  ),
);

/** Options `deaggregate` is called with: none, or a range (so out-of-range reporting is covered too). */
export const deaggregateOptionsArb: fc.Arbitrary<DeaggregateOptions | undefined> = fc.option(
  fc.tuple(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), fc.bigInt({ min: 0n, max: MAX_HASH_KEY })).map(([a, b]) => ({
    shardHashKeyRange: a <= b ? { startingHashKey: a, endingHashKey: b } : { startingHashKey: b.toString(), endingHashKey: a.toString() },
  })),
  { nil: undefined, freq: 2 },
);

const SEQUENCE_NUMBER = '49590338271490256608559692538361571095921575989136588898';
const OUTER_KEY = 'outer-key';

/** How one fuzz input went: what the reference expected, and what differed (undefined when nothing did). */
export interface FuzzVerdict {
  readonly expected: ExpectedOutcome['format'];
  readonly mismatch: string | undefined;
}

/** Runs `deaggregate` on the bytes (SDK or Lambda shape) and compares it with the reference; never throws. */
export function checkDeaggregate(input: HostileRecord, options: DeaggregateOptions | undefined, asLambda: boolean): FuzzVerdict {
  const expected = expectedOutcome(input.bytes);
  return { expected: expected.format, mismatch: compareWithReference(input, expected, options, asLambda) };
}

function compareWithReference(input: HostileRecord, expected: ExpectedOutcome, options: DeaggregateOptions | undefined, asLambda: boolean): string | undefined {
  const { bytes } = input;
  let result: DeaggregationResult;
  try {
    result = asLambda
      ? deaggregate({ kinesis: { data: bytes.toString('base64'), partitionKey: OUTER_KEY, sequenceNumber: SEQUENCE_NUMBER } }, options)
      : deaggregate({ Data: bytes, PartitionKey: OUTER_KEY, SequenceNumber: SEQUENCE_NUMBER }, options);
  } catch (error) {
    return `threw ${String(error)}`;
  }
  if (result.format !== expected.format) return `format ${result.format}, expected ${expected.format}${result.corruption ? ` (${result.corruption.message})` : ''}`;
  if (expected.format !== 'aggregated') {
    if ((result.corruption !== undefined) !== (expected.format === 'corrupt')) return 'corruption reported for a plain record, or missing for a corrupt one';
    if (result.corruption?.cause !== undefined) return `the decoder crashed: ${String(result.corruption.cause)}`;
    if (result.records.length !== 1 || result.outOfRange.length !== 0) return `${result.records.length} records for raw delivery`;
    const [raw] = result.records;
    if (!raw!.data.equals(bytes) || raw!.partitionKey !== OUTER_KEY || raw!.sequenceNumber !== SEQUENCE_NUMBER || raw!.subSequenceNumber !== 0 || raw!.aggregated) {
      return 'raw delivery changed the record';
    }
    return input.preserved === undefined ? undefined : 'a change that keeps the meaning was judged corrupt by the reference';
  }
  const got = [...result.records, ...result.outOfRange].sort((a, b) => a.subSequenceNumber - b.subSequenceNumber);
  const mismatch = compareRecords(got, expected.records);
  if (mismatch !== undefined) return mismatch;
  if (options?.shardHashKeyRange === undefined && result.outOfRange.length > 0) return 'out-of-range records without a range';
  if (input.preserved !== undefined) {
    const asReference = input.preserved.map((r): ReferenceRecord => ({ partitionKey: r.partitionKey, explicitHashKey: r.explicitHashKey, data: Buffer.from(r.data) }));
    const drift = compareRecords(got, asReference);
    if (drift !== undefined) return `not the records the aggregate was built from: ${drift}`;
  }
  return undefined;
}

function compareRecords(got: DeaggregationResult['records'], expected: readonly ReferenceRecord[]): string | undefined {
  if (got.length !== expected.length) return `${got.length} records, expected ${expected.length}`;
  for (let i = 0; i < got.length; i++) {
    const [g, e] = [got[i]!, expected[i]!];
    if (g.subSequenceNumber !== i || !g.aggregated || g.sequenceNumber !== SEQUENCE_NUMBER) return `record ${i}: numbering or flags`;
    if (g.partitionKey !== e.partitionKey) return `record ${i}: partition key ${JSON.stringify(g.partitionKey)}, expected ${JSON.stringify(e.partitionKey)}`;
    if (g.explicitHashKey !== e.explicitHashKey) return `record ${i}: explicit hash key ${String(g.explicitHashKey)}, expected ${String(e.explicitHashKey)}`;
    if (!g.data.equals(e.data)) return `record ${i}: data differs`;
  }
  return undefined;
}
