/**
 * Property tests of hash keys and shard lookup: `hashKeyOf` is MD5 of the partition key's UTF-8
 * bytes read as a big-endian 128-bit integer; `ShardMap.shardFor` finds the one open shard whose
 * range holds a key, ignores closed shards, and finds nothing in a gap.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { AggregateBuilder, deaggregate, effectiveHashKey, hashKeyDecimalOf, hashKeyOf, hashKeyToWords, InvalidShardMapError, ShardMap, type ShardDescription, type UserRecordInput } from '../src';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';

const md5Hex = (text: string): string => createHash('md5').update(Buffer.from(text, 'utf8')).digest('hex');

const partitionKeyArb = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 256, size: 'max' }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 10 }),
);
const hashKeyArb = fc.bigInt({ min: 0n, max: MAX_HASH_KEY });

describe('hashKeyOf', () => {
  it('is MD5 of the UTF-8 partition key, big-endian', () => {
    fc.assert(
      fc.property(partitionKeyArb, (partitionKey) => {
        const expected = BigInt('0x' + md5Hex(partitionKey));
        expect(hashKeyOf(partitionKey)).toBe(expected);
        expect(hashKeyDecimalOf(partitionKey)).toBe(expected.toString());
        expect(effectiveHashKey({ partitionKey })).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('matches known digests', () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661, read big-endian: pins the byte order independently of node:crypto.
    expect(hashKeyOf('a')).toBe(0x0cc175b9c0f1b6a831c399e269772661n);
    expect(hashKeyDecimalOf('a')).toBe('16955237001963240173058271559858726497');
  });

  it('an explicit hash key overrides the partition key', () => {
    fc.assert(
      fc.property(partitionKeyArb, hashKeyArb, (partitionKey, hashKey) => {
        expect(effectiveHashKey({ partitionKey, explicitHashKey: hashKey.toString() })).toBe(hashKey);
      }),
      { numRuns: 100 },
    );
  });
});

interface Layout {
  /** Every shard description handed to the map, shuffled. */
  readonly descriptions: ShardDescription[];
  /** The open shards that were kept (the rest of the partition are gaps). */
  readonly open: { shardId: string; start: bigint; end: bigint }[];
  /** Closed shards: any range, even overlapping the open ones. */
  readonly closed: { shardId: string; start: bigint; end: bigint }[];
}

const describeShard = (shardId: string, start: bigint, end: bigint, closed: boolean): ShardDescription => ({
  ShardId: shardId,
  HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() },
  SequenceNumberRange: closed
    ? { StartingSequenceNumber: '49590338271490256608559692538361571095921575989136588898', EndingSequenceNumber: '49590338271490256608559692540925702759324208523137515618' }
    : { StartingSequenceNumber: '49590338271490256608559692538361571095921575989136588898' },
});

/**
 * [0, 2^128 - 1] cut into 1–24 contiguous ranges; with gaps, some of them dropped (a stream
 * mid-reshard); plus closed shards with arbitrary ranges; all in a random order.
 */
const layoutArb: fc.Arbitrary<Layout> = fc
  .record({
    cuts: fc.uniqueArray(fc.bigInt({ min: 1n, max: MAX_HASH_KEY }), { maxLength: 23, size: 'max' }),
    gapFlags: fc.option(fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), { nil: undefined }),
    closedRanges: fc.array(fc.tuple(hashKeyArb, hashKeyArb), { maxLength: 6 }),
  })
  .chain(({ cuts, gapFlags, closedRanges }) => {
    const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const starts = [0n, ...sorted];
    const open = starts
      .map((start, i) => ({ shardId: `shardId-${String(i).padStart(12, '0')}`, start, end: i + 1 < starts.length ? starts[i + 1]! - 1n : MAX_HASH_KEY }))
      .filter((_, i) => gapFlags === undefined || gapFlags[i]!);
    const closed = closedRanges.map(([a, b], i) => ({ shardId: `shardId-closed-${i}`, start: a <= b ? a : b, end: a <= b ? b : a }));
    const descriptions = [
      ...open.map((s) => describeShard(s.shardId, s.start, s.end, false)),
      ...closed.map((s) => describeShard(s.shardId, s.start, s.end, true)),
    ];
    return fc
      .shuffledSubarray(descriptions, { minLength: descriptions.length, maxLength: descriptions.length })
      .map((shuffled) => ({ descriptions: shuffled, open, closed }));
  });

/** Every key where a lookup can go wrong: each range's ends and their neighbours. */
function boundaryKeys(layout: Layout): bigint[] {
  const keys = [0n, 1n, MAX_HASH_KEY - 1n, MAX_HASH_KEY];
  for (const { start, end } of [...layout.open, ...layout.closed]) keys.push(start - 1n, start, start + 1n, end - 1n, end, end + 1n);
  return keys.filter((key) => key >= 0n && key <= MAX_HASH_KEY);
}

/** The reference answer, by linear scan; undefined in a gap. Throws if the layout is not a partition. */
function ownerOf(layout: Layout, key: bigint): string | undefined {
  const owners = layout.open.filter((shard) => shard.start <= key && key <= shard.end);
  if (owners.length > 1) throw new Error(`test layout overlaps at ${key}`);
  return owners[0]?.shardId;
}

