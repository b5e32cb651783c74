import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { AggregationTemporality, DataPointType, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import { EmfSink, MetricsRecorder, OpenTelemetrySink, validateEmf } from '@kinesis-toolkit/core';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const RECORDS = 600;

/** The OpenTelemetry SDK with its in-memory exporter, as an application would set it up. */
function openTelemetry() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  return { exporter, reader, meterProvider: new MeterProvider({ readers: [reader] }) };
}

async function exported(exporter: InMemoryMetricExporter, reader: PeriodicExportingMetricReader): Promise<{ scope: string; metric: MetricData }[]> {
  await reader.forceFlush();
  const last = exporter.getMetrics().at(-1)!;
  return last.scopeMetrics.flatMap((scope) => scope.metrics.map((metric) => ({ scope: scope.scope.name, metric })));
}

const points = (metric: MetricData | undefined): DataPoint<number>[] => (metric?.dataPoints ?? []) as DataPoint<number>[];

describe('metrics of a producer and a worker on the local stack, through the OpenTelemetry SDK (in-memory exporter) and EMF', () => {
  it('publishes the KPL and KCL instruments with the KCL attribute names; the counts equal the records put and processed', async () => {
    const streamName = uniqueName('metrics');
    const applicationName = uniqueName('metrics-app');
    await createStream(stack.kinesis.client, streamName, 2);
    const shards = (await stack.kinesis.client.send(new ListShardsCommand({ StreamName: streamName }))).Shards!.map((shard) => shard.ShardId!);
    const { exporter, reader, meterProvider } = openTelemetry();
    const emf: string[] = [];
    const metrics = new MetricsRecorder({ intervalMs: 500, sinks: [new OpenTelemetrySink({ meterProvider }), new EmfSink({ write: (line) => void emf.push(line) })] });

    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, metrics, recordMaxBufferedTimeMs: 20 });
    await Promise.all(Array.from({ length: RECORDS }, (_, i) => producer.put({ partitionKey: `key-${i}`, data: Buffer.from(`record-${i}`) })));
    await producer.close();

    const recorder = new Recorder();
    const worker = new Worker({
      streamName,
      applicationName,
      workerId: 'worker-1',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 1500,
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(recorder, 'worker-1'),
      metrics,
    });
    await worker.start();
    await waitFor(() => recorder.records.length >= RECORDS, { timeoutMs: 20_000, description: `${RECORDS} records processed` });
    // At least one renewal round and one taking round after the start.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await worker.shutdown();
    await metrics.close();

    const all = await exported(exporter, reader);
    const find = (name: string) => all.find((entry) => entry.metric.descriptor.name === name);

    // The producer: every user record put, per shard, in the KPL namespace's meter.
    const put = find('aws.kinesis.producer.user_records_put')!;
    expect(put.scope).toBe('KinesisProducerLibrary');
    expect(put.metric.descriptor.unit).toBe('1');
    expect(points(put.metric).reduce((sum, point) => sum + point.value, 0)).toBe(RECORDS);
    for (const point of points(put.metric)) {
      expect(point.attributes['aws.kinesis.stream_name']).toBe(streamName);
      expect(shards).toContain(point.attributes['aws.kinesis.shard.id']);
    }
    const buffering = find('aws.kinesis.producer.buffering_time')!.metric;
    expect(buffering.descriptor.unit).toBe('ms');
    expect(buffering.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect((buffering.dataPoints as DataPoint<Histogram>[]).reduce((sum, point) => sum + point.value.count, 0)).toBe(RECORDS);
    expect(find('aws.kinesis.producer.user_records_data_put')!.metric.descriptor.unit).toBe('By');
    expect(points(find('aws.kinesis.producer.user_records_received')!.metric).reduce((sum, point) => sum + point.value, 0)).toBe(RECORDS);

    // The worker: RecordsProcessed per shard under ProcessTask, in the application's meter.
    const processed = find('aws.kinesis.client.records_processed')!;
    expect(processed.scope).toBe(applicationName);
    expect(points(processed.metric).reduce((sum, point) => sum + point.value, 0)).toBe(RECORDS);
    for (const point of points(processed.metric)) {
      expect(point.attributes['aws.kinesis.operation']).toBe('ProcessTask');
      expect(shards).toContain(point.attributes['aws.kinesis.shard.id']);
    }
    const lag = find('aws.kinesis.client.consumer.lag.duration')!.metric;
    expect(lag.descriptor.unit).toBe('ms');
    expect(find('aws.kinesis.client.records.size')!.metric.descriptor.unit).toBe('By');
    // Every operation has Success; the lease operations carry the worker's identifier.
    const operations = new Map<string, DataPoint<number>[]>();
    for (const point of points(find('aws.kinesis.client.success')!.metric)) operations.set(String(point.attributes['aws.kinesis.operation']), [...(operations.get(String(point.attributes['aws.kinesis.operation'])) ?? []), point]);
    expect([...operations.keys()].sort()).toEqual(['BlockOnParentTask', 'InitializeTask', 'ProcessTask', 'RenewAllLeases', 'ShardSyncTask', 'ShutdownTask', 'TakeLeases']);
    for (const operation of ['RenewAllLeases', 'TakeLeases']) expect(operations.get(operation)![0]!.attributes['aws.kinesis.consumer.name']).toBe('worker-1');
    expect(points(find('aws.kinesis.client.workers')!.metric)[0]!.value).toBe(1);
    expect(find('aws.kinesis.client.kinesis_data_fetcher.get_records.duration')!.metric.dataPointType).toBe(DataPointType.HISTOGRAM);

    // The same intervals as EMF: every line valid, and the same counts.
    expect(emf.length).toBeGreaterThan(0);
    for (const line of emf) expect(validateEmf(line)).toEqual([]);
    const docs = emf.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(docs.filter((doc) => typeof doc.ShardId === 'string' && doc.UserRecordsPut !== undefined).reduce((sum, doc) => sum + (doc.UserRecordsPut as number), 0)).toBe(RECORDS);
    expect(docs.filter((doc) => doc.Operation === 'ProcessTask' && doc.RecordsProcessed !== undefined).reduce((sum, doc) => sum + (doc.RecordsProcessed as number), 0)).toBe(RECORDS);
    await meterProvider.shutdown();
  });
});
