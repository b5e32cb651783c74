import { MergeShardsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import {
  FaultProxy,
  ShardLimitProxy,
  createKinesisClient,
  createStream,
  getTestStack,
  uniqueName,
  waitFor,
  type TestStack,
} from '@kinesis-toolkit/testing';
import { KinesisProducer } from './KinesisProducer';
import { PutFailedError } from './errors/PutFailedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import type { PutResult } from './PutResult';
import { readStream, type StreamContents } from '../test/readStream';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const body = (i: number, size = 200) => Buffer.from(`${String(i).padStart(8, '0')}:${'y'.repeat(size - 9)}`);
const idOf = (data: Buffer) => Number(data.toString().slice(0, 8));

/** Every acknowledged put is in the stream, in range, exactly where its result says. */
function expectAcknowledgedRecordsStored(results: Map<number, PutResult>, stored: StreamContents): void {
  const at = new Map(stored.records.map((r) => [`${r.shardId}/${r.sequenceNumber}/${r.subSequenceNumber}`, r]));
  for (const [id, result] of results) {
    const record = at.get(`${result.shardId}/${result.sequenceNumber}/${result.subSequenceNumber}`);
    expect(record && idOf(record.data)).toBe(id);
  }
}

async function settleAll(puts: Promise<PutResult>[]): Promise<{ ok: Map<number, PutResult>; failed: Map<number, Error> }> {
  const outcomes = await Promise.allSettled(puts);
  const ok = new Map<number, PutResult>();
  const failed = new Map<number, Error>();
  outcomes.forEach((outcome, i) => (outcome.status === 'fulfilled' ? ok.set(i, outcome.value) : failed.set(i, outcome.reason as Error)));
  return { ok, failed };
}

describe('KinesisProducer under throttling (ShardLimitProxy, real clock)', () => {
  let proxy: ShardLimitProxy;
  let kinesis: KinesisClient;
  beforeAll(async () => {
    // scale 0.05: 50 records/s and ~52 KB/s per shard, so a few hundred KB hit the limits.
    proxy = await ShardLimitProxy.start({ target: stack.kinesis.endpoint, scale: 0.05 });
    kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
  });
  afterAll(async () => {
    kinesis.destroy();
    await proxy.stop();
  });

  it('retries throttled records until every put is acknowledged, none lost', async () => {
    const streamName = uniqueName('kpl-throttle');
    await createStream(kinesis, streamName, 2);
    // Twice the shard limit: the producer's own limiter lets through more than the proxy takes.
    const producer = new KinesisProducer({ streamName, kinesisClient: kinesis, rateLimitPercent: 200, retry: { baseDelayMs: 50, maxDelayMs: 400 } });
    const puts = Array.from({ length: 600 }, (_, i) => producer.put({ partitionKey: `key-${i}`, data: body(i, 300) }));
    const { ok, failed } = await settleAll(puts);
    await producer.close();

    expect(failed.size).toBe(0);
    const throttledAttempts = [...ok.values()].flatMap((r) => r.attempts).filter((a) => a.errorCode === 'ProvisionedThroughputExceededException');
    expect(throttledAttempts.length).toBeGreaterThan(0);
    expect(proxy.stats.streams[streamName]).toBeDefined();
    const stored = await readStream(stack.kinesis.client, streamName);
    expect(new Set(stored.records.map((r) => idOf(r.data))).size).toBe(600);
    expectAcknowledgedRecordsStored(ok, stored);
  }, 60_000);

  it('with failIfThrottled, throttled records fail at once with a typed error and only acknowledged ones are stored', async () => {
    const streamName = uniqueName('kpl-failthrottle');
    await createStream(kinesis, streamName, 1);
    const producer = new KinesisProducer({ streamName, kinesisClient: kinesis, rateLimitPercent: 1000, failIfThrottled: true, aggregationEnabled: false });
    const puts = Array.from({ length: 200 }, (_, i) => producer.put({ partitionKey: `k${i}`, data: body(i, 50) }));
    const { ok, failed } = await settleAll(puts);
    await producer.close();

    expect(ok.size + failed.size).toBe(200);
    expect(failed.size).toBeGreaterThan(0);
    for (const error of failed.values()) {
      expect(error).toBeInstanceOf(PutFailedError);
      expect((error as PutFailedError).errorCode).toBe('ProvisionedThroughputExceededException');
      expect((error as PutFailedError).attempts).toHaveLength(1);
    }
    const stored = await readStream(stack.kinesis.client, streamName);
    expect(stored.records.map((r) => idOf(r.data)).sort((a, b) => a - b)).toEqual([...ok.keys()]);
  });
});

describe('KinesisProducer through network faults (FaultProxy)', () => {
  it('loses nothing when connections reset and requests are slow', async () => {
    const target = new URL(stack.kinesis.endpoint);
    // Deterministic faults: every 7th draw is under the reset rate.
    let draws = 0;
    const random = () => (++draws % 7 === 0 ? 0 : 0.99);
    const proxy = await FaultProxy.start({ target: { host: target.hostname, port: Number(target.port) }, random });
    const kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
    const streamName = uniqueName('kpl-faults');
    await createStream(stack.kinesis.client, streamName, 2);
    proxy.setLatency({ upstreamMs: 20, downstreamMs: 20 });
    proxy.setResetRate(0.15);
    const producer = new KinesisProducer({
      streamName,
      kinesisClient: kinesis,
      recordMaxBufferedTimeMs: 20,
      collectionMaxCount: 20,
      aggregationMaxBytes: 4096,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
    });
    // Put in waves, each flushed, so that many requests cross the proxy and meet its resets.
    const puts: Promise<PutResult>[] = [];
    for (let wave = 0; wave < 10; wave++) {
      for (let i = wave * 150; i < (wave + 1) * 150; i++) puts.push(producer.put({ partitionKey: `key-${i % 101}`, data: body(i, 100) }));
      await producer.flush();
    }
    const { ok, failed } = await settleAll(puts);
    await producer.close();
    kinesis.destroy();
    const { resets } = proxy.stats;
    await proxy.stop();

    expect(failed.size).toBe(0);
    expect(resets).toBeGreaterThan(0);
    // Every reset either hit a PutRecords (its records show a failed attempt) or a ListShards.
    const retried = [...ok.values()].filter((r) => r.attempts.length > 1);
    for (const result of retried) expect(result.attempts[0]!.errorCode).toBeDefined();
    const stored = await readStream(stack.kinesis.client, streamName);
    // A reset after Kinesis wrote a batch makes the retry a duplicate (at least once), never a loss.
    expect(new Set(stored.records.map((r) => idOf(r.data))).size).toBe(1500);
    expectAcknowledgedRecordsStored(ok, stored);
  }, 60_000);

  it('expires records it cannot deliver within the TTL, with every attempt reported', async () => {
    const target = new URL(stack.kinesis.endpoint);
    const proxy = await FaultProxy.start({ target: { host: target.hostname, port: Number(target.port) } });
    const kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
    const streamName = uniqueName('kpl-blackhole');
    await createStream(stack.kinesis.client, streamName, 1);
    const producer = new KinesisProducer({ streamName, kinesisClient: kinesis, requestTimeoutMs: 200, recordTtlMs: 1000, retry: { baseDelayMs: 20, maxDelayMs: 50 } });
    // The shard map first (records are held until there is one), then nothing gets through.
    await waitFor(() => producer.shardMap !== undefined, { timeoutMs: 5000, description: 'the first shard map' });
    proxy.setBlackhole(true);
    const results = await Promise.allSettled([producer.put({ partitionKey: 'a', data: Buffer.from('x') }), producer.put({ partitionKey: 'b', data: Buffer.from('y') })]);
    await producer.close();
    kinesis.destroy();
    await proxy.stop();
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as RecordExpiredError;
      expect(error).toBeInstanceOf(RecordExpiredError);
      expect(error.attempts.length).toBeGreaterThanOrEqual(2);
      expect(error.attempts.every((a) => a.errorCode === 'DEADLINE_EXCEEDED')).toBe(true);
    }
  }, 30_000);
});