describe('ShardMap', () => {
  it('holds exactly the open shards, ordered by starting hash key', () => {
    fc.assert(
      fc.property(layoutArb, (layout) => {
        const map = ShardMap.fromShards(layout.descriptions);
        expect(map.size).toBe(layout.open.length);
        expect(map.shards.map((s) => [s.shardId, s.startingHashKey, s.endingHashKey])).toEqual(layout.open.map((s) => [s.shardId, s.start, s.end]));
      }),
      { numRuns: 200 },
    );
  });

  it('shardFor and shardForHashKeyWords find the unique open shard holding a key, at every boundary and at random keys; gaps give undefined', () => {
    fc.assert(
      fc.property(layoutArb, fc.array(hashKeyArb, { maxLength: 40, size: 'max' }), (layout, randomKeys) => {
        const map = ShardMap.fromShards(layout.descriptions);
        // One assertion per run keeps this fast; a failure lists every key that went wrong.
        const wrong: string[] = [];
        for (const key of [...boundaryKeys(layout), ...randomKeys]) {
          const expected = ownerOf(layout, key);
          const found = map.shardFor(key);
          // The decimal-string form (as ExplicitHashKey and ListShards carry keys) must find the same shard.
          const foundByString = map.shardFor(key.toString());
          // So must the producer's form: four 32-bit words, as unsigned or as signed int32 values.
          const words = hashKeyToWords(key);
          const foundByWords = map.shardForHashKeyWords(words[0]!, words[1]!, words[2]!, words[3]!);
          const foundBySignedWords = map.shardForHashKeyWords(words[0]! | 0, words[1]! | 0, words[2]! | 0, words[3]! | 0);
          const contains = found === undefined || (found.startingHashKey <= key && key <= found.endingHashKey);
          if (found?.shardId !== expected || foundByString !== found || foundByWords !== found || foundBySignedWords !== found || !contains) {
            wrong.push(`${key}: expected ${expected}, got ${found?.shardId} (by string: ${foundByString?.shardId}, by words: ${foundByWords?.shardId})`);
          }
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('shardForRecord routes by explicit hash key, else by MD5 of the partition key', () => {
    fc.assert(
      fc.property(layoutArb, partitionKeyArb, fc.option(hashKeyArb, { nil: undefined }), (layout, partitionKey, hashKey) => {
        const map = ShardMap.fromShards(layout.descriptions);
        const record = hashKey === undefined ? { partitionKey } : { partitionKey, explicitHashKey: hashKey.toString() };
        const key = hashKey ?? BigInt('0x' + md5Hex(partitionKey));
        expect(map.shardForRecord(record)?.shardId).toBe(ownerOf(layout, key));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects open shards that overlap', () => {
    fc.assert(
      fc.property(
        layoutArb.filter((layout) => layout.open.length >= 2),
        fc.nat(),
        fc.bigInt({ min: 0n, max: MAX_HASH_KEY }),
        (layout, pick, stretch) => {
          // Stretch one open shard's end onto the next open shard's start or beyond.
          const i = pick % (layout.open.length - 1);
          const next = layout.open[i + 1]!;
          const newEnd = next.start + (stretch % (MAX_HASH_KEY - next.start + 1n));
          const shards = layout.open.map((s, j) => describeShard(s.shardId, s.start, j === i ? newEnd : s.end, false));
          expect(() => ShardMap.fromShards(shards)).toThrow(InvalidShardMapError);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('deaggregate with a shard hash-key range', () => {
  it('splits sub-records by their effective hash key; none is lost', () => {
    const recordArb: fc.Arbitrary<UserRecordInput> = fc.record(
      { partitionKey: partitionKeyArb, explicitHashKey: fc.option(hashKeyArb.map(String), { nil: undefined }), data: fc.uint8Array({ maxLength: 16 }) },
      { requiredKeys: ['partitionKey', 'data'] },
    );
    const rangeArb = fc.tuple(hashKeyArb, hashKeyArb).map(([a, b]): [bigint, bigint] => (a <= b ? [a, b] : [b, a]));
    fc.assert(
      fc.property(fc.array(recordArb, { minLength: 1, maxLength: 12 }), rangeArb, fc.boolean(), (records, [start, end], asStrings) => {
        const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
        for (const record of records) expect(builder.tryAdd(record)).toBe(true);
        const { data } = builder.build();
        const shardHashKeyRange = asStrings ? { startingHashKey: start.toString(), endingHashKey: end.toString() } : { startingHashKey: start, endingHashKey: end };
        const result = deaggregate({ Data: data, PartitionKey: 'a', SequenceNumber: '1' }, { shardHashKeyRange });

        expect(result.format).toBe('aggregated');
        const inRange = records.map((record) => {
          const key = effectiveHashKey(record);
          return start <= key && key <= end;
        });
        expect(result.records.map((r) => r.subSequenceNumber)).toEqual(records.flatMap((_, i) => (inRange[i] ? [i] : [])));
        expect(result.outOfRange.map((r) => r.subSequenceNumber)).toEqual(records.flatMap((_, i) => (inRange[i] ? [] : [i])));
      }),
      { numRuns: 200 },
    );
  });
});
