import { ManualClock } from '../../time/ManualClock';
import { AGENT_METRICS } from '../catalog/agentMetrics';
import { KPL_METRICS } from '../catalog/producerMetrics';
import { kplDimensionSets } from '../catalog/dimensionSets';
import { defineMetric } from '../MetricDefinition';
import { MetricsRecorder } from '../MetricsRecorder';
import { EmfSink } from '../sinks/EmfSink';
import { formatEmf } from './formatEmf';
import { parseEmf } from './parseEmf';
import { validateEmf } from './validateEmf';

function emfRun() {
  const clock = new ManualClock(0, Date.UTC(2025, 2, 3));
  const lines: string[] = [];
  const recorder = new MetricsRecorder({ clock, intervalMs: 60_000, sinks: [new EmfSink({ write: (line) => void lines.push(line) })] });
  return { clock, lines, recorder };
}

describe('formatEmf and EmfSink', () => {
  it('a busy producer writes one valid line per series group per interval, not a line per record', async () => {
    const { clock, lines, recorder } = emfRun();
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('SHARD') });
    for (const shard of ['shardId-000000000000', 'shardId-000000000001']) {
      const dims = [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: shard }];
      const put = kpl.series(KPL_METRICS.UserRecordsPut, dims)!;
      const buffering = kpl.series(KPL_METRICS.BufferingTime, dims)!;
      for (let i = 0; i < 50_000; i++) {
        put.record(1);
        buffering.record(i % 200);
      }
    }
    kpl.series(KPL_METRICS.RequestTime, [{ name: 'StreamName', value: 'orders' }])!.record(12);
    await clock.advance(60_000);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(validateEmf(line)).toEqual([]);
    const shard0 = JSON.parse(lines[0]!);
    expect(shard0._aws).toEqual({
      Timestamp: Date.UTC(2025, 2, 3) + 60_000,
      CloudWatchMetrics: [
        {
          Namespace: 'KinesisProducerLibrary',
          Dimensions: [[], ['StreamName'], ['StreamName', 'ShardId']],
          Metrics: [
            { Name: 'UserRecordsPut', Unit: 'Count' },
            { Name: 'BufferingTime', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expect(shard0).toMatchObject({ StreamName: 'orders', ShardId: 'shardId-000000000000', UserRecordsPut: 50_000 });
    expect(shard0.BufferingTime).toHaveLength(100);
    expect(shard0.BufferingTime.slice(0, 2)).toEqual([0, 199]);
  });

  it('splits a group of more than 100 metrics into valid lines of at most 100', () => {
    const datums = Array.from({ length: 250 }, (_, i) => ({
      namespace: 'N',
      name: `M${i}`,
      unit: 'Count' as const,
      kind: 'counter' as const,
      otelName: `m${i}`,
      dimensions: [{ name: 'Destination', value: 'KinesisStream:s' }],
      dimensionSets: [['Destination']],
      count: 1,
      sum: i,
      min: i,
      max: i,
      values: [],
    }));
    const lines = formatEmf({ startedAt: Date.UTC(2025, 0, 1), endedAt: Date.UTC(2025, 0, 1, 0, 1), datums });
    expect(lines.map((line) => JSON.parse(line)._aws.CloudWatchMetrics[0].Metrics.length)).toEqual([100, 100, 50]);
    for (const line of lines) expect(validateEmf(line)).toEqual([]);
  });

  it('parseEmf reads back what the sink wrote: namespace, dimensions, values, timestamp', async () => {
    const { clock, lines, recorder } = emfRun();
    const agent = recorder.namespace('AWSKinesisAgent');
    const series = agent.series(AGENT_METRICS.BytesSent, [{ name: 'Destination', value: 'DeliveryStream:logs' }])!;
    series.record(100);
    series.record(50);
    await clock.advance(60_000);
    expect(parseEmf(lines[0]!)).toEqual([
      {
        namespace: 'AWSKinesisAgent',
        name: 'BytesSent',
        unit: 'Bytes',
        timestamp: Date.UTC(2025, 2, 3) + 60_000,
        dimensions: { Destination: 'DeliveryStream:logs' },
        dimensionSets: [['Destination']],
        values: [150],
      },
    ]);
    expect(parseEmf('a plain log line')).toEqual([]);
    expect(parseEmf('{"level":"info"}')).toEqual([]);
  });

  it('writes to a stream with a newline per line', () => {
    const chunks: string[] = [];
    const sink = new EmfSink({ write: { write: (chunk: string) => chunks.push(chunk) } as never });
    const metric = defineMetric('x.', 'Things', 'Count', 'SUMMARY', 'counter', 'things counted');
    sink.publish({ startedAt: 0, endedAt: Date.UTC(2025, 0, 1), datums: [{ namespace: 'N', name: metric.name, unit: 'Count', kind: 'counter', otelName: metric.otelName, dimensions: [], dimensionSets: [[]], count: 1, sum: 4, min: 4, max: 4, values: [] }] });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.endsWith('}\n')).toBe(true);
    expect(validateEmf(chunks[0]!.trimEnd())).toEqual([]);
    expect(sink.lines).toBe(1);
  });

  it('rejects a missing or wrong write target', () => {
    expect(() => new EmfSink({} as never)).toThrow('write: expected a writable stream or a function of a line, got undefined');
    expect(() => new EmfSink({ write: 'stdout' } as never)).toThrow(/^write: expected/);
  });
});
