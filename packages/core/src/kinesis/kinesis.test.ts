import fc from 'fast-check';
import { compareExtendedSequenceNumbers, compareSequenceNumbers, isSequenceNumber, requireSequenceNumber } from './sequenceNumber';
import { MAX_HASH_KEY, isHashKey, parseHashKey } from './hashKey';
import { listAllShards, type ListShardsPageInput } from './listAllShards';

describe('sequence numbers', () => {
  it('orders like BigInt for any canonical decimals', () => {
    const decimal = fc.bigInt({ min: 0n, max: 10n ** 60n }).map(String);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        expect(compareSequenceNumbers(a, b)).toBe(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('orders sentinels before positions, sub-sequence numbers within a position, SHARD_END last', () => {
    const order = [
      { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
      { sequenceNumber: '9', subSequenceNumber: 0 },
      { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 0 },
      { sequenceNumber: '49590338271490256608559692538361571095921575989136588898', subSequenceNumber: 4 },
      { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 },
    ];
    for (let i = 0; i < order.length - 1; i += 1) {
      expect(compareExtendedSequenceNumbers(order[i]!, order[i + 1]!)).toBeLessThan(0);
      expect(compareExtendedSequenceNumbers(order[i + 1]!, order[i]!)).toBeGreaterThan(0);
    }
  });

  it('accepts only canonical decimals as sequence numbers', () => {
    expect(isSequenceNumber('0')).toBe(true);
    expect(isSequenceNumber('0123')).toBe(false);
    expect(isSequenceNumber('abc')).toBe(false);
    expect(isSequenceNumber(123)).toBe(false);
    expect(() => requireSequenceNumber('checkpoint(sequenceNumber)', 'abc')).toThrow('checkpoint(sequenceNumber): expected a Kinesis sequence number (decimal digits, no leading zeros), got "abc"');
  });
});

describe('hash keys as Kinesis accepts them', () => {
  it.each(['0', '1', MAX_HASH_KEY.toString(), '170141183460469231731687303715884105728'])('accepts %s', (key) => {
    expect(isHashKey(key)).toBe(true);
    expect(parseHashKey('explicitHashKey', key)).toBe(BigInt(key));
  });

  it.each(['0123', '00', '0'.repeat(49) + '1', (MAX_HASH_KEY + 1n).toString(), ' 1', '1e3', '-1', '', '1.0'])('rejects %p, which the service would refuse', (key) => {
    expect(isHashKey(key)).toBe(false);
    expect(() => parseHashKey('explicitHashKey', key)).toThrow(/^explicitHashKey: expected a decimal hash key in \[0, 2\^128 − 1\] without leading zeros, got/);
  });

  it('rejects non-strings', () => {
    expect(() => parseHashKey('explicitHashKey', 42)).toThrow('explicitHashKey: expected a decimal hash key in [0, 2^128 − 1] without leading zeros, got 42');
  });
});

describe('listAllShards', () => {
  const shard = (n: number) => ({ ShardId: `shardId-${n}` });

  it('names the stream and filter on the first page only, then follows NextToken', async () => {
    const inputs: ListShardsPageInput[] = [];
    const pages = [{ Shards: [shard(0), shard(1)], NextToken: 't1' }, { Shards: [shard(2)], NextToken: 't2' }, { Shards: [shard(3)] }];
    const shards = await listAllShards(async (input) => {
      inputs.push(input);
      return pages.shift()!;
    }, { streamName: 'orders', shardFilter: { Type: 'AT_LATEST' } });
    expect(shards.map((s) => s.ShardId)).toEqual(['shardId-0', 'shardId-1', 'shardId-2', 'shardId-3']);
    expect(inputs).toEqual([{ StreamName: 'orders', ShardFilter: { Type: 'AT_LATEST' } }, { NextToken: 't1' }, { NextToken: 't2' }]);
  });

  it('restarts once when a NextToken expired between pages, returning each shard once', async () => {
    let calls = 0;
    const shards = await listAllShards(async (input) => {
      calls += 1;
      if (calls === 2) throw Object.assign(new Error('expired'), { name: 'ExpiredNextTokenException' });
      return input.NextToken === undefined ? { Shards: [shard(0)], NextToken: 't' } : { Shards: [shard(1)] };
    }, { streamName: 'orders' });
    expect(shards.map((s) => s.ShardId)).toEqual(['shardId-0', 'shardId-1']);
    expect(calls).toBe(4);
  });

  it('passes other failures through', async () => {
    await expect(listAllShards(async () => Promise.reject(new Error('boom')), { streamName: 's' })).rejects.toThrow('boom');
  });

  it('stops a server that pages forever', async () => {
    await expect(listAllShards(async () => ({ Shards: [], NextToken: 'again' }), { streamName: 's', maxPages: 5 })).rejects.toThrow('more than 5 pages');
  });
});
