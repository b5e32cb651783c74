import { ManualClock } from '@kinesis-toolkit/core';
import type { OutgoingRecord } from '../buffering/PendingRecord';
import { ShardMeter } from './ShardMeter';
import { outgoingRecord } from '../../test/pendingRecord';

const SHARD = 'shardId-000000000000';

describe('ShardMeter', () => {
  function meterAt(rateLimitPercent: number) {
    const clock = new ManualClock();
    const released: OutgoingRecord[] = [];
    return { clock, released, meter: new ShardMeter(rateLimitPercent, clock, (outgoing) => released.push(outgoing)) };
  }

  it('releases a shard\'s records in order as its budget allows, and says how long the next one waits', async () => {
    // 1% of a shard: 10 records/s, a burst of 2.
    const { clock, released, meter } = meterAt(1);
    const records = Array.from({ length: 5 }, () => outgoingRecord(10));
    const waits = records.map((record) => meter.meter(SHARD, record));
    expect(released).toEqual(records.slice(0, 2));
    expect(waits.at(-1)).toBe(100);
    await clock.advance(100);
    expect(meter.releaseAll()).toBe(100);
    expect(released).toEqual(records.slice(0, 3));
  });

  it('skips a record taken apart while it waited, without spending the budget on it', async () => {
    const { clock, released, meter } = meterAt(1);
    const records = Array.from({ length: 4 }, () => outgoingRecord(10));
    for (const record of records) meter.meter(SHARD, record);
    expect(released).toEqual(records.slice(0, 2));
    records[2]!.stage = 'unpacked';
    await clock.advance(100);
    expect(meter.releaseAll()).toBeUndefined();
    expect(released).toEqual([records[0], records[1], records[3]]);
  });

  it('hands back the records still waiting for a shard that closed, and forgets the shard', () => {
    const { released, meter } = meterAt(1);
    const records = Array.from({ length: 4 }, () => outgoingRecord(10));
    for (const record of records) meter.meter(SHARD, record);
    records[3]!.stage = 'unpacked';
    expect(meter.takeClosed(new Set(['shardId-000000000001']))).toEqual([records[2]]);
    expect(meter.releaseAll()).toBeUndefined();
    expect(released).toHaveLength(2);
  });
});
