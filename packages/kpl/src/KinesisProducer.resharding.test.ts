import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import type { FakeKinesisClient, FakeShard } from '../test/FakeKinesisClient';
import { sdkError, shardIdOf } from '../test/FakeKinesisClient';
import { keysInRange, rec, startProducer, track, type Tracked } from '../test/producerHarness';
import type { PutResult } from './PutResult';

const PARENT = shardIdOf(0);
const LOW_CHILD = shardIdOf(1);
const HIGH_CHILD = shardIdOf(2);

/** Keys of the lower and upper halves of a shard's range (its children after a split). */
function halves(shard: FakeShard, count: number): { low: string[]; high: string[] } {
  const middle = (shard.startingHashKey + shard.endingHashKey) / 2n;
  return {
    low: keysInRange(shard.startingHashKey, middle, count, 'low'),
    high: keysInRange(middle + 1n, shard.endingHashKey, count, 'high'),
  };
}

/** Puts low/high records interleaved, a low one first (so the aggregate's EHK routes it to the low child). */
function putInterleaved(producer: { put: (r: ReturnType<typeof rec>) => Promise<PutResult> }, low: string[], high: string[]) {
  const puts: Array<{ key: string; put: Tracked<PutResult> }> = [];
  for (let i = 0; i < low.length; i++) {
    puts.push({ key: low[i]!, put: track(producer.put(rec(low[i]!))) });
    puts.push({ key: high[i]!, put: track(producer.put(rec(high[i]!))) });
  }
  return puts;
}

/** Every user record is readable, inside the range of the shard that holds it, exactly once. */
function expectEachReadableOnceInRange(fake: FakeKinesisClient, keys: string[]): void {
  const inRange = fake.userRecords().filter((record) => record.inRange);
  expect(inRange.map((record) => record.partitionKey).sort()).toEqual([...keys].sort());
}

function owns(fake: FakeKinesisClient, shardId: string, key: string): boolean {
  const shard = fake.shard(shardId);
  const hash = hashKeyOf(key);
  return hash >= shard.startingHashKey && hash <= shard.endingHashKey;
}

