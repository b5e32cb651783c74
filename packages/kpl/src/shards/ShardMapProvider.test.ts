import type { ShardMap } from '@kinesis-toolkit/aggregation';
import { AwsRequestError, ManualClock, RetryPolicy, type KinesisToolkitError, type Logger } from '@kinesis-toolkit/core';
import { ShardMapProvider, type RefreshReason } from './ShardMapProvider';
import { FakeKinesisClient, networkError, sdkError } from '../../test/FakeKinesisClient';

function setup(options: { shardCount?: number; pageSize?: number; random?: () => number } = {}) {
  const clock = new ManualClock();
  const fake = new FakeKinesisClient({ clock, shardCount: options.shardCount ?? 2, listShardsPageSize: options.pageSize });
  const logs: { level: string; message: string; context: Record<string, unknown> }[] = [];
  const record = (level: string) => (context: Record<string, unknown>, message: string) => logs.push({ level, message, context });
  const logger: Logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), child: () => logger };
  const changes: Array<[ShardMap, RefreshReason]> = [];
  const fatal: KinesisToolkitError[] = [];
  // Jitter 0.5: retry n waits half its ceiling (100 ms × 2^(n−1), at most 5 s).
  const backoff = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 5000, maxAttempts: Infinity }, { clock, random: options.random ?? (() => 0.5) });
  const provider = new ShardMapProvider({
    client: fake.asClient(),
    stream: { streamName: 's', streamARN: undefined },
    clock,
    logger,
    requestTimeoutMs: 1000,
    backoff,
    onChange: (map, reason) => changes.push([map, reason]),
    onFatal: (error) => fatal.push(error),
  });
  const warnings = () => logs.filter((log) => log.level === 'warn' || log.level === 'error');
  return { clock, fake, provider, logs, warnings, changes, fatal };
}

