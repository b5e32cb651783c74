import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { ShardMap } from '@kinesis-toolkit/aggregation';
import type { ShardMapProvider } from '../shards/ShardMapProvider';
import { AWAITING_SHARD_MAP, RouteTable } from './RouteTable';
import { pendingRecord } from '../../test/pendingRecord';
import { hashKeyOfRecord } from './PendingRecord';

const HALF = MAX_HASH_KEY / 2n;
const range = (id: string, start: bigint, end: bigint) => ({ ShardId: id, HashKeyRange: { StartingHashKey: start.toString(), EndingHashKey: end.toString() } });
const TWO_SHARDS = ShardMap.fromShards([range('shardId-0', 0n, HALF), range('shardId-1', HALF + 1n, MAX_HASH_KEY)]);
const GAPPED = ShardMap.fromShards([range('shardId-0', 0n, HALF)]);

/** A stand-in for the provider: a map the test sets, and a count of refreshes asked for. */
function provider(map?: ShardMap) {
  const stub = { current: map, refreshes: 0, refresh: () => (stub.refreshes++, Promise.resolve(stub.current)) };
  return stub;
}

describe('RouteTable', () => {
  it('holds every record under one route while there is no map, and moves them, in order, when one arrives', () => {
    const maps = provider();
    const table = new RouteTable(maps as unknown as ShardMapProvider);
    const records = ['a', 'b', 'c', 'd'].map((key) => pendingRecord(key));
    for (const record of records) table.bufferFor(record).add(record);
    expect([...table].map(([routeKey, buffer]) => [routeKey, buffer.size])).toEqual([[AWAITING_SHARD_MAP, 4]]);

    maps.current = TWO_SHARDS;
    const stale = table.takeStale(TWO_SHARDS);
    expect(stale).toEqual(records);
    table.place(stale, false);
    const placed = [...table].filter(([routeKey]) => routeKey !== AWAITING_SHARD_MAP).flatMap(([, buffer]) => buffer.records);
    expect(placed).toHaveLength(4);
    for (const [routeKey, buffer] of table) if (buffer.size > 0) expect(buffer.records.every((record) => TWO_SHARDS.shardFor(hashKeyOfRecord(record))?.shardId === routeKey)).toBe(true);
  });

  it('drops records that settled while buffered (past their TTL) when it moves or hands out records', () => {
    const maps = provider();
    const table = new RouteTable(maps as unknown as ShardMapProvider);
    const records = ['a', 'b', 'c'].map((key) => pendingRecord(key));
    for (const record of records) table.bufferFor(record).add(record);
    records[1]!.settled = true;
    maps.current = TWO_SHARDS;
    expect(table.takeStale(TWO_SHARDS)).toEqual([records[0], records[2]]);
    maps.current = undefined;
    for (const record of records) table.bufferFor(record).add(record);
    expect(table.takeHeld()).toEqual([records[0], records[2]]);
    table.place(records, false);
    expect([...table].flatMap(([, buffer]) => buffer.records)).toEqual([records[0], records[2]]);
  });

  it('routes a record in a gap of the map by its key, and asks for a refresh', () => {
    const maps = provider(GAPPED);
    const table = new RouteTable(maps as unknown as ShardMapProvider);
    const low = pendingRecord('low', 'x', { explicitHashKey: '5' });
    const high = pendingRecord('high', 'x', { explicitHashKey: MAX_HASH_KEY.toString() });
    expect(table.bufferFor(low).routeKey).toBe('shardId-0');
    expect(table.bufferFor(high).routeKey).toBe(`ehk:${MAX_HASH_KEY}`);
    expect(table.bufferFor(high).predictedShardId).toBeUndefined();
    expect(maps.refreshes).toBe(2);
  });

  it('takes every stale route, a gap route included, once the map covers it', () => {
    const maps = provider(GAPPED);
    const table = new RouteTable(maps as unknown as ShardMapProvider);
    const high = pendingRecord('high', 'x', { explicitHashKey: MAX_HASH_KEY.toString() });
    const low = pendingRecord('low', 'x', { explicitHashKey: '5' });
    table.bufferFor(high).add(high);
    table.bufferFor(low).add(low);
    maps.current = TWO_SHARDS;
    expect(table.takeStale(TWO_SHARDS)).toEqual([high]);
    expect(table.get('shardId-0')?.records).toEqual([low]);
  });

  it('places retried records ahead of newer ones, and keeps the later notBefore', () => {
    const table = new RouteTable(provider(TWO_SHARDS) as unknown as ShardMapProvider);
    const [older, newer] = [pendingRecord('same', 'older'), pendingRecord('same', 'newer')];
    const buffer = table.bufferFor(newer);
    buffer.add(newer);
    buffer.notBefore = 50;
    table.place([older], true, 20);
    expect(buffer.records).toEqual([older, newer]);
    expect(buffer.notBefore).toBe(50);
    table.place([], true, 80);
    table.place([pendingRecord('same', 'third')], false, 80);
    expect(buffer.notBefore).toBe(80);
  });
});