describe('KinesisProducer and resharding', () => {
  it('refreshes the map when an aggregate lands on another shard, and re-sends the sub-records that shard does not own', async () => {
    // A buffer time over the provider's 500 ms refresh spacing, so the wrong-shard refresh runs.
    const { clock, fake, producer, refreshes } = await startProducer({ recordMaxBufferedTimeMs: 1000 });
    const { low, high } = halves(fake.shard(PARENT), 4);
    fake.split(PARENT);
    const puts = putInterleaved(producer, low, high);
    await clock.advance(1000);
    await clock.advance(100);

    expect(refreshes.at(-1)).toMatchObject({ reason: 'wrongShard', openShards: 2 });
    expect(producer.shardMap?.shards.map((shard) => shard.shardId)).toEqual([LOW_CHILD, HIGH_CHILD]);
    for (const { key, put } of puts) {
      expect(put.error).toBeUndefined();
      const result = put.value!;
      if (low.includes(key)) {
        expect(result.shardId).toBe(LOW_CHILD);
        expect(result.attempts).toHaveLength(1);
      } else {
        expect(result.shardId).toBe(HIGH_CHILD);
        expect(result.attempts.map((attempt) => attempt.errorCode)).toEqual(['WrongShard', undefined]);
      }
    }
    expectEachReadableOnceInRange(fake, [...low, ...high]);
  });

  // A wrong-shard refresh asked for within ShardMapProvider's 500 ms spacing must be deferred,
  // not answered with the stale map (in which the actual shard is missing and every sub-record
  // would be resolved as acknowledged).
  it('re-sends misplaced sub-records even when the wrong shard shows up soon after the last refresh', async () => {
    const { clock, fake, producer, refreshes } = await startProducer({ recordMaxBufferedTimeMs: 100 });
    const { low, high } = halves(fake.shard(PARENT), 4);
    fake.split(PARENT);
    const puts = putInterleaved(producer, low, high);
    await clock.advance(2000);

    expect(puts.every(({ put }) => put.settled)).toBe(true);
    for (const { key, put } of puts) expect({ key, owned: owns(fake, put.value!.shardId, key) }).toEqual({ key, owned: true });
    expectEachReadableOnceInRange(fake, [...low, ...high]);
    expect(refreshes.some((event) => event.reason === 'wrongShard')).toBe(true);
  });

  // Regression test (fixed); the bug was: when the wrong-shard refresh fails, Dispatcher#succeedOutgoing gets the stale
  // map, finds no shard with the actual ShardId in it (`actual === undefined`), and resolves every
  // sub-record as acknowledged on a shard that does not own it — records a KCL consumer drops.
  it('does not report misplaced sub-records as acknowledged when the refresh fails', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 1000 });
    const { low, high } = halves(fake.shard(PARENT), 3);
    fake.split(PARENT);
    fake.listShardsScript.push(sdkError('LimitExceededException', 'Rate exceeded'));
    const puts = putInterleaved(producer, low, high);
    await clock.advance(5000);

    for (const { key, put } of puts) {
      if (put.value !== undefined) expect({ key, owned: owns(fake, put.value.shardId, key) }).toEqual({ key, owned: true });
    }
  });

  it('sends a single (non-aggregated) record that landed elsewhere as acknowledged, and refreshes the map', async () => {
    const { clock, fake, producer, refreshes } = await startProducer({ aggregationEnabled: false, recordMaxBufferedTimeMs: 1000 });
    const { high } = halves(fake.shard(PARENT), 1);
    fake.split(PARENT);
    const put = track(producer.put(rec(high[0]!)));
    await clock.advance(1100);
    expect(put.value).toMatchObject({ shardId: HIGH_CHILD, attempts: [{ startedAt: 1000, durationMs: 0 }] });
    expect(refreshes.at(-1)).toMatchObject({ reason: 'wrongShard', openShards: 2 });
  });

  it('re-routes records buffered for a shard that closed when the periodic refresh sees the split', async () => {
    const { clock, fake, producer, refreshes } = await startProducer({ recordMaxBufferedTimeMs: 5000, shardMapRefreshIntervalMs: 1000 });
    const { low, high } = halves(fake.shard(PARENT), 3);
    const puts = putInterleaved(producer, low, high);
    await clock.advance(10);
    fake.split(PARENT);
    await clock.advance(1000);
    expect(refreshes.at(-1)).toEqual({ reason: 'interval', openShards: 2, reroutedRecords: 6 });

    await clock.advance(4000);
    for (const { key, put } of puts) {
      expect(put.value?.shardId).toBe(low.includes(key) ? LOW_CHILD : HIGH_CHILD);
      expect(put.value?.attempts).toHaveLength(1);
    }
    expect(fake.userRecords().every((record) => record.inRange)).toBe(true);
  });

  it('re-routes records still buffered for the old shard when a wrong-shard result refreshes the map', async () => {
    const { clock, fake, producer, refreshes } = await startProducer({ recordMaxBufferedTimeMs: 1000 });
    const { low, high } = halves(fake.shard(PARENT), 4);
    fake.split(PARENT);
    fake.putRecordsScript.push('hold');
    const early = putInterleaved(producer, low.slice(0, 2), high.slice(0, 2));
    await clock.advance(1000);
    expect(fake.held).toHaveLength(1);
    // Put while the first aggregate is in flight: buffered for the parent until 2000.
    const late = putInterleaved(producer, low.slice(2), high.slice(2));
    fake.held[0]!.answer();
    await clock.advance(0);
    expect(refreshes.at(-1)).toMatchObject({ reason: 'wrongShard', reroutedRecords: 4 });

    await clock.advance(1000);
    for (const { put } of late) expect(put.value?.attempts).toHaveLength(1);
    expect([...early, ...late].every(({ put }) => put.settled && put.error === undefined)).toBe(true);
    expectEachReadableOnceInRange(fake, [...low, ...high]);
  });

  it('lists the shards again every shardMapRefreshIntervalMs, reading every page', async () => {
    const { clock, fake, producer } = await startProducer({ shardMapRefreshIntervalMs: 1000, fake: { shardCount: 5, listShardsPageSize: 2 } });
    expect(producer.shardMap?.size).toBe(5);
    const pagesPerListing = 3;
    expect(fake.listShardsRequests).toHaveLength(pagesPerListing);
    expect(fake.listShardsRequests[0]).toMatchObject({ StreamName: 'test-stream', ShardFilter: { Type: 'AT_LATEST' } });
    expect(fake.listShardsRequests[1]).toEqual({ NextToken: '2' });
    await clock.advance(3000);
    expect(fake.listShardsRequests).toHaveLength(4 * pagesPerListing);
  });

  it('keeps the previous map when a refresh fails', async () => {
    const { clock, fake, producer } = await startProducer({ shardMapRefreshIntervalMs: 1000, fake: { shardCount: 2 } });
    const before = producer.shardMap;
    fake.listShardsScript.push(sdkError('LimitExceededException'));
    await clock.advance(1000);
    expect(fake.listShardsRequests).toHaveLength(2);
    expect(producer.shardMap).toBe(before);
  });
});
