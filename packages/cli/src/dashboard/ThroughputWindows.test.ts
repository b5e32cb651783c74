import { ManualClock } from '@kinesis-toolkit/core';
import { ThroughputWindows } from './ThroughputWindows';

const T0 = 1_700_000_000_000; // a multiple of 10 s
const obs = (atMs: number, records = 1, userRecords = records, bytes = 100 * records) => ({ shardId: 's', atMs, records, userRecords, bytes });

describe('ThroughputWindows', () => {
  let clock: ManualClock;
  let windows: ThroughputWindows;
  beforeEach(() => {
    clock = new ManualClock(T0);
    windows = new ThroughputWindows({ windowMs: 60_000, bucketMs: 10_000, clock });
  });

  it('counts observations into buckets of time and shows only buckets the coverage spans whole', async () => {
    await clock.advance(35_000);
    windows.record([obs(T0 + 1_000, 5, 50), obs(T0 + 9_999, 1), obs(T0 + 12_000, 2), obs(T0 + 31_000, 7)], [{ shardId: 's', fromMs: T0, untilMs: T0 + 35_000 }]);
    const view = windows.throughputOf('s')!;
    // The bucket from T0+30 s is not complete yet (covered until T0+35 s): not shown.
    expect(view.buckets).toEqual([
      { startMs: T0, records: 6, userRecords: 51, bytes: 600 },
      { startMs: T0 + 10_000, records: 2, userRecords: 2, bytes: 200 },
      { startMs: T0 + 20_000, records: 0, userRecords: 0, bytes: 0 },
    ]);
    expect(view.lastMinute).toEqual({ recordsPerSecond: 8 / 30, userRecordsPerSecond: 53 / 30, bytesPerSecond: 800 / 30, overMs: 30_000 });
  });

  it('does not show a partly covered first bucket (the source started in its middle) as a dip', () => {
    windows.record([obs(T0 + 6_000, 4)], [{ shardId: 's', fromMs: T0 + 5_000, untilMs: T0 + 21_000 }]);
    expect(windows.throughputOf('s')!.buckets.map((b) => b.startMs)).toEqual([T0 + 10_000]);
  });

  it('extends the coverage with each sample and has no rates before a bucket completes', () => {
    windows.record([], [{ shardId: 's', fromMs: T0, untilMs: T0 + 4_000 }]);
    expect(windows.throughputOf('s')).toEqual({ buckets: [], lastMinute: undefined });
    windows.record([obs(T0 + 5_000, 10)], [{ shardId: 's', fromMs: T0, untilMs: T0 + 10_000 }]);
    expect(windows.throughputOf('s')!.lastMinute).toMatchObject({ recordsPerSecond: 1, overMs: 10_000 });
  });

  it('slides: buckets older than the window are dropped, and rates cover the last minute only', async () => {
    windows.record([obs(T0 + 1_000, 60)], [{ shardId: 's', fromMs: T0, untilMs: T0 + 10_000 }]);
    await clock.advance(100_000);
    windows.record([obs(T0 + 95_000, 20)], [{ shardId: 's', fromMs: T0, untilMs: T0 + 100_000 }]);
    const view = windows.throughputOf('s')!;
    expect(view.buckets.map((b) => b.startMs)).toEqual([T0 + 40_000, T0 + 50_000, T0 + 60_000, T0 + 70_000, T0 + 80_000, T0 + 90_000]);
    expect(view.buckets.reduce((sum, b) => sum + b.records, 0)).toBe(20);
    expect(view.lastMinute).toMatchObject({ recordsPerSecond: 20 / 60, overMs: 60_000 });
  });

  it('ignores observations older than the window, and knows nothing of a shard never covered', async () => {
    await clock.advance(120_000);
    windows.record([obs(T0 + 1_000, 99)], []);
    expect(windows.throughputOf('s')).toBeUndefined();
    expect(windows.throughputOf('other')).toBeUndefined();
  });

  it('forgets shards no longer listed', () => {
    windows.record([obs(T0 + 1_000)], [{ shardId: 's', fromMs: T0, untilMs: T0 + 20_000 }]);
    windows.retain(new Set(['t']));
    expect(windows.throughputOf('s')).toBeUndefined();
  });
});
