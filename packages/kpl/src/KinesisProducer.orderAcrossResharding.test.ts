import { seededRandom } from '../../../scripts/bench-harness';
import { shardIdOf, type FakeEntry, type FakeShard } from '../test/FakeKinesisClient';
import { checkKeyOrder, keyedData } from '../test/keyOrder';
import { keysForShard, keysInRange, rec, startProducer, track, type Harness, type HarnessOptions, type Tracked } from '../test/producerHarness';
import type { PutResult } from './PutResult';

const THROTTLED = { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard' };
const INTERNAL = { errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' };

/** Keys whose hash keys lie in the lower and the upper half of a shard's range (its children after a split). */
function keysOfHalves(shard: FakeShard, perHalf: number): string[] {
  const middle = (shard.startingHashKey + shard.endingHashKey) / 2n;
  const low = keysInRange(shard.startingHashKey, middle, perHalf, 'low');
  const high = keysInRange(middle + 1n, shard.endingHashKey, perHalf, 'high');
  // Interleaved, so aggregates mix both halves (an aggregate routes by its first record).
  return low.flatMap((key, i) => [key, high[i]!]);
}

/**
 * Puts one record per key every `everyMs` for `rounds` rounds (data `key#n`), calling `onRound`
 * before each round, then lets everything settle.
 */
async function produce(harness: Harness, keys: readonly string[], rounds: number, everyMs: number, onRound: (round: number) => void = () => undefined) {
  const puts: Tracked<PutResult>[] = [];
  for (let round = 0; round < rounds; round++) {
    onRound(round);
    for (const key of keys) puts.push(track(harness.producer.put(rec(key, keyedData(key, round)))));
    await harness.clock.advance(everyMs);
  }
  for (let waited = 0; waited < 60_000 && !puts.every((put) => put.settled); waited += 100) await harness.clock.advance(100);
  return puts;
}

/** Every put succeeded, and a reader following the lineage sees each key's records once, in put() order. */
function expectOrderedAndComplete(harness: Harness, keys: readonly string[], rounds: number, puts: readonly Tracked<PutResult>[]): void {
  expect(puts.filter((put) => !put.settled || put.error !== undefined).map((put) => put.error?.message ?? 'unsettled')).toEqual([]);
  const report = checkKeyOrder(harness.fake.readAlongLineage(), new Map(keys.map((key) => [key, rounds])));
  expect({ inversions: report.inversions.slice(0, 5), missing: report.missing.slice(0, 5), duplicates: report.duplicates }).toEqual({
    inversions: [],
    missing: [],
    duplicates: 0,
  });
}

/** Fails the first attempt of each record whose request arrives while `active()` holds. */
function failFirstAttemptWhile(active: () => boolean, behaviour: { errorCode: string; errorMessage?: string }) {
  const failed = new Set<string>();
  return (entry: FakeEntry) => {
    if (!active()) return undefined;
    const fresh = entry.userRecords.map((user) => user.data.toString()).filter((data) => !failed.has(data));
    if (fresh.length === 0) return undefined;
    for (const data of fresh) failed.add(data);
    return behaviour;
  };
}

const ORDERED: HarnessOptions = { preserveOrder: true, recordMaxBufferedTimeMs: 20, shardMapRefreshIntervalMs: 1000, fake: { latencyMs: 10 } };

describe('KinesisProducer with preserveOrder across resharding', () => {
  it('retry: records that fail transiently around a split are sent again before any later record of their keys', async () => {
    // Answers slower than the buffer time: later records are buffered and sent while earlier ones are still out.
    const harness = await startProducer({ ...ORDERED, aggregationEnabled: false, fake: { latencyMs: 40 } });
    const { fake } = harness;
    const random = seededRandom(3);
    const keys = keysOfHalves(fake.shard(shardIdOf(0)), 2);
    fake.onEntry = () => (random() < 0.2 ? INTERNAL : undefined);
    const puts = await produce(harness, keys, 300, 5, (round) => {
      if (round === 100) fake.split(shardIdOf(0));
    });
    expectOrderedAndComplete(harness, keys, 300, puts);
  });

  it('throttle: records waiting on the rate limiter or throttled when the map changes stay ahead of later ones', async () => {
    // 5% of a shard's limits: 50 records/s, so the limiter holds records back.
    const harness = await startProducer({ ...ORDERED, aggregationEnabled: false, rateLimitPercent: 5 });
    const { clock, fake } = harness;
    const keys = keysOfHalves(fake.shard(shardIdOf(0)), 2);
    fake.onEntry = failFirstAttemptWhile(() => clock.now() >= 900 && clock.now() <= 1100, THROTTLED);
    const puts = await produce(harness, keys, 120, 10, (round) => {
      if (round === 60) fake.split(shardIdOf(0));
    });
    expectOrderedAndComplete(harness, keys, 120, puts);
  });

  it('wrong shard: sub-records re-sent after their aggregate landed on a shard that does not own them go before later records of their keys', async () => {
    const harness = await startProducer({ ...ORDERED, shardMapRefreshIntervalMs: 60_000 });
    const { fake } = harness;
    const keys = keysOfHalves(fake.shard(shardIdOf(0)), 3);
    // Split before anything is sent: the producer learns of it only from where its aggregates land.
    fake.split(shardIdOf(0));
    const puts = await produce(harness, keys, 200, 5);
    expectOrderedAndComplete(harness, keys, 200, puts);
  });

  it('refresh: records buffered or in flight for a shard that closed go before later records of their keys', async () => {
    const harness = await startProducer({ ...ORDERED, recordMaxBufferedTimeMs: 50, fake: { latencyMs: 0 } });
    const { fake } = harness;
    const keys = keysOfHalves(fake.shard(shardIdOf(0)), 2);
    // The requests in flight when the periodic refresh (t = 1000) sees the split are answered only after it.
    fake.onPutRecords = (request) => (request.receivedAt >= 950 && request.receivedAt < 1000 ? 'hold' : undefined);
    const puts = await produce(harness, keys, 150, 10, (round) => {
      if (round === 97) fake.split(shardIdOf(0));
      if (round === 103) while (fake.held.length > 0) fake.held[0]!.answer();
    });
    expectOrderedAndComplete(harness, keys, 150, puts);
  });

  it('split: keys keep put() order along the lineage while a shard splits under load with throttling', async () => {
    const harness = await startProducer({ ...ORDERED, fake: { latencyMs: 15, shardCount: 2 } });
    const { clock, fake } = harness;
    const random = seededRandom(7);
    const keys = [...keysOfHalves(fake.shard(shardIdOf(0)), 4), ...keysForShard(fake, shardIdOf(1), 4, 'other')];
    fake.onEntry = () => (random() < 0.15 ? THROTTLED : undefined);
    const puts = await produce(harness, keys, 400, 4, (round) => {
      if (round === 100) fake.split(shardIdOf(0));
      if (round === 250) fake.split(shardIdOf(2));
    });
    expect(clock.now()).toBeGreaterThan(1600);
    expectOrderedAndComplete(harness, keys, 400, puts);
  });

  it('closed child: an aggregate that landed on a child shard which closed before the producer listed it settles at once, and its keys go on', async () => {
    const harness = await startProducer({ ...ORDERED, shardMapRefreshIntervalMs: 60_000, fake: { latencyMs: 0, shardCount: 2 } });
    const { clock, fake } = harness;
    const parent = fake.shard(shardIdOf(0));
    const middle = (parent.startingHashKey + parent.endingHashKey) / 2n;
    // Upper-half keys first: the aggregate routes by its first record's hash key, so it lands on the upper child.
    const high = keysInRange(middle + 1n, parent.endingHashKey, 3, 'high');
    const low = keysInRange(parent.startingHashKey, middle, 3, 'low');
    const keys = high.flatMap((key, i) => [key, low[i]!]);
    // The parent splits unseen by the producer; its upper child merges with the other shard before
    // the producer's wrong-shard listing answers: that child is never among the open shards it lists.
    const [, upper] = fake.split(parent.shardId);
    let answerListing!: () => void;
    fake.listShardsScript.push(new Promise<void>((resolve) => (answerListing = resolve)));
    const first = keys.map((key) => track(harness.producer.put(rec(key, keyedData(key, 0)))));
    await clock.advance(30);
    expect(fake.stored.get(upper!.shardId)?.length).toBe(1);
    fake.merge(upper!.shardId, shardIdOf(1));
    answerListing();
    const puts = [...first];
    for (let round = 1; round < 20; round++) {
      for (const key of keys) puts.push(track(harness.producer.put(rec(key, keyedData(key, round)))));
      await clock.advance(20);
    }
    // Well within the TTL (30 s): nothing waits for it.
    for (let waited = 0; waited < 2_000 && !puts.every((put) => put.settled); waited += 10) await clock.advance(10);
    expectOrderedAndComplete(harness, keys, 20, puts);
  });

  it('merge: keys keep put() order along the lineage while two shards merge under load with throttling', async () => {
    const harness = await startProducer({ ...ORDERED, fake: { latencyMs: 40, shardCount: 2 } });
    const { clock, fake } = harness;
    const random = seededRandom(11);
    const keys = [...keysForShard(fake, shardIdOf(0), 4, 'left'), ...keysForShard(fake, shardIdOf(1), 4, 'right')];
    // Requests out when the periodic refresh (t = 1000) sees the merge are answered after it, throttled.
    fake.onPutRecords = (request) => (request.receivedAt >= 950 && request.receivedAt < 1000 ? 'hold' : undefined);
    fake.onEntry = () => (random() < 0.15 || (clock.now() > 1000 && clock.now() < 1100) ? THROTTLED : undefined);
    const puts = await produce(harness, keys, 400, 4, (round) => {
      if (round === 240) fake.merge(shardIdOf(0), shardIdOf(1));
      if (round === 265) while (fake.held.length > 0) fake.held[0]!.answer();
    });
    expectOrderedAndComplete(harness, keys, 400, puts);
  });
});