describe('ShardMapProvider', () => {
  it('lists every page of open shards into a map, naming the stream only on the first page', async () => {
    const { fake, provider, changes } = setup({ shardCount: 5, pageSize: 2 });
    const map = await provider.refresh('start');
    expect(map?.shards.map((shard) => shard.shardId)).toEqual(fake.openShards().map((shard) => shard.shardId));
    expect(provider.current).toBe(map);
    expect(fake.listShardsRequests).toEqual([{ StreamName: 's', ShardFilter: { Type: 'AT_LATEST' } }, { NextToken: '2' }, { NextToken: '4' }]);
    expect(changes.map(([, reason]) => reason)).toEqual(['start']);
  });

  it('leaves closed shards out after a split', async () => {
    const { fake, provider } = setup({ shardCount: 1 });
    fake.split('shardId-000000000000');
    const map = await provider.refresh('start');
    expect(map?.shards.map((shard) => shard.shardId)).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('tells the range of a shard that closed before any listing of the open shards saw it, from one listing of every shard', async () => {
    const { fake, provider } = setup({ shardCount: 1 });
    await provider.refresh('start');
    const [, upper] = fake.split('shardId-000000000000');
    fake.merge(upper!.shardId, 'shardId-000000000001');
    await provider.refresh('interval');
    const requests = fake.listShardsRequests.length;
    // Concurrent lookups share one listing; an open shard of the map needs none.
    const [closed, again] = await Promise.all([provider.shardRange(upper!.shardId), provider.shardRange(upper!.shardId)]);
    expect(closed).toEqual({ shardId: upper!.shardId, startingHashKey: upper!.startingHashKey, endingHashKey: upper!.endingHashKey });
    expect(again).toEqual(closed);
    expect(fake.listShardsRequests.slice(requests)).toEqual([{ StreamName: 's' }]);
    expect((await provider.shardRange('shardId-000000000001'))?.shardId).toBe('shardId-000000000001');
    expect(fake.listShardsRequests).toHaveLength(requests + 1);
  });

  it('answers undefined for a shard range when the listing of every shard fails, and lists again on the next lookup', async () => {
    const { fake, provider, warnings } = setup({ shardCount: 1 });
    await provider.refresh('start');
    fake.listShardsScript.push(networkError());
    expect(await provider.shardRange('shardId-000000000009')).toBeUndefined();
    expect(warnings().map((log) => log.message)).toEqual(['ListShards of every shard failed']);
    const [, upper] = fake.split('shardId-000000000000');
    expect((await provider.shardRange(upper!.shardId))?.shardId).toBe(upper!.shardId);
  });

  it('shares one request between concurrent refreshes', async () => {
    const { fake, provider } = setup();
    const [a, b] = await Promise.all([provider.refresh('start'), provider.refresh('interval')]);
    expect(a).toBe(b);
    expect(fake.listShardsRequests).toHaveLength(1);
  });

  it('retries a first ListShards that failed (a connection reset) after a sub-second backoff, not at the next interval', async () => {
    const { clock, fake, provider, changes, warnings } = setup();
    fake.listShardsScript.push(networkError('ECONNRESET'), networkError('ECONNRESET'));
    await expect(provider.refresh('start')).resolves.toBeUndefined();
    expect(provider.pending).toBe(true);
    expect(provider.lastError).toMatchObject({ code: 'ECONNRESET', retryable: true });
    await clock.advance(49); // first retry: half of 100 ms
    expect(fake.listShardsRequests).toHaveLength(1);
    await clock.advance(1);
    expect(fake.listShardsRequests).toHaveLength(2);
    await clock.advance(99); // second retry: half of 200 ms
    expect(fake.listShardsRequests).toHaveLength(2);
    await clock.advance(1);
    expect(fake.listShardsRequests).toHaveLength(3);
    expect(provider.current?.size).toBe(2);
    expect(provider.lastError).toBeUndefined();
    expect(changes.map(([, reason]) => reason)).toEqual(['start']);
    expect(warnings().map((log) => [log.message, log.context.delayMs])).toEqual([
      ['ListShards failed (ECONNRESET); retrying', 50],
      ['ListShards failed (ECONNRESET); retrying', 100],
    ]);
  });

  it('keeps the previous map while a failed refresh is retried with backoff', async () => {
    const { clock, fake, provider, warnings, changes } = setup();
    const first = await provider.refresh('start');
    fake.listShardsScript.push(sdkError('LimitExceededException'));
    await expect(provider.refresh('interval')).resolves.toBe(first);
    expect(provider.current).toBe(first);
    expect(warnings()).toHaveLength(1);
    // A refresh asked for during the backoff keeps it: no extra ListShards.
    await expect(provider.refresh('wrongShard')).resolves.toBe(first);
    expect(fake.listShardsRequests).toHaveLength(2);
    await clock.advance(50);
    expect(fake.listShardsRequests).toHaveLength(3);
    expect(changes.map(([, reason]) => reason)).toEqual(['start', 'interval']);
  });

  it('gives up on a ListShards not answered within the request timeout, and tries again', async () => {
    const { clock, fake, provider, warnings } = setup();
    fake.listShardsScript.push('hang');
    const refreshed = provider.refresh('start');
    await clock.advance(999);
    expect(fake.listShardsRequests).toHaveLength(1);
    await clock.advance(1);
    await expect(refreshed).resolves.toBeUndefined();
    expect(provider.lastError).toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await clock.advance(50);
    expect(fake.listShardsRequests).toHaveLength(2);
    expect(provider.current?.size).toBe(2);
    expect(warnings()).toHaveLength(1);
  });

  it.each([
    ['ResourceNotFoundException', sdkError('ResourceNotFoundException', 'Stream s under account 1 not found.')],
    ['AccessDeniedException', sdkError('AccessDeniedException', 'not authorized to perform: kinesis:ListShards')],
  ])('reports a fatal %s to onFatal at once as an AwsRequestError and does not retry it by itself', async (code, error) => {
    const { clock, fake, provider, fatal, logs } = setup();
    fake.listShardsScript.push(error);
    await expect(provider.refresh('start')).resolves.toBeUndefined();
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toBeInstanceOf(AwsRequestError);
    expect(fatal[0]).toMatchObject({ code, retryable: false, operation: 'ListShards' });
    expect(logs.filter((log) => log.level === 'error').map((log) => log.context.code)).toEqual([code]);
    expect(provider.pending).toBe(false);
    await clock.advance(60_000);
    expect(fake.listShardsRequests).toHaveLength(1);
  });

  it('lists again after a fatal failure only when asked, and no sooner than the backoff', async () => {
    const { clock, fake, provider } = setup();
    fake.listShardsScript.push(sdkError('ResourceNotFoundException'));
    await provider.refresh('start');
    const again = provider.refresh('start'); // within 50 ms of the failure: deferred
    expect(provider.pending).toBe(true);
    await clock.advance(49);
    expect(fake.listShardsRequests).toHaveLength(1);
    await clock.advance(1);
    await expect(again).resolves.toBeDefined();
    expect(fake.listShardsRequests).toHaveLength(2);
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

  // Regression test (fixed); the bug was: stop() aborts the listing under way, which then counted as a failed
  // refresh and logged "shard map refresh failed" after a producer had closed normally.
  it('stop() during a listing logs nothing, reports nothing, retries nothing and leaves no timers', async () => {
    const { clock, fake, provider, warnings, fatal } = setup();
    fake.listShardsScript.push('hang');
    const refreshed = provider.refresh('start');
    provider.stop();
    await expect(refreshed).resolves.toBeUndefined();
    await clock.advance(10_000);
    expect(warnings()).toEqual([]);
    expect(fatal).toEqual([]);
    expect(fake.listShardsRequests).toHaveLength(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('stop() settles a deferred refresh and cancels a scheduled retry', async () => {
    const { clock, fake, provider } = setup();
    const map = await provider.refresh('start');
    const deferred = provider.refresh('wrongShard');
    provider.stop();
    await expect(deferred).resolves.toBe(map);
    expect(clock.pendingTimers).toBe(0);

    const other = setup();
    other.fake.listShardsScript.push(networkError());
    await other.provider.refresh('start');
    expect(other.clock.pendingTimers).toBe(1);
    other.provider.stop();
    expect(other.clock.pendingTimers).toBe(0);
    await other.clock.advance(10_000);
    expect(other.fake.listShardsRequests).toHaveLength(1);
    expect(fake.listShardsRequests).toHaveLength(1);
  });
});
