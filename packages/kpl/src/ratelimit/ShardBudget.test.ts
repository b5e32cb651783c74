import { ManualClock } from '@kinesis-toolkit/core';
import { BURST_SECONDS, ShardBudget } from './ShardBudget';

// ShardBudget is two of core's TokenBuckets; these check the composition a shard is metered by.
function takeWhile(bucket: ShardBudget, bytes: number): number {
  let taken = 0;
  while (bucket.tryTake(bytes)) taken++;
  return taken;
}

// Rates are chosen so that BURST_SECONDS (0.2 s) of them are round numbers.
describe('ShardBudget', () => {
  it('holds 0.2 s of its rate', () => {
    expect(BURST_SECONDS).toBe(0.2);
  });

  it('starts with a burst of records and lets no more through until it refills', () => {
    const bucket = new ShardBudget(50, 1_000_000, new ManualClock());
    expect(takeWhile(bucket, 1)).toBe(10);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it('refills records continuously from the clock', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(50, 1_000_000, clock);
    takeWhile(bucket, 1);
    expect(bucket.waitMs(1)).toBe(20);
    await clock.advance(19);
    expect(bucket.tryTake(1)).toBe(false);
    await clock.advance(1);
    expect(bucket.tryTake(1)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    await clock.advance(70);
    expect(takeWhile(bucket, 1)).toBe(3);
  });

  it('never holds more than its burst of either budget', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(50, 5000, clock);
    await clock.advance(60_000);
    expect(takeWhile(bucket, 1)).toBe(10);
    await clock.advance(60_000);
    expect(takeWhile(bucket, 200)).toBe(5);
  });

  it('meters bytes as a second dimension: a take needs both', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(500, 5000, clock);
    expect(bucket.tryTake(600)).toBe(true);
    expect(bucket.tryTake(600)).toBe(false); // 400 bytes left, plenty of records
    expect(bucket.waitMs(600)).toBe(40);
    expect(bucket.tryTake(400)).toBe(true);
    await clock.advance(40);
    expect(bucket.tryTake(200)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it('lets an item larger than the byte capacity through once the bucket is full, then owes for it', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(500, 5000, clock);
    expect(bucket.waitMs(5000)).toBe(0);
    expect(bucket.tryTake(5000)).toBe(true);
    // 4000 bytes in debt: one more byte takes 4001 / 5000 s of refill.
    expect(bucket.tryTake(1)).toBe(false);
    const wait = bucket.waitMs(1);
    expect(wait).toBeGreaterThanOrEqual(801);
    expect(wait).toBeLessThanOrEqual(802);
    await clock.advance(799);
    expect(bucket.tryTake(1)).toBe(false);
    await clock.advance(wait - 799);
    expect(bucket.tryTake(1)).toBe(true);
  });

  it('holds an oversized item until the bucket is full again', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(500, 5000, clock);
    expect(bucket.tryTake(500)).toBe(true);
    expect(bucket.tryTake(5000)).toBe(false);
    expect(bucket.waitMs(5000)).toBe(100);
    await clock.advance(99);
    expect(bucket.tryTake(5000)).toBe(false);
    await clock.advance(1);
    expect(bucket.tryTake(5000)).toBe(true);
  });

  it('reports the wait for the scarcer dimension', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(10, 1000, clock);
    bucket.tryTake(10);
    bucket.tryTake(10);
    // No records left (100 ms each) while bytes are plentiful.
    expect(bucket.waitMs(10)).toBe(100);
    await clock.advance(50);
    expect(bucket.waitMs(10)).toBe(50);
  });

  it('changes rate on request, capping what it holds at the new burst', async () => {
    const clock = new ManualClock();
    const bucket = new ShardBudget(100, 1_000_000, clock); // burst 20
    bucket.setRates(50, 1_000_000); // burst 10
    expect(takeWhile(bucket, 1)).toBe(10);
    await clock.advance(100);
    expect(takeWhile(bucket, 1)).toBe(5);
  });
});
