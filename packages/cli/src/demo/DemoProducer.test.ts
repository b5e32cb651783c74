import type { PutResult } from '@kinesis-toolkit/kpl';
import { ManualClock } from '@kinesis-toolkit/testing';
import { DemoProducer } from './DemoProducer';
import { SkewedKeys } from './SkewedKeys';

/** A producer that acknowledges every put at once, 10 user records per Kinesis record; some keys fail. */
function fakeProducer(failKey?: string) {
  let puts = 0;
  return {
    hasCapacity: true,
    puts: () => puts,
    put: async (record: { partitionKey: string; data: Uint8Array }): Promise<PutResult> => {
      const index = puts++;
      if (record.partitionKey === failKey) throw new Error('PutFailedError: nope');
      return { shardId: 'shard-0', sequenceNumber: String(Math.floor(index / 10)), subSequenceNumber: index % 10, aggregated: true, attempts: [] };
    },
    close: async () => undefined,
  };
}

describe('DemoProducer', () => {
  it('puts at the configured pace and records every acknowledged id', async () => {
    const clock = new ManualClock();
    const producer = fakeProducer();
    const demo = new DemoProducer({ producer, keys: new SkewedKeys({ seed: 5 }), runId: 'r', records: 500, ratePerSecond: 1000, durationMs: 0, clock, wallClock: () => 42 });
    const run = demo.run();
    await clock.advance(100);
    // ~1000/s: about 100 records after 100 ms, not all 500.
    expect(producer.puts()).toBeGreaterThanOrEqual(100);
    expect(producer.puts()).toBeLessThanOrEqual(121);
    await clock.advance(500);
    const result = await run;
    expect(result).toMatchObject({ submitted: 500, acknowledged: 500, failed: 0, kinesisRecords: 50, stoppedEarly: false });
    expect(demo.acknowledged.size).toBe(500);
  });

  it('stops at the duration cap and counts failed puts with their messages', async () => {
    const clock = new ManualClock();
    const keys = new SkewedKeys({ sources: 1, keysPerSource: 2, skew: 0, seed: 1 });
    const demo = new DemoProducer({ producer: fakeProducer('clicks:1'), keys, runId: 'r', records: 10_000, ratePerSecond: 100, durationMs: 1000, clock });
    const run = demo.run();
    await clock.advance(1100);
    const result = await run;
    expect(result.stoppedEarly).toBe(true);
    expect(result.submitted).toBeGreaterThanOrEqual(95);
    expect(result.submitted).toBeLessThanOrEqual(101);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.acknowledged + result.failed).toBe(result.submitted);
    expect(result.failures[0]).toMatch(/^clicks:1#\d+: Error: PutFailedError: nope$/);
  });
});
