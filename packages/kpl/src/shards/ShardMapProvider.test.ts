import { ManualClock } from '@kinesis-toolkit/testing';
import type { ShardMap } from '@kinesis-toolkit/aggregation';
import type { Logger } from '@kinesis-toolkit/core';
import { ShardMapProvider, type RefreshReason } from './ShardMapProvider';
import { FakeKinesisClient, sdkError } from '../../test/FakeKinesisClient';

function setup(options: { shardCount?: number; pageSize?: number } = {}) {
  const clock = new ManualClock();
  const fake = new FakeKinesisClient({ clock, shardCount: options.shardCount ?? 2, listShardsPageSize: options.pageSize });
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (_context, message: string) => warnings.push(message), error() {}, child: () => logger };
  const changes: Array<[ShardMap, RefreshReason]> = [];
  const provider = new ShardMapProvider(fake.asClient(), { streamName: 's', streamARN: undefined }, clock, logger, 1000, (map, reason) =>
    changes.push([map, reason]),
  );
  return { clock, fake, provider, warnings, changes };
}

describe('ShardMapProvider', () => {
  it('lists every page of open shards into a map', async () => {
    const { fake, provider, changes } = setup({ shardCount: 5, pageSize: 2 });
    const map = await provider.refresh('start');
    expect(map?.shards.map((shard) => shard.shardId)).toEqual(fake.openShards().map((shard) => shard.shardId));
    expect(provider.current).toBe(map);
    expect(fake.listShardsRequests).toHaveLength(3);
    expect(changes.map(([, reason]) => reason)).toEqual(['start']);
  });

  it('leaves closed shards out after a split', async () => {
    const { fake, provider } = setup({ shardCount: 1 });
    fake.split('shardId-000000000000');
    const map = await provider.refresh('start');
    expect(map?.shards.map((shard) => shard.shardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('shares one request between concurrent refreshes', async () => {
    const { fake, provider } = setup();
    const [a, b] = await Promise.all([provider.refresh('start'), provider.refresh('interval')]);
    expect(a).toBe(b);
    expect(fake.listShardsRequests).toHaveLength(1);
  });

  it('keeps the previous map and warns when a refresh fails', async () => {
    const { fake, provider, warnings, changes } = setup();
    const first = await provider.refresh('start');
    fake.listShardsScript.push(sdkError('LimitExceededException'));
    await expect(provider.refresh('interval')).resolves.toBe(first);
    expect(provider.current).toBe(first);
    expect(warnings).toHaveLength(1);
    expect(changes).toHaveLength(1);
  });

  it('gives up on a ListShards not answered within the request timeout', async () => {
    const { clock, fake, provider, warnings } = setup();
    fake.listShardsScript.push('hang');
    const refreshed = provider.refresh('start');
    await clock.advance(1000);
    await expect(refreshed).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('defers a wrong-shard refresh asked for soon after the last one, and answers a burst with one ListShards', async () => {
    const { clock, fake, provider, changes } = setup({ shardCount: 1 });
    await provider.refresh('start');
    fake.split('shardId-000000000000');
    await clock.advance(100);
    const burst = [provider.refresh('wrongShard'), provider.refresh('wrongShard'), provider.refresh('unknownShard')];
    await clock.advance(399);
    expect(fake.listShardsRequests).toHaveLength(1);
    await clock.advance(1);
    const maps = await Promise.all(burst);
    expect(fake.listShardsRequests).toHaveLength(2);
    expect(new Set(maps).size).toBe(1);
    expect(maps[0]?.size).toBe(2);
    expect(changes.map(([, reason]) => reason)).toEqual(['start', 'wrongShard']);
  });
});
