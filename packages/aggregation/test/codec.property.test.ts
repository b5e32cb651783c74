/**
 * Property tests of the aggregated-record codec against the .proto contract, with protobufjs
 * as the reference implementation of protobuf:
 *
 * (a) our encoder writes exactly magic ‖ protobufjs.encode(AggregatedRecord) ‖ MD5;
 * (b) aggregate → deaggregate gives the records back;
 * (c) AggregateBuilder.sizeBytes is the built aggregate's length;
 * (d) deaggregate never throws on damaged or arbitrary bytes, and delivers what it cannot decode as is;
 * (e) our hand-written decoder reads what protobufjs writes, including layouts our encoder never produces.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import * as protobuf from 'protobufjs';
import { AggregateBuilder, aggregate, deaggregate, hashKeyDecimalOf, KPL_AGGREGATION_MAGIC, RecordTooLargeError, type DeaggregationResult, type UserRecordInput } from '../src';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { varint as varintBytes } from './fuzz/hostileRecords';

const SEQUENCE_NUMBER = '49590338271490256608559692538361571095921575989136588898';
const MAGIC = Buffer.from(KPL_AGGREGATION_MAGIC);

// keepCase: the message fields keep the .proto's snake_case names.
const protoRoot = protobuf.parse(readFileSync(join(__dirname, '../proto/aggregated_record.proto'), 'utf8'), { keepCase: true }).root;
const AggregatedRecordType = protoRoot.lookupType('kinesis_toolkit.AggregatedRecord');

interface ProtoTag {
  key: string;
  value?: string;
}
interface ProtoRecord {
  partition_key_index: number;
  explicit_hash_key_index?: number;
  data: Uint8Array;
  tags?: ProtoTag[];
}
interface ProtoAggregatedRecord {
  partition_key_table: string[];
  explicit_hash_key_table: string[];
  records: ProtoRecord[];
}

const md5 = (bytes: Uint8Array): Buffer => createHash('md5').update(bytes).digest();

function encodeWithProtobufjs(message: Partial<ProtoAggregatedRecord>): Buffer {
  const bytes = AggregatedRecordType.encode(message).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decodeWithProtobufjs(body: Uint8Array): ProtoAggregatedRecord {
  const decoded = AggregatedRecordType.decode(body);
  return AggregatedRecordType.toObject(decoded, { longs: Number, arrays: true }) as ProtoAggregatedRecord;
}

const frame = (body: Buffer): Buffer => Buffer.concat([MAGIC, body, md5(body)]);

/** The message the KPL builds for these records: each table in first-seen order, without duplicates. */
function protobufMessageOf(records: readonly UserRecordInput[]): ProtoAggregatedRecord {
  const partitionKeys = new Map<string, number>();
  const explicitHashKeys = new Map<string, number>();
  const indexIn = (table: Map<string, number>, key: string): number => {
    let index = table.get(key);
    if (index === undefined) table.set(key, (index = table.size));
    return index;
  };
  const protoRecords = records.map((record): ProtoRecord => {
    const protoRecord: ProtoRecord = { partition_key_index: indexIn(partitionKeys, record.partitionKey), data: record.data };
    if (record.explicitHashKey !== undefined) protoRecord.explicit_hash_key_index = indexIn(explicitHashKeys, record.explicitHashKey);
    return protoRecord;
  });
  return { partition_key_table: [...partitionKeys.keys()], explicit_hash_key_table: [...explicitHashKeys.keys()], records: protoRecords };
}

/** Builds one aggregate of all records, even a single one. */
function buildAggregate(records: readonly UserRecordInput[]): Buffer {
  const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
  for (const record of records) {
    if (!builder.tryAdd(record)) throw new Error('test records must fit one aggregate');
  }
  return builder.build().data;
}

const sdkRecord = (data: Uint8Array) => ({ Data: data, PartitionKey: 'outer-key', SequenceNumber: SEQUENCE_NUMBER });

