import { shardIdOf, type FakeEntry } from '../test/FakeKinesisClient';
import { keysForShard, rec, startProducer, track } from '../test/producerHarness';

const THROTTLED = { errorCode: 'ProvisionedThroughputExceededException' };

/** Throttles the first attempt of every entry that carries one of `data`. */
function throttleFirstAttemptOf(...data: string[]) {
  const seen = new Set<string>();
  return (entry: FakeEntry) => {
    const hit = entry.userRecords.map((user) => user.data.toString()).find((value) => data.includes(value) && !seen.has(value));
    if (hit === undefined) return undefined;
    seen.add(hit);
    return THROTTLED;
  };
}

describe('KinesisProducer ordering', () => {
  it('without preserveOrder, a retried record lands after records sent meanwhile (the documented default)', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, fake: { latencyMs: 5 } });
    fake.onEntry = throttleFirstAttemptOf('d1');
    const puts = Array.from({ length: 6 }, (_, i) => producer.put(rec('k', `d${i}`)));
    await clock.advance(1000);
    await Promise.all(puts);
    expect(fake.userRecords().map((record) => record.data)).toEqual(['d0', 'd2', 'd3', 'd4', 'd5', 'd1']);
  });

  it('with preserveOrder, records of a key reach the stream in put() order across retries (single records)', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, preserveOrder: true, fake: { latencyMs: 5 } });
    fake.onEntry = throttleFirstAttemptOf('d1', 'd4');
    const puts = Array.from({ length: 6 }, (_, i) => track(producer.put(rec('k', `d${i}`))));
    await clock.advance(2000);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
    expect(fake.userRecords().map((record) => record.data)).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
    expect(fake.maxInFlightPerKey).toBe(1);
  });

  it('with preserveOrder, keeps one Kinesis record per key in flight and order per key, across shards', async () => {
    const { clock, fake, producer } = await startProducer({
      aggregationEnabled: false,
      preserveOrder: true,
      fake: { shardCount: 2, latencyMs: 3 },
    });
    const [a] = keysForShard(fake, shardIdOf(0), 1, 'a');
    const [b] = keysForShard(fake, shardIdOf(1), 1, 'b');
    fake.onEntry = throttleFirstAttemptOf('a2', 'b0', 'b3');
    const puts = [];
    for (let i = 0; i < 5; i++) {
      puts.push(producer.put(rec(a!, `a${i}`)), producer.put(rec(b!, `b${i}`)));
      await clock.advance(7);
    }
    await clock.advance(2000);
    await Promise.all(puts);
    expect(fake.userRecords(shardIdOf(0)).map((record) => record.data)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(fake.userRecords(shardIdOf(1)).map((record) => record.data)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    expect(fake.maxInFlightPerKey).toBe(1);
    // Both shards still share PutRecords requests.
    expect(fake.putRequests.some((request) => new Set(request.entries.map((entry) => entry.shardId)).size === 2)).toBe(true);
  });

  it('with preserveOrder and aggregation, keeps put() order while aggregates are throttled', async () => {
    const { clock, fake, producer } = await startProducer({ preserveOrder: true, fake: { latencyMs: 20 } });
    fake.onEntry = throttleFirstAttemptOf('d0', 'd7');
    const puts = [];
    for (let i = 0; i < 12; i++) {
      puts.push(producer.put(rec(`key-${i % 3}`, `d${i}`)));
      await clock.advance(15);
    }
    await clock.advance(3000);
    await Promise.all(puts);
    const stored = fake.userRecords().map((record) => record.data);
    expect(stored).toEqual(Array.from({ length: 12 }, (_, i) => `d${i}`));
    expect(fake.maxInFlightPerKey).toBe(1);
  });

  it('with preserveOrder, keys of one shard each have a record in flight at once (one per key, not one per shard)', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, preserveOrder: true, fake: { latencyMs: 50 } });
    const puts = [];
    for (let i = 0; i < 4; i++) {
      puts.push(producer.put(rec('one', `one${i}`)), producer.put(rec('two', `two${i}`)));
      await clock.advance(10);
    }
    await clock.advance(3000);
    await Promise.all(puts);
    const stored = fake.userRecords().map((record) => record.data);
    expect(stored.filter((data) => data.startsWith('one'))).toEqual(['one0', 'one1', 'one2', 'one3']);
    expect(stored.filter((data) => data.startsWith('two'))).toEqual(['two0', 'two1', 'two2', 'two3']);
    expect(fake.maxInFlightPerKey).toBe(1);
    expect(fake.maxInFlightPerShard).toBe(2);
  });

  // Records held before the first shard map leave in put() order once it arrives, one in flight at a time
  // (before: they were sent under partition-key routes while the map was on its way, and a newer
  // record could overtake an older one being retried).
  it('with preserveOrder, keeps put() order for records held until the shard map arrives, across a retry', async () => {
    let answerListShards!: () => void;
    const { clock, fake, producer } = await startProducer({
      aggregationEnabled: false,
      preserveOrder: true,
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(new Promise((resolve) => (answerListShards = resolve))),
    });
    fake.onEntry = throttleFirstAttemptOf('first');
    const first = track(producer.put(rec('k', 'first')));
    await clock.advance(100);
    const second = track(producer.put(rec('k', 'second')));
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(0); // held: no map yet
    answerListShards();
    await clock.advance(0);
    // One in flight per shard: the first alone.
    expect(fake.putRequests.map((request) => request.entries.map((entry) => entry.data.toString()))).toEqual([['first']]);
    await clock.advance(1000);
    expect(first.settled && second.settled).toBe(true);
    expect(first.value?.attempts).toHaveLength(2);
    expect(fake.userRecords().map((record) => record.data)).toEqual(['first', 'second']);
  });
});
