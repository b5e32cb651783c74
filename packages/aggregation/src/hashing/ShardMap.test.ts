import { InvalidArgumentError, MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { hashKeyOf } from './hashKey';
import { InvalidShardMapError } from './InvalidShardMapError';
import { ShardMap, type ShardDescription } from './ShardMap';

const shard = (id: string, start: bigint, end: bigint, closed = false): ShardDescription => ({
  ShardId: id,
  HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() },
  SequenceNumberRange: { StartingSequenceNumber: '1', ...(closed ? { EndingSequenceNumber: '2' } : {}) },
});

const half = MAX_HASH_KEY / 2n;

describe('ShardMap', () => {
  it('finds the open shard owning a hash key, at and around every boundary', () => {
    const map = ShardMap.fromShards([shard('shardId-1', half + 1n, MAX_HASH_KEY), shard('shardId-0', 0n, half)]);
    expect(map.size).toBe(2);
    expect(map.shardFor(0n)?.shardId).toBe('shardId-0');
    expect(map.shardFor(half)?.shardId).toBe('shardId-0');
    expect(map.shardFor(half + 1n)?.shardId).toBe('shardId-1');
    expect(map.shardFor(MAX_HASH_KEY.toString())?.shardId).toBe('shardId-1');
  });

  it('leaves closed shards out, so a reshard routes to the children', () => {
    const map = ShardMap.fromShards([
      shard('shardId-0', 0n, MAX_HASH_KEY, true),
      shard('shardId-1', 0n, half),
      shard('shardId-2', half + 1n, MAX_HASH_KEY),
    ]);
    expect(map.shards.map((s) => s.shardId)).toEqual(['shardId-1', 'shardId-2']);
  });

  it('returns undefined for a hash key in a gap', () => {
    const map = ShardMap.fromShards([shard('shardId-0', 10n, 20n)]);
    expect(map.shardFor(9n)).toBeUndefined();
    expect(map.shardFor(21n)).toBeUndefined();
    expect(ShardMap.fromShards([]).shardFor(0n)).toBeUndefined();
  });

  it('routes records by EHK or partition key', () => {
    const map = ShardMap.fromShards([shard('shardId-0', 0n, half), shard('shardId-1', half + 1n, MAX_HASH_KEY)]);
    expect(map.shardForRecord({ partitionKey: 'x', explicitHashKey: '0' })?.shardId).toBe('shardId-0');
    const expected = hashKeyOf('some key') <= half ? 'shardId-0' : 'shardId-1';
    expect(map.shardForRecord({ partitionKey: 'some key' })?.shardId).toBe(expected);
  });

  it.each([
    [[{ HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' } }], /no ShardId/],
    [[{ ShardId: 's' }], /HashKeyRange.StartingHashKey: expected a decimal hash key in \[0, 2\^128 − 1\], got undefined/],
    [[{ ShardId: 's', HashKeyRange: { StartingHashKey: '00', EndingHashKey: '1' } }], /StartingHashKey: expected a decimal hash key/],
    [[shard('s', 5n, 4n)], /StartingHashKey above EndingHashKey/],
    [[shard('a', 0n, 10n), shard('b', 10n, 20n)], /open shards a and b overlap/],
    [[{ ShardId: 's', HashKeyRange: { StartingHashKey: '0', EndingHashKey: (MAX_HASH_KEY + 1n).toString() } }], /EndingHashKey: expected a decimal hash key/],
  ])('rejects a malformed shard list %#', (shards, message) => {
    expect(() => ShardMap.fromShards(shards)).toThrow(InvalidShardMapError);
    expect(() => ShardMap.fromShards(shards)).toThrow(message);
  });
});

describe('ShardMap.shardFor with a bad hash key', () => {
  it.each(['', '0x10', ' 5 ', '-1', '05', 5, null, -1n, MAX_HASH_KEY + 1n])('rejects %p with an InvalidArgumentError rather than coercing it', (key) => {
    const map = ShardMap.fromShards([shard('s', 0n, MAX_HASH_KEY)]);
    expect(() => map.shardFor(key as never)).toThrow(InvalidArgumentError);
    expect(() => map.shardFor(key as never)).toThrow(/^hashKey: expected /);
  });
});

describe('ShardMap.fromShards with a bad list', () => {
  it.each([
    [undefined, 'shards'],
    [{ Shards: [] }, 'shards'],
    [[null], 'shards[0]'],
    [[shard('s', 0n, 1n), 'x'], 'shards[1]'],
  ])('rejects %p naming %s', (shards, argument) => {
    expect(() => ShardMap.fromShards(shards as never)).toThrow(InvalidArgumentError);
    expect(() => ShardMap.fromShards(shards as never)).toThrow(expect.objectContaining({ argument }));
  });
});