// --- arbitraries ---

// Lengths: fast-check's default size keeps arrays and strings to about ten elements, whatever the
// bound; size 'max' lets keys, data and record counts reach their bounds.

/** 1–256 code points, any plane (fast-check's "binary" unit never yields a lone surrogate). */
const partitionKeyArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 256, size: 'max' }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 16 }),
);
const explicitHashKeyArb = fc.bigInt({ min: 0n, max: MAX_HASH_KEY }).map(String);
const dataArb = fc.uint8Array({ maxLength: 3 * 1024, size: 'max' });

/** User records drawing on small key pools, so tables see repeats. */
const userRecordsArb = (maxRecords: number): fc.Arbitrary<UserRecordInput[]> =>
  fc
    .tuple(fc.uniqueArray(partitionKeyArb, { minLength: 1, maxLength: 6 }), fc.uniqueArray(explicitHashKeyArb, { maxLength: 4 }))
    .chain(([keys, hashKeys]) =>
      fc.array(
        fc.record(
          {
            partitionKey: fc.constantFrom(...keys),
            explicitHashKey: hashKeys.length === 0 ? fc.constant(undefined) : fc.option(fc.constantFrom(...hashKeys), { nil: undefined }),
            data: dataArb,
          },
          { requiredKeys: ['partitionKey', 'data'] },
        ),
        { minLength: 1, maxLength: maxRecords, size: 'max' },
      ),
    )
    .map((records) => records.map((r) => (r.explicitHashKey === undefined ? { partitionKey: r.partitionKey, data: r.data } : r)));

function expectPlainDelivery(result: DeaggregationResult, input: Uint8Array): void {
  expect(result.records).toHaveLength(1);
  expect(result.outOfRange).toEqual([]);
  const [record] = result.records;
  expect(Buffer.compare(record!.data, input)).toBe(0);
  expect(record!.partitionKey).toBe('outer-key');
  expect(record!.subSequenceNumber).toBe(0);
  expect(record!.aggregated).toBe(false);
}

describe('(a) encoder matches protobufjs', () => {
  it('writes magic ‖ protobufjs encoding ‖ MD5, byte for byte', () => {
    fc.assert(
      fc.property(userRecordsArb(20), (records) => {
        const ours = buildAggregate(records);
        const expected = frame(encodeWithProtobufjs(protobufMessageOf(records)));
        expect(ours.toString('hex')).toBe(expected.toString('hex'));
      }),
      { numRuns: 150 },
    );
  });
});

