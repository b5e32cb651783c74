import { rec, startProducer } from '../test/producerHarness';
import type { FakeKinesisClient } from '../test/FakeKinesisClient';

/** Kinesis records accepted in [from, to). */
function acceptedBetween(fake: FakeKinesisClient, from: number, to: number): number {
  return fake.allStored().filter((stored) => stored.acceptedAt >= from && stored.acceptedAt < to).length;
}

function bytesBetween(fake: FakeKinesisClient, from: number, to: number): number {
  return fake
    .allStored()
    .filter((stored) => stored.acceptedAt >= from && stored.acceptedAt < to)
    .reduce((sum, stored) => sum + stored.entry.data.length + Buffer.byteLength(stored.entry.partitionKey), 0);
}

describe('KinesisProducer rate limiting', () => {
  // The bucket holds 0.2 s of the rate: the first second may carry that burst on top of a
  // second's refill (≤ 1,200), every later second about the rate itself.
  it('at rateLimitPercent 100, sends a shard no more than ~1,000 Kinesis records per second', async () => {
    const { clock, fake, producer } = await startProducer({ rateLimitPercent: 100, aggregationEnabled: false });
    const start = clock.now();
    for (let i = 0; i < 4000; i++) void producer.put(rec(`k${i}`, 10));
    await clock.advance(2000);
    const first = acceptedBetween(fake, start, start + 1000);
    const second = acceptedBetween(fake, start + 1000, start + 2000);
    expect(first).toBeLessThanOrEqual(1210);
    expect(second).toBeLessThanOrEqual(1010);
    expect(first + second).toBeLessThanOrEqual(2210);
  });

  it('at rateLimitPercent 100, settles into ~1,000 Kinesis records per second per shard', async () => {
    const { clock, fake, producer } = await startProducer({ rateLimitPercent: 100, aggregationEnabled: false });
    const start = clock.now();
    for (let i = 0; i < 4000; i++) void producer.put(rec(`k${i}`, 10));
    await clock.advance(3000);
    const steady = acceptedBetween(fake, start + 1000, start + 3000);
    expect(steady).toBeGreaterThanOrEqual(1900);
    expect(steady).toBeLessThanOrEqual(2010);
  });

  it('meters shards independently', async () => {
    const { clock, fake, producer } = await startProducer({ rateLimitPercent: 50, aggregationEnabled: false, fake: { shardCount: 2 } });
    const start = clock.now();
    for (let i = 0; i < 3000; i++) void producer.put(rec(`k${i}`, 10));
    await clock.advance(2000);
    for (const shardId of fake.openShards().map((shard) => shard.shardId)) {
      const steady = (fake.stored.get(shardId) ?? []).filter((stored) => stored.acceptedAt >= start + 1000 && stored.acceptedAt < start + 2000);
      expect(steady.length).toBeGreaterThanOrEqual(480);
      expect(steady.length).toBeLessThanOrEqual(505);
    }
  });

  it('meters bytes per shard at rateLimitPercent of 1 MiB/s', async () => {
    const { clock, fake, producer } = await startProducer({ rateLimitPercent: 100, aggregationEnabled: false });
    const start = clock.now();
    for (let i = 0; i < 40; i++) void producer.put(rec(`k${i}`, 100_000));
    await clock.advance(3000);
    const steady = bytesBetween(fake, start + 1000, start + 3000);
    expect(steady).toBeLessThanOrEqual(2 * 1024 * 1024 + 100_010);
    expect(steady).toBeGreaterThanOrEqual(2 * 1024 * 1024 - 200_020);
  });
});

describe('KinesisProducer throttling feedback', () => {
  it('meters a shard at its real limit (not rateLimitPercent 150) once Kinesis has throttled it', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false }); // rateLimitPercent 150 by default
    let throttledOnce = false;
    fake.onEntry = () => {
      if (throttledOnce) return undefined;
      throttledOnce = true;
      return { errorCode: 'ProvisionedThroughputExceededException' };
    };
    for (let i = 0; i < 6000; i++) void producer.put(rec(`k${i}`, 10));
    await clock.advance(1000); // the throttle arrives early in this second
    const start = clock.now();
    await clock.advance(2000);
    // Without the feedback the shard would keep getting 1,500 records/s.
    expect(acceptedBetween(fake, start, start + 2000)).toBeLessThanOrEqual(2010);
    expect(acceptedBetween(fake, start, start + 2000)).toBeGreaterThanOrEqual(1900);
  });
});
