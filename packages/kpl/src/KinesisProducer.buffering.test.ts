import { keysForShard, rec, startProducer, track } from '../test/producerHarness';
import { shardIdOf } from '../test/FakeKinesisClient';

const SHARD_0 = shardIdOf(0);

describe('KinesisProducer buffering', () => {
  it('holds a record until recordMaxBufferedTimeMs, then sends it', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 100 });
    const put = track(producer.put(rec('a', 'hello')), clock);

    await clock.advance(99);
    expect(fake.putRequests).toHaveLength(0);
    expect(put.settled).toBe(false);

    await clock.advance(1);
    expect(fake.putRequests).toHaveLength(1);
    expect(fake.putRequests[0]!.receivedAt).toBe(100);
    expect(put.error).toBeUndefined();
    expect(put.value).toMatchObject({ shardId: SHARD_0, subSequenceNumber: 0, aggregated: false });
    expect(put.value!.attempts).toEqual([{ startedAt: 100, durationMs: 0 }]);
    expect(fake.userRecords()).toEqual([expect.objectContaining({ partitionKey: 'a', data: 'hello', inRange: true })]);
  });

  it('measures the buffering deadline from each put, not from the first', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 100, aggregationEnabled: false });
    void producer.put(rec('a'));
    await clock.advance(60);
    void producer.put(rec('b'));
    await clock.advance(40);
    // The first record's deadline came: it leaves, and the collector takes the other record along.
    expect(fake.putRequests).toHaveLength(1);
    expect(fake.putRequests[0]!.receivedAt).toBe(100);
  });

  it('packs many records for one shard into one aggregate, numbered by sub-sequence', async () => {
    const { clock, fake, producer } = await startProducer();
    const puts = Array.from({ length: 50 }, (_, i) => track(producer.put(rec(`k${i}`, `v${i}`))));
    await clock.advance(100);

    expect(fake.putRequests).toHaveLength(1);
    expect(fake.putRequests[0]!.entries).toHaveLength(1);
    expect(fake.putRequests[0]!.entries[0]!.userRecords).toHaveLength(50);
    const results = puts.map((put) => put.value!);
    expect(new Set(results.map((result) => result.sequenceNumber)).size).toBe(1);
    expect(results.map((result) => result.subSequenceNumber)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(results.every((result) => result.aggregated && result.shardId === SHARD_0)).toBe(true);
    expect(fake.userRecords().map((record) => record.data)).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
  });

  // Regression test (fixed); the bug was: #onTimer packs one buffer at a time and calls #dispatch() after each, so the
  // first due aggregate leaves alone and every shard gets its own PutRecords request.
  it('sends records of different shards as different Kinesis records in one PutRecords', async () => {
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 4 } });
    const puts = [];
    for (let s = 0; s < 4; s++) {
      for (const key of keysForShard(fake, shardIdOf(s), 3, `s${s}`)) puts.push(track(producer.put(rec(key))));
    }
    await clock.advance(100);

    expect(fake.batchSizes()).toEqual([4]);
    const entries = fake.putRequests[0]!.entries;
    expect(new Set(entries.map((entry) => entry.shardId))).toEqual(new Set([0, 1, 2, 3].map(shardIdOf)));
    for (const entry of entries) expect(entry.userRecords).toHaveLength(3);
    expect(fake.userRecords().every((record) => record.inRange)).toBe(true);
    for (const put of puts) expect(put.error).toBeUndefined();
  });

  it('sends an aggregate that reached aggregationMaxBytes before the deadline', async () => {
    // collectionMaxCount 1: a full aggregate is a full PutRecords batch, so it leaves at once.
    const { clock, fake, producer } = await startProducer({ aggregationMaxBytes: 1000, collectionMaxCount: 1, recordMaxBufferedTimeMs: 1000 });
    for (let i = 0; i < 30; i++) void producer.put(rec(`k${i}`, 90));
    await clock.advance(0);

    const early = fake.putRequests.length;
    expect(early).toBeGreaterThanOrEqual(2);
    for (const request of fake.putRequests) {
      expect(request.receivedAt).toBe(0);
      expect(request.entries[0]!.data.length).toBeLessThanOrEqual(1000);
    }
    await clock.advance(1000);
    expect(fake.putRequests.length).toBeGreaterThan(early);
    expect(fake.userRecords()).toHaveLength(30);
  });

  it('splits PutRecords requests at collectionMaxCount', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, collectionMaxCount: 3 });
    const puts = Array.from({ length: 7 }, (_, i) => producer.put(rec(`k${i}`)));
    await clock.advance(100);
    await Promise.all(puts);
    expect(fake.batchSizes()).toEqual([3, 3, 1]);
  });

  it('splits PutRecords requests at collectionMaxBytes', async () => {
    const maxBytes = 52_224;
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, collectionMaxBytes: maxBytes });
    const puts = Array.from({ length: 5 }, (_, i) => producer.put(rec(`k${i}`, 20_000)));
    await clock.advance(100);
    await Promise.all(puts);
    expect(fake.batchSizes()).toEqual([2, 2, 1]);
    for (const request of fake.putRequests) {
      const bytes = request.entries.reduce((sum, entry) => sum + entry.data.length + Buffer.byteLength(entry.partitionKey), 0);
      expect(bytes).toBeLessThanOrEqual(maxBytes);
    }
  });

  it('keeps at most maxConcurrentRequests PutRecords in flight', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false, collectionMaxCount: 1, maxConcurrentRequests: 2 });
    fake.onPutRecords = () => 'hold';
    const puts = Array.from({ length: 5 }, (_, i) => track(producer.put(rec(`k${i}`))));
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(2);

    fake.held[0]!.answer();
    await clock.advance(0);
    expect(fake.putRequests).toHaveLength(3);
    expect(fake.inFlight).toBe(2);

    while (fake.held.length > 0) {
      fake.held[0]!.answer();
      await clock.advance(0);
    }
    expect(fake.putRequests).toHaveLength(5);
    expect(fake.maxInFlight).toBe(2);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
  });

  it('routes by explicit hash key when one is given', async () => {
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 2 } });
    const low = track(producer.put(rec('same', 'low', '0')));
    const high = track(producer.put(rec('same', 'high', ((1n << 128n) - 1n).toString())));
    await clock.advance(100);
    expect(low.value?.shardId).toBe(shardIdOf(0));
    expect(high.value?.shardId).toBe(shardIdOf(1));
    expect(fake.userRecords().every((record) => record.inRange)).toBe(true);
  });
});
