import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type MetricData } from '@opentelemetry/sdk-metrics';
import { ManualClock } from '../../time/ManualClock';
import { InvalidArgumentError } from '../../errors/InvalidArgumentError';
import { KCL_METRICS } from '../catalog/consumerMetrics';
import { KPL_METRICS } from '../catalog/producerMetrics';
import { kplDimensionSets } from '../catalog/dimensionSets';
import { MetricsRecorder } from '../MetricsRecorder';
import { OpenTelemetrySink } from './OpenTelemetrySink';

async function collect(exporter: InMemoryMetricExporter, reader: PeriodicExportingMetricReader): Promise<MetricData[]> {
  await reader.forceFlush();
  return exporter.getMetrics().flatMap((resource) => resource.scopeMetrics.flatMap((scope) => scope.metrics));
}

function otel() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const recorder = new MetricsRecorder({ clock: new ManualClock(), sinks: [new OpenTelemetrySink({ meterProvider })] });
  return { exporter, reader, meterProvider, recorder };
}

describe('OpenTelemetrySink (with the OpenTelemetry SDK and its in-memory exporter)', () => {
  it('counters are observable counters of the running total, attributed with the KCL names, in UCUM units', async () => {
    const { exporter, reader, meterProvider, recorder } = otel();
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('SHARD') });
    const dims = [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: 'shardId-000000000001' }];
    const put = kpl.series(KPL_METRICS.UserRecordsPut, dims)!;
    put.record(1, 40);
    put.record(0);
    kpl.series(KPL_METRICS.UserRecordsDataPut, dims)!.record(4_000);
    const metrics = await collect(exporter, reader);
    const userRecordsPut = metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.producer.user_records_put')!;
    expect(userRecordsPut.descriptor.unit).toBe('1');
    expect(userRecordsPut.dataPointType).toBe(DataPointType.SUM);
    expect(userRecordsPut.dataPoints).toHaveLength(1);
    expect(userRecordsPut.dataPoints[0]!.value).toBe(40);
    expect(userRecordsPut.dataPoints[0]!.attributes).toEqual({ 'aws.kinesis.stream_name': 'orders', 'aws.kinesis.shard.id': 'shardId-000000000001' });
    expect(metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.producer.user_records_data_put')!.descriptor.unit).toBe('By');
    await meterProvider.shutdown();
  });

  it('histograms record each observation, with ms units; the meter is named after the namespace', async () => {
    const { exporter, reader, meterProvider, recorder } = otel();
    const app = recorder.namespace('orders-app');
    const lag = app.series(KCL_METRICS.ProcessTask.MillisBehindLatest, [{ name: 'Operation', value: 'ProcessTask' }, { name: 'ShardId', value: 'shardId-0' }])!;
    lag.record(10);
    lag.record(30);
    await reader.forceFlush();
    const scope = exporter.getMetrics()[0]!.scopeMetrics[0]!;
    expect(scope.scope.name).toBe('orders-app');
    const histogram = scope.metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.client.consumer.lag.duration')!;
    expect(histogram.descriptor.unit).toBe('ms');
    expect(histogram.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = histogram.dataPoints[0]!;
    expect(point.attributes).toEqual({ 'aws.kinesis.operation': 'ProcessTask', 'aws.kinesis.shard.id': 'shardId-0' });
    expect(point.value).toMatchObject({ count: 2, sum: 40, min: 10, max: 30 });
    await meterProvider.shutdown();
  });

  it('gauges report the last value; at STREAM granularity a shard series carries no shard attribute', async () => {
    const { exporter, reader, meterProvider, recorder } = otel();
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('STREAM') });
    const pending = kpl.series(KPL_METRICS.UserRecordsPending, [{ name: 'StreamName', value: 'orders' }])!;
    pending.record(10);
    pending.record(3);
    kpl.series(KPL_METRICS.UserRecordsPut, [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: 'shardId-9' }])!.record(1);
    const metrics = await collect(exporter, reader);
    const gauge = metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.producer.user_records_pending')!;
    expect(gauge.dataPointType).toBe(DataPointType.GAUGE);
    expect(gauge.dataPoints[0]!.value).toBe(3);
    expect(metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.producer.user_records_put')!.dataPoints[0]!.attributes).toEqual({ 'aws.kinesis.stream_name': 'orders' });
    await meterProvider.shutdown();
  });

  it('a series made but never recorded reports no data point', async () => {
    const { exporter, reader, meterProvider, recorder } = otel();
    const kpl = recorder.namespace('KinesisProducerLibrary');
    kpl.series(KPL_METRICS.UserRecordsPut, [{ name: 'StreamName', value: 'orders' }]);
    kpl.series(KPL_METRICS.UserRecordsPut, [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: 'shardId-1' }])!.record(1);
    const metrics = await collect(exporter, reader);
    expect(metrics.find((metric) => metric.descriptor.name === 'aws.kinesis.producer.user_records_put')!.dataPoints).toHaveLength(1);
    await meterProvider.shutdown();
  });

  it('rejects something that is not a meter provider', () => {
    expect(() => new OpenTelemetrySink({ meterProvider: {} as never })).toThrow(InvalidArgumentError);
    expect(() => new OpenTelemetrySink({ meterprovider: 1 } as never)).toThrow(/meterprovider/);
  });
});
