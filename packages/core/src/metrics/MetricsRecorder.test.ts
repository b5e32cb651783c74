import { ManualClock } from '../time/ManualClock';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';
import { KPL_METRICS } from './catalog/producerMetrics';
import { KCL_METRICS } from './catalog/consumerMetrics';
import { kplDimensionSets } from './catalog/dimensionSets';
import { MetricsRecorder } from './MetricsRecorder';
import type { MetricsSnapshot } from './MetricsSnapshot';
import type { MetricsSink } from './sinks/MetricsSink';

const stream = (shardId?: string) => [{ name: 'StreamName', value: 's1' }, ...(shardId === undefined ? [] : [{ name: 'ShardId', value: shardId }])];

function recorderWith(options: { sinks?: MetricsSink[]; intervalMs?: number } = {}) {
  const clock = new ManualClock(0, Date.UTC(2025, 0, 1));
  const published: MetricsSnapshot[] = [];
  const recorder = new MetricsRecorder({ clock, intervalMs: options.intervalMs ?? 1_000, sinks: options.sinks ?? [{ publish: (snapshot) => void published.push(snapshot) }], random: () => 0.5 });
  return { clock, recorder, published };
}

describe('MetricsRecorder', () => {
  it('aggregates observations per interval into one statistic set per series, timestamped in epoch milliseconds', async () => {
    const { clock, recorder, published } = recorderWith();
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('SHARD') });
    const put = kpl.series(KPL_METRICS.UserRecordsPut, stream('shardId-0'))!;
    const buffering = kpl.series(KPL_METRICS.BufferingTime, stream('shardId-0'))!;
    for (let i = 0; i < 1_000; i++) put.record(i % 10 === 0 ? 0 : 1);
    buffering.record(5);
    buffering.record(15);
    await clock.advance(1_000);
    expect(published).toHaveLength(1);
    const [snapshot] = published;
    expect(snapshot!.startedAt).toBe(Date.UTC(2025, 0, 1));
    expect(snapshot!.endedAt).toBe(Date.UTC(2025, 0, 1) + 1_000);
    const byName = Object.fromEntries(snapshot!.datums.map((datum) => [datum.name, datum]));
    expect(byName.UserRecordsPut).toMatchObject({ namespace: 'KinesisProducerLibrary', unit: 'Count', count: 1_000, sum: 900, min: 0, max: 1, values: [] });
    expect(byName.UserRecordsPut!.dimensionSets).toEqual([[], ['StreamName'], ['StreamName', 'ShardId']]);
    expect(byName.BufferingTime).toMatchObject({ unit: 'Milliseconds', count: 2, sum: 20, min: 5, max: 15, values: [5, 15] });
  });

  it('publishes nothing for an interval without observations, and starts each interval afresh', async () => {
    const { clock, recorder, published } = recorderWith();
    const series = recorder.namespace('App').series(KCL_METRICS.ProcessTask.RecordsProcessed, [{ name: 'Operation', value: 'ProcessTask' }])!;
    series.record(3);
    await clock.advance(1_000);
    await clock.advance(1_000);
    series.record(4);
    await clock.advance(1_000);
    expect(published.map((snapshot) => snapshot.datums.map((datum) => datum.sum))).toEqual([[3], [4]]);
    expect(series.total).toBe(7);
  });

  it('gives the same series for the same metric and dimension values, and leaves out metrics above the level', () => {
    const { recorder } = recorderWith();
    const summary = recorder.namespace('KinesisProducerLibrary', { level: 'SUMMARY' });
    expect(summary.series(KPL_METRICS.UserRecordsPut, stream('a'))).toBe(summary.series(KPL_METRICS.UserRecordsPut, stream('a')));
    expect(summary.series(KPL_METRICS.UserRecordsPut, stream('a'))).not.toBe(summary.series(KPL_METRICS.UserRecordsPut, stream('b')));
    expect(summary.series(KPL_METRICS.RequestTime, stream())).toBeUndefined();
    expect(recorder.namespace('x', { level: 'NONE' }).series(KPL_METRICS.UserRecordsPut, stream())).toBeUndefined();
    expect(recorder.namespace('x', { level: 'NONE' }).enabled).toBe(false);
  });

  it('keeps at most 100 values of a busy histogram: the exact minimum and maximum and a sample of the rest', async () => {
    const { clock, recorder, published } = recorderWith();
    const series = recorder.namespace('KinesisProducerLibrary').series(KPL_METRICS.BufferingTime, stream('s'))!;
    for (let i = 1; i <= 10_000; i++) series.record(i);
    await clock.advance(1_000);
    const datum = published[0]!.datums[0]!;
    expect(datum).toMatchObject({ count: 10_000, sum: 50_005_000, min: 1, max: 10_000 });
    expect(datum.values).toHaveLength(100);
    expect(datum.values.slice(0, 2)).toEqual([1, 10_000]);
    expect(datum.values.every((value) => value >= 1 && value <= 10_000)).toBe(true);
  });

  it('records a shared count as that many observations (times)', async () => {
    const { clock, recorder, published } = recorderWith();
    recorder.namespace('KinesisProducerLibrary').series(KPL_METRICS.UserRecordsPut, stream('s'))!.record(1, 50);
    await clock.advance(1_000);
    expect(published[0]!.datums[0]).toMatchObject({ count: 50, sum: 50 });
  });

  it('emits each snapshot to in-process listeners before the sinks publish it', async () => {
    const { clock, recorder } = recorderWith({ sinks: [] });
    const seen: MetricsSnapshot[] = [];
    recorder.on('snapshot', (snapshot) => seen.push(snapshot));
    recorder.namespace('A').series(KCL_METRICS.ProcessTask.RecordsProcessed, [])!.record(2);
    await clock.advance(1_000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.datums[0]!.sum).toBe(2);
  });

  it('a sink that fails is logged and counted, and the others still publish', async () => {
    const clock = new ManualClock();
    const warnings: string[] = [];
    const good: MetricsSnapshot[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (_: unknown, message: string) => void warnings.push(message), error: () => undefined, child: () => logger };
    const recorder = new MetricsRecorder({ clock, intervalMs: 100, logger, sinks: [{ publish: () => Promise.reject(new Error('down')) }, { publish: (snapshot) => void good.push(snapshot) }] });
    recorder.namespace('A').series(KCL_METRICS.ProcessTask.RecordsProcessed, [])!.record(1);
    await recorder.flush();
    expect(recorder.publishFailures).toBe(1);
    expect(warnings).toEqual(['metrics sink 0 failed to publish 1 metric(s)']);
    expect(good).toHaveLength(1);
  });

  it('close() publishes what is left, closes the sinks once and stops the timer', async () => {
    const closed: string[] = [];
    const published: MetricsSnapshot[] = [];
    const clock = new ManualClock();
    const recorder = new MetricsRecorder({ clock, intervalMs: 1_000, sinks: [{ publish: (s) => void published.push(s), close: () => void closed.push('sink') }] });
    recorder.namespace('A').series(KCL_METRICS.ProcessTask.RecordsProcessed, [])!.record(1);
    await Promise.all([recorder.close(), recorder.close()]);
    expect(published).toHaveLength(1);
    expect(closed).toEqual(['sink']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('hands every new series to the sinks that attach, and their observers hear each observation', () => {
    const heard: number[] = [];
    const recorder = new MetricsRecorder({ clock: new ManualClock(), sinks: [{ attach: () => (value, times) => void heard.push(value, times) }] });
    const series = recorder.namespace('A').series(KCL_METRICS.ProcessTask.MillisBehindLatest, [])!;
    series.record(7);
    series.record(8, 2);
    expect(heard).toEqual([7, 1, 8, 2]);
  });

  it.each([
    [{ intervalMs: 0 }, 'intervalMs'],
    [{ sinks: [{}] }, 'sinks[0].publish'],
    [{ sinks: 'emf' }, 'sinks'],
    [{ intervalMS: 5 }, 'intervalMS'],
  ])('rejects bad options %p naming %s', (options, name) => {
    expect(() => new MetricsRecorder(options as never)).toThrow(InvalidArgumentError);
    expect(() => new MetricsRecorder(options as never)).toThrow(new RegExp(`^${name.replace(/[[\].]/g, '\\$&')}`));
  });

  it('rejects a bad level and an empty namespace', () => {
    const recorder = new MetricsRecorder({ clock: new ManualClock() });
    expect(() => recorder.namespace('A', { level: 'VERBOSE' as never })).toThrow('level: expected one of "NONE", "SUMMARY", "DETAILED", got "VERBOSE"');
    expect(() => recorder.namespace('')).toThrow('namespace: expected a string of 1 to 255 characters');
  });
});