describe('(b) round trip', () => {
  it('aggregate → deaggregate returns every record, in order', () => {
    const maxBytesArb = fc.option(fc.integer({ min: 64, max: 64 * 1024 }), { nil: undefined });
    fc.assert(
      fc.property(userRecordsArb(24), maxBytesArb, fc.boolean(), (records, maxBytes, unaggregatedSingleRecord) => {
        const outputs = aggregate(records, { maxBytes, unaggregatedSingleRecord });
        expect(outputs.reduce((sum, output) => sum + output.userRecordCount, 0)).toBe(records.length);

        let next = 0;
        for (const output of outputs) {
          const result = deaggregate(sdkRecord(output.data));
          expect(result.format).toBe(output.aggregated ? 'aggregated' : 'plain');
          expect(result.records).toHaveLength(output.userRecordCount);
          if (output.aggregated) expect(output.data.length).toBeLessThanOrEqual(maxBytes ?? 1024 * 1024 - 1);
          result.records.forEach((record, i) => {
            const input = records[next + i]!;
            expect(record.subSequenceNumber).toBe(i);
            expect(record.sequenceNumber).toBe(SEQUENCE_NUMBER);
            expect(Buffer.compare(record.data, input.data)).toBe(0);
            if (output.aggregated) {
              expect(record.partitionKey).toBe(input.partitionKey);
              expect(record.explicitHashKey).toBe(input.explicitHashKey);
            } else {
              // A record sent as itself carries its key and routing on the Kinesis record.
              expect(output.partitionKey).toBe(input.partitionKey);
              expect(output.explicitHashKey).toBe(input.explicitHashKey ?? hashKeyDecimalOf(input.partitionKey));
            }
          });
          next += output.userRecordCount;
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('(c) size tracking', () => {
  it('sizeBytes is the built aggregate length, sizeWith predicts it, and maxBytes holds', () => {
    const optionsArb = fc.record({ maxBytes: fc.integer({ min: 24, max: 16 * 1024 }), maxCount: fc.integer({ min: 1, max: 30 }) });
    fc.assert(
      fc.property(userRecordsArb(40), optionsArb, (records, { maxBytes, maxCount }) => {
        const builder = new AggregateBuilder({ maxBytes, maxCount, unaggregatedSingleRecord: false });
        const checkBuild = (): void => {
          const size = builder.sizeBytes;
          const count = builder.count;
          const output = builder.build();
          expect(output.data.length).toBe(size);
          expect(output.userRecordCount).toBe(count);
          expect(builder.sizeBytes).toBe(0);
          expect(builder.count).toBe(0);
        };
        for (const record of records) {
          const predicted = builder.sizeWith(record);
          let added: boolean;
          try {
            added = builder.tryAdd(record);
          } catch (err) {
            // Only a record too large for an empty aggregate is refused outright.
            expect(err).toBeInstanceOf(RecordTooLargeError);
            expect(builder.count).toBe(0);
            expect(predicted).toBeGreaterThan(maxBytes);
            continue;
          }
          if (added) {
            expect(builder.sizeBytes).toBe(predicted);
            expect(builder.sizeBytes).toBeLessThanOrEqual(maxBytes);
            expect(builder.count).toBeLessThanOrEqual(maxCount);
          } else {
            expect(predicted > maxBytes || builder.count === maxCount).toBe(true);
            checkBuild();
            const predictedAlone = builder.sizeWith(record);
            if (predictedAlone <= maxBytes) {
              expect(builder.tryAdd(record)).toBe(true);
              expect(builder.sizeBytes).toBe(predictedAlone);
            }
          }
        }
        if (builder.count > 0) checkBuild();
      }),
      { numRuns: 150 },
    );
  });
});

describe('(d) damaged input', () => {
  const smallRecordsArb = userRecordsArb(6).map((records) => records.map((r) => ({ ...r, data: r.data.subarray(0, 64) })));
  const validAggregateArb = smallRecordsArb.map(buildAggregate);
  /** Replaces the MD5 trailer so that damage inside the protobuf reaches the parser. */
  const withChecksum = (body: Uint8Array): Buffer => frame(Buffer.from(body));

  type Damage = { kind: string; bytes: Buffer };
  const damagedArb: fc.Arbitrary<Damage> = fc.oneof(
    fc.uint8Array({ maxLength: 300, size: 'max' }).map((random) => ({ kind: 'random after magic', bytes: Buffer.concat([MAGIC, random]) })),
    fc.uint8Array({ maxLength: 300, size: 'max' }).map((random) => ({ kind: 'random protobuf, valid MD5', bytes: withChecksum(random) })),
    validAggregateArb.chain((valid) =>
      fc.nat({ max: valid.length - 1 }).map((length) => ({ kind: 'truncated', bytes: valid.subarray(0, length) })),
    ),
    validAggregateArb.chain((valid) =>
      fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
        const bytes = Buffer.from(valid);
        bytes[at] ^= mask;
        return { kind: at < MAGIC.length ? 'flipped magic' : 'flipped byte', bytes };
      }),
    ),
    validAggregateArb.chain((valid) => {
      const body = valid.subarray(MAGIC.length, valid.length - 16);
      return fc.tuple(fc.nat({ max: body.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => {
        const damaged = Buffer.from(body);
        damaged[at] ^= mask;
        return { kind: 'flipped protobuf byte, valid MD5', bytes: withChecksum(damaged) };
      });
    }),
    validAggregateArb.chain((valid) => {
      const body = valid.subarray(MAGIC.length, valid.length - 16);
      return fc.tuple(fc.nat({ max: body.length }), fc.nat({ max: body.length }), fc.uint8Array({ maxLength: 12 })).map(([a, b, insert]) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        return { kind: 'spliced protobuf, valid MD5', bytes: withChecksum(Buffer.concat([body.subarray(0, from), insert, body.subarray(to)])) };
      });
    }),
  );
  const rangeArb = fc.option(
    fc.tuple(fc.bigInt({ min: 0n, max: MAX_HASH_KEY }), fc.bigInt({ min: 0n, max: MAX_HASH_KEY })).map(([a, b]) =>
      a <= b ? { startingHashKey: a, endingHashKey: b } : { startingHashKey: b, endingHashKey: a },
    ),
    { nil: undefined },
  );

  it('never throws: delivers the bytes as one plain record, or a valid decode', () => {
    fc.assert(
      fc.property(damagedArb, rangeArb, fc.boolean(), ({ kind, bytes }, shardHashKeyRange, asLambda) => {
        const result = asLambda
          ? deaggregate({ kinesis: { data: bytes.toString('base64'), partitionKey: 'outer-key', sequenceNumber: SEQUENCE_NUMBER } }, { shardHashKeyRange })
          : deaggregate(sdkRecord(bytes), { shardHashKeyRange });

        const hasMagic = bytes.length >= MAGIC.length && bytes.subarray(0, MAGIC.length).equals(MAGIC);
        if (!hasMagic) expect(result.format).toBe('plain');
        // A byte flipped or cut off without a new MD5 can never pass the checksum.
        if ((kind === 'flipped byte' || kind === 'truncated') && bytes.length >= 20) expect(result.format).toBe('corrupt');

        if (result.format === 'aggregated') {
          expect(hasMagic).toBe(true);
          const body = bytes.subarray(MAGIC.length, bytes.length - 16);
          expect(md5(body).equals(bytes.subarray(bytes.length - 16))).toBe(true);
          const all = [...result.records, ...result.outOfRange].sort((x, y) => x.subSequenceNumber - y.subSequenceNumber);
          expect(all.length).toBeGreaterThan(0);
          all.forEach((record, i) => {
            expect(record.subSequenceNumber).toBe(i);
            expect(record.aggregated).toBe(true);
            expect(bytes.includes(record.data)).toBe(true);
          });
        } else {
          expect(['plain', 'corrupt']).toContain(result.format);
          expect(result.corruption !== undefined).toBe(result.format === 'corrupt');
          expectPlainDelivery(result, bytes);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('(e) decoder matches protobufjs', () => {
  const tableEntryArb = fc.string({ unit: 'binary', maxLength: 40, size: 'max' });
  const tagArb = fc.record({ key: fc.string({ maxLength: 10 }), value: fc.string({ maxLength: 10 }) }, { requiredKeys: ['key'] });
  const messageArb: fc.Arbitrary<ProtoAggregatedRecord> = fc
    .tuple(fc.array(tableEntryArb, { minLength: 1, maxLength: 6 }), fc.array(tableEntryArb, { maxLength: 4 }))
    .chain(([partitionKeys, explicitHashKeys]) =>
      fc
        .array(
          fc.record(
            {
              partition_key_index: fc.nat({ max: partitionKeys.length - 1 }),
              explicit_hash_key_index: explicitHashKeys.length === 0 ? fc.constant(undefined) : fc.nat({ max: explicitHashKeys.length - 1 }),
              data: fc.uint8Array({ maxLength: 512, size: 'max' }),
              tags: fc.array(tagArb, { maxLength: 3 }),
            },
            { requiredKeys: ['partition_key_index', 'data'] },
          ),
          { minLength: 1, maxLength: 12 },
        )
        .map((records) => ({
          partition_key_table: partitionKeys,
          explicit_hash_key_table: explicitHashKeys,
          records: records.map((r) => {
            const { explicit_hash_key_index, ...rest } = r;
            return explicit_hash_key_index === undefined ? rest : { ...rest, explicit_hash_key_index };
          }),
        })),
    );

  /**
   * Encodes every table entry and record as its own one-field message and concatenates them in
   * an interleaved order: protobuf merges repeated fields by appending, so this is the same message,
   * laid out as a KPL never writes it (records before the tables they index, tables split up).
   */
  function encodeInterleaved(message: ProtoAggregatedRecord, choices: readonly number[]): Buffer {
    const queues: Buffer[][] = [
      message.partition_key_table.map((key) => encodeWithProtobufjs({ partition_key_table: [key] })),
      message.explicit_hash_key_table.map((key) => encodeWithProtobufjs({ explicit_hash_key_table: [key] })),
      message.records.map((record) => encodeWithProtobufjs({ records: [record] })),
    ];
    const pieces: Buffer[] = [];
    let choice = 0;
    while (queues.some((queue) => queue.length > 0)) {
      let pick = choices[choice++ % Math.max(choices.length, 1)] ?? 0;
      while (queues[pick % 3]!.length === 0) pick++;
      pieces.push(queues[pick % 3]!.shift()!);
    }
    return Buffer.concat(pieces);
  }

  it('decodes what protobufjs encodes, in any field order, with tags', () => {
    fc.assert(
      fc.property(messageArb, fc.option(fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 30 }), { nil: undefined }), (message, choices) => {
        const body = choices === undefined ? encodeWithProtobufjs(message) : encodeInterleaved(message, choices);
        const reference = decodeWithProtobufjs(body);
        const result = deaggregate(sdkRecord(frame(body)));

        expect(result.format).toBe('aggregated');
        expect(result.records).toHaveLength(reference.records.length);
        result.records.forEach((record, i) => {
          const expected = reference.records[i]!;
          expect(record.subSequenceNumber).toBe(i);
          expect(record.partitionKey).toBe(reference.partition_key_table[expected.partition_key_index]);
          expect(record.explicitHashKey).toBe(
            expected.explicit_hash_key_index === undefined ? undefined : reference.explicit_hash_key_table[expected.explicit_hash_key_index],
          );
          expect(Buffer.compare(record.data, expected.data)).toBe(0);
          // ...which is also what was generated.
          expect(record.partitionKey).toBe(message.partition_key_table[message.records[i]!.partition_key_index]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('our aggregates decode with protobufjs to the records they were built from', () => {
    fc.assert(
      fc.property(userRecordsArb(12), (records) => {
        const bytes = buildAggregate(records);
        const decoded = decodeWithProtobufjs(bytes.subarray(MAGIC.length, bytes.length - 16));
        expect(decoded.records).toHaveLength(records.length);
        decoded.records.forEach((record, i) => {
          expect(decoded.partition_key_table[record.partition_key_index]).toBe(records[i]!.partitionKey);
          const hashKey = record.explicit_hash_key_index === undefined ? undefined : decoded.explicit_hash_key_table[record.explicit_hash_key_index];
          expect(hashKey).toBe(records[i]!.explicitHashKey);
          expect(Buffer.compare(record.data, records[i]!.data)).toBe(0);
        });
      }),
      { numRuns: 100 },
    );
  });

  // --- unknown fields: protobuf readers must skip them, whatever their value ---

  type UnknownField = { field: number; wireType: 0; value: bigint } | { field: number; wireType: 1 | 2 | 5; bytes: Uint8Array };
  const unknownFieldArb = (minField: number): fc.Arbitrary<UnknownField> => {
    const field = fc.integer({ min: minField, max: 2 ** 29 - 1 });
    return fc.oneof(
      fc.record({ field, wireType: fc.constant(0 as const), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
      fc.record({ field, wireType: fc.constant(1 as const), bytes: fc.uint8Array({ minLength: 8, maxLength: 8 }) }),
      fc.record({ field, wireType: fc.constant(2 as const), bytes: fc.uint8Array({ maxLength: 20 }) }),
      fc.record({ field, wireType: fc.constant(5 as const), bytes: fc.uint8Array({ minLength: 4, maxLength: 4 }) }),
    );
  };
  function encodeUnknown(unknown: UnknownField): Buffer {
    const tag = varintBytes(BigInt(unknown.field * 8 + unknown.wireType));
    if (unknown.wireType === 0) return Buffer.concat([tag, varintBytes(unknown.value)]);
    if (unknown.wireType === 2) return Buffer.concat([tag, varintBytes(BigInt(unknown.bytes.length)), unknown.bytes]);
    return Buffer.concat([tag, unknown.bytes]);
  }
  const RecordType = protoRoot.lookupType('kinesis_toolkit.Record');

  /** The message with unknown fields after each table entry and inside each record. */
  function encodeWithUnknownFields(message: ProtoAggregatedRecord, outer: readonly UnknownField[], inner: readonly UnknownField[]): Buffer {
    const pieces: Buffer[] = [];
    let outerIndex = 0;
    const nextOuter = (): void => {
      if (outer.length > 0) pieces.push(encodeUnknown(outer[outerIndex++ % outer.length]!));
    };
    for (const key of message.partition_key_table) {
      pieces.push(encodeWithProtobufjs({ partition_key_table: [key] }));
      nextOuter();
    }
    for (const key of message.explicit_hash_key_table) {
      pieces.push(encodeWithProtobufjs({ explicit_hash_key_table: [key] }));
      nextOuter();
    }
    message.records.forEach((record, i) => {
      const recordBytes = Buffer.from(RecordType.encode(record).finish());
      const body = inner.length === 0 ? recordBytes : Buffer.concat([recordBytes, encodeUnknown(inner[i % inner.length]!)]);
      pieces.push(Buffer.concat([Buffer.from([0x1a]), varintBytes(BigInt(body.length)), body]));
      nextOuter();
    });
    return Buffer.concat(pieces);
  }

  it('skips unknown fields of every wire type and value, as protobufjs does', () => {
    fc.assert(
      fc.property(
        messageArb,
        fc.array(unknownFieldArb(4), { maxLength: 4 }),
        fc.array(unknownFieldArb(5), { maxLength: 4 }),
        (message, outer, inner) => {
          const body = encodeWithUnknownFields(message, outer, inner);
          const reference = decodeWithProtobufjs(body);
          const result = deaggregate(sdkRecord(frame(body)));
          expect(result.corruption?.message).toBeUndefined();
          expect(result.format).toBe('aggregated');
          expect(result.records.map((r) => [r.partitionKey, r.explicitHashKey, r.data.toString('hex')])).toEqual(
            reference.records.map((r) => [
              reference.partition_key_table[r.partition_key_index],
              r.explicit_hash_key_index === undefined ? undefined : reference.explicit_hash_key_table[r.explicit_hash_key_index],
              Buffer.from(r.data).toString('hex'),
            ]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('skips an unknown 10-byte varint field (a negative int64 on the wire)', () => {
    // AggregatedRecord { partition_key_table: ["k"], records: [{ partition_key_index: 0, data: "hi" }] }
    // followed by field 15, wire type 0, value 2^64 - 1: what any protobuf writer emits for int64 -1.
    const body = Buffer.from('0a016b1a0608001a0268697' + '8ffffffffffffffffff01', 'hex');
    expect(decodeWithProtobufjs(body).records).toHaveLength(1); // valid protobuf: the reference reads it
    const result = deaggregate(sdkRecord(frame(body)));
    expect(result.corruption?.message).toBeUndefined();
    expect(result.format).toBe('aggregated');
    expect(result.records.map((r) => [r.partitionKey, r.data.toString()])).toEqual([['k', 'hi']]);
  });
});