describe('KinesisProducer start-up through a reset (FaultProxy)', () => {
  // Regression test (fixed); the bug was: when the first ListShards failed, the producer listed the shards
  // again only after shardMapRefreshIntervalMs (60 s) and meanwhile sent records aggregated per
  // partition key only, unmetered: about one user record per Kinesis record with distinct keys.
  it('retries a first ListShards whose connection was reset, and aggregates as well as if nothing had happened', async () => {
    const target = new URL(stack.kinesis.endpoint);
    // Exactly one reset: the first chunk through the proxy (the first ListShards request), none after.
    let draws = 0;
    const proxy = await FaultProxy.start({ target: { host: target.hostname, port: Number(target.port) }, random: () => (draws++ === 0 ? 0 : 0.99) });
    proxy.setResetRate(0.5, 'upstream');
    const kinesis = createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
    const streamName = uniqueName('kpl-startreset');
    await createStream(stack.kinesis.client, streamName, 2);
    const producer = new KinesisProducer({ streamName, kinesisClient: kinesis });
    const puts = Array.from({ length: 2000 }, (_, i) => producer.put({ partitionKey: `user-${i}`, data: body(i, 100) }));
    const { ok, failed } = await settleAll(puts);
    await producer.close();
    kinesis.destroy();
    const { resets } = proxy.stats;
    await proxy.stop();

    expect(resets).toBe(1);
    expect(failed.size).toBe(0);
    const stored = await readStream(stack.kinesis.client, streamName);
    expect(stored.outOfRange).toEqual([]);
    expect(new Set(stored.records.map((r) => idOf(r.data))).size).toBe(2000);
    expectAcknowledgedRecordsStored(ok, stored);
    // 2,000 records of distinct keys on 2 shards: a few aggregates of up to 51,200 bytes per shard
    // (about 400 records each), where key-only aggregation made ~2,000 Kinesis records.
    const userRecordsPerKinesisRecord = stored.records.length / stored.kinesisRecords;
    expect(userRecordsPerKinesisRecord).toBeGreaterThan(100);
  }, 30_000);
});

