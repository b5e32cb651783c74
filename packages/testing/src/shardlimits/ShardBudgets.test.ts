import { ManualClock } from '@kinesis-toolkit/core';
import { ShardBudgets } from './ShardBudgets';
import type { ShardLimits } from './ShardLimitProxyOptions';

const LIMITS: ShardLimits = { writeRecordsPerSecond: 10, writeBytesPerSecond: 1000, getRecordsCallsPerSecond: 5, readBytesPerSecond: 2000 };
const shard0 = { streamName: 's', shardId: 'shardId-000000000000' };
const shard1 = { streamName: 's', shardId: 'shardId-000000000001' };

/** Admits `count` writes of `bytes` each and returns how many passed. */
function write(budgets: ShardBudgets, shard: typeof shard0, count: number, bytes: number): number {
  let admitted = 0;
  for (let i = 0; i < count; i++) if (budgets.tryWrite(shard, bytes)) admitted++;
  return admitted;
}

describe('ShardBudgets', () => {
  it('admits writes while both the record and the byte budget last, and counts the rest as throttled', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    expect(write(budgets, shard0, 12, 10)).toBe(10); // records run out first
    const bytes = new ShardBudgets(LIMITS, new ManualClock());
    expect(write(bytes, shard0, 5, 300)).toBe(3); // bytes run out first
    expect(bytes.traffic().total).toMatchObject({ recordsThrottled: 2, bytesThrottled: 600, recordsAccepted: 0 });
  });

  it('gives each shard its own budget', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    expect(write(budgets, shard0, 15, 1)).toBe(10);
    expect(write(budgets, shard1, 15, 1)).toBe(10);
    expect(write(budgets, { ...shard0, streamName: 'other' }, 15, 1)).toBe(10);
  });

  it('counts confirmed writes and gives back cancelled ones', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    expect(write(budgets, shard0, 10, 100)).toBe(10);
    for (let i = 0; i < 7; i++) budgets.confirmWrite(shard0, 100);
    for (let i = 0; i < 3; i++) budgets.cancelWrite(shard0, 100);
    expect(write(budgets, shard0, 5, 100)).toBe(3);
    expect(budgets.traffic().streams).toEqual({
      s: { [shard0.shardId]: expect.objectContaining({ recordsAccepted: 7, bytesAccepted: 700, recordsThrottled: 2 }) },
    });
  });

  it('refills with the clock', async () => {
    const clock = new ManualClock();
    const budgets = new ShardBudgets(LIMITS, clock);
    write(budgets, shard0, 10, 1);
    await clock.advance(300);
    expect(write(budgets, shard0, 10, 1)).toBe(3);
  });

  it('allows 5 reads per second and refuses reads while the byte budget is in debt', async () => {
    const clock = new ManualClock();
    const budgets = new ShardBudgets(LIMITS, clock);
    const reads = Array.from({ length: 6 }, () => budgets.tryRead(shard0));
    expect(reads).toEqual([true, true, true, true, true, false]);
    await clock.advance(1_000);
    expect(budgets.tryRead(shard0)).toBe(true);
    budgets.chargeRead(shard0, 3000); // 2000 - 3000 = -1000
    expect(budgets.tryRead(shard0)).toBe(false);
    await clock.advance(500); // back to exactly 0: still nothing to spend
    expect(budgets.tryRead(shard0)).toBe(false);
    await clock.advance(1);
    expect(budgets.tryRead(shard0)).toBe(true);
    expect(budgets.traffic().total).toMatchObject({ getRecordsCalls: 7, getRecordsThrottled: 3, bytesRead: 3000 });
  });

  it('applies new limits to shards it already knows', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    write(budgets, shard0, 1, 1);
    budgets.setLimits({ ...LIMITS, writeRecordsPerSecond: 2 });
    expect(write(budgets, shard0, 5, 1)).toBe(2);
    expect(write(budgets, shard1, 5, 1)).toBe(2);
  });

  it('resets to full buckets and zero counters', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    write(budgets, shard0, 15, 1);
    budgets.reset();
    expect(budgets.traffic().total.recordsThrottled).toBe(0);
    expect(write(budgets, shard0, 15, 1)).toBe(10);
  });

  it('sums every shard into the total', () => {
    const budgets = new ShardBudgets(LIMITS, new ManualClock());
    write(budgets, shard0, 1, 5);
    budgets.confirmWrite(shard0, 5);
    write(budgets, shard1, 1, 7);
    budgets.confirmWrite(shard1, 7);
    expect(budgets.traffic().total).toMatchObject({ recordsAccepted: 2, bytesAccepted: 12 });
  });
});
