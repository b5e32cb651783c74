import { ManualClock } from '../time/ManualClock';
import { TokenBucket } from './TokenBucket';

describe('TokenBucket', () => {
  it('starts full with one second of tokens and refuses what it does not hold', () => {
    const bucket = new TokenBucket(1000, new ManualClock());
    expect(bucket.capacity).toBe(1000);
    expect(bucket.tryTake(600)).toBe(true);
    expect(bucket.tryTake(400)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
    expect(bucket.tokens).toBe(0);
  });

  it('refills in proportion to the time that passed, and only then', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1000, clock);
    bucket.take(1000);
    expect(bucket.canTake(1)).toBe(false);
    await clock.advance(1);
    expect(bucket.tokens).toBe(1);
    await clock.advance(249);
    expect(bucket.tryTake(250)).toBe(true);
    expect(bucket.tryTake(1)).toBe(false);
  });

  it('never holds more than one second of tokens, however long it idles', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(50, clock);
    bucket.take(50);
    await clock.advance(60_000);
    expect(bucket.tokens).toBe(50);
    expect(bucket.tryTake(51)).toBe(true); // a full bucket admits more than it holds (see below)
  });

  it('admits a demand above its capacity only when full, and then stays in debt until repaid', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(100, clock);
    bucket.take(1);
    expect(bucket.tryTake(250)).toBe(false); // not full: 99 < 100
    await clock.advance(10);
    expect(bucket.tryTake(250)).toBe(true);
    expect(bucket.tokens).toBe(-150);
    await clock.advance(1_500);
    expect(bucket.tokens).toBe(0);
    expect(bucket.canTake(1)).toBe(false);
    await clock.advance(10);
    expect(bucket.canTake(1)).toBe(true);
  });

  it('lets take() charge below zero, for costs known only afterwards', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(2000, clock);
    bucket.take(5000);
    expect(bucket.tokens).toBe(-3000);
    await clock.advance(1_500);
    expect(bucket.tokens).toBe(0);
  });

  it('takes refunds back up to its capacity', () => {
    const bucket = new TokenBucket(10, new ManualClock());
    bucket.take(4);
    bucket.giveBack(3);
    expect(bucket.tokens).toBe(9);
    bucket.giveBack(5);
    expect(bucket.tokens).toBe(10);
  });

  it('changes rate without crediting the past at the new rate, and cuts the level to the new capacity', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(100, clock);
    bucket.take(100);
    await clock.advance(100); // +10 at the old rate
    bucket.setRate(1000);
    expect(bucket.tokens).toBe(10);
    await clock.advance(10); // +10 at the new rate
    expect(bucket.tokens).toBe(20);
    bucket.setRate(5);
    expect(bucket.tokens).toBe(5);
    expect(bucket.capacity).toBe(5);
  });

  it('forgets debt when filled', () => {
    const bucket = new TokenBucket(10, new ManualClock());
    bucket.take(100);
    bucket.fill();
    expect(bucket.tokens).toBe(10);
  });

  it('pays fractional demands despite floating-point refills', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(0.3, clock); // e.g. 5 GetRecords calls/s at scale 0.06
    bucket.take(0.3);
    await clock.advance(1_000);
    expect(bucket.tryTake(0.3)).toBe(true);
  });
});

describe('TokenBucket with a shorter burst', () => {
  it('holds burstSeconds of its rate, and waitMs says when a demand can pass', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket(1000, clock, 0.2);
    expect(bucket.capacity).toBe(200);
    expect(bucket.tryTake(200)).toBe(true);
    expect(bucket.waitMs(50)).toBe(50);
    await clock.advance(50);
    expect(bucket.tryTake(50)).toBe(true);
    expect(bucket.waitMs(1_000)).toBe(200); // capped at capacity: an oversized demand waits for a full bucket
  });
});