describe('KinesisProducer while the stream reshards', () => {
  it('loses nothing across a split and a merge, and re-routes to the new shards', async () => {
    const kinesis = stack.kinesis.client;
    const streamName = uniqueName('kpl-reshard');
    await createStream(kinesis, streamName, 2);
    const producer = new KinesisProducer({ streamName, kinesisClient: kinesis, recordMaxBufferedTimeMs: 30, shardMapRefreshIntervalMs: 600_000 });
    const refreshes: string[] = [];
    producer.on('shardMapRefreshed', (event) => refreshes.push(`${event.reason}:${event.openShards}`));
    await waitFor(() => producer.shardMap !== undefined, { timeoutMs: 5000, description: 'first shard map' });

    const puts: Promise<PutResult>[] = [];
    let next = 0;
    const produce = async (count: number) => {
      for (let i = 0; i < count; i++, next++) puts.push(producer.put({ partitionKey: `key-${next % 211}`, data: body(next, 80) }));
      await producer.flush();
    };
    await produce(1000);
    // Split shard 0 at the middle of its range.
    const half = (1n << 127n).toString();
    await kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (BigInt(half) / 2n).toString() }));
    await waitFor(async () => (await readStream(kinesis, streamName)).shards.length === 4, { timeoutMs: 5000, description: 'split done' });
    await produce(1000);
    await waitFor(() => producer.shardMap?.size === 3, { timeoutMs: 5000, description: 'map refreshed after split' });
    await produce(500);
    await kinesis.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: 'shardId-000000000002', AdjacentShardToMerge: 'shardId-000000000003' }));
    await waitFor(async () => (await readStream(kinesis, streamName)).shards.length === 5, { timeoutMs: 5000, description: 'merge done' });
    await produce(1000);
    await waitFor(() => producer.shardMap?.size === 2, { timeoutMs: 5000, description: 'map refreshed after merge' });
    await produce(500);
    const { ok, failed } = await settleAll(puts);
    await producer.close();

    expect(failed.size).toBe(0);
    // Only wrong-shard results could have refreshed the map (the interval is 10 minutes): split, then merge.
    expect(refreshes).toEqual(['start:2', 'wrongShard:3', 'wrongShard:2']);
    const stored = await readStream(kinesis, streamName);
    expect(new Set(stored.records.map((r) => idOf(r.data))).size).toBe(next);
    expectAcknowledgedRecordsStored(ok, stored);
    // Sub-records an aggregate carried to a shard that does not own them were sent again.
    const storedInRange = new Set(stored.records.map((r) => idOf(r.data)));
    for (const misplaced of stored.outOfRange) expect(storedInRange.has(idOf(misplaced.data))).toBe(true);
    // After the last refresh, nothing lands outside its shard: records put last all sit in range.
    const lastBatch = [...ok.entries()].filter(([id]) => id >= next - 500);
    for (const [id, result] of lastBatch) {
      const shard = stored.shards.find((s) => s.ShardId === result.shardId)!;
      const key = hashKeyOf(`key-${id % 211}`);
      expect(key >= BigInt(shard.HashKeyRange!.StartingHashKey!) && key <= BigInt(shard.HashKeyRange!.EndingHashKey!)).toBe(true);
      expect(shard.SequenceNumberRange?.EndingSequenceNumber).toBeUndefined();
    }
  }, 60_000);
});
