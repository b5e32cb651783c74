import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { KPL_METRICS, ManualClock, MetricsRecorder, kplDimensionSets } from '@kinesis-toolkit/core';
import { LocalCloudWatch, clientConfigFor, waitFor } from '@kinesis-toolkit/testing';
import { CloudWatchMetricsSink } from './CloudWatchMetricsSink';

// The real @aws-sdk/client-cloudwatch against LocalCloudWatch, a local HTTP endpoint that decodes
// what the client sends (AWS JSON 1.0, gzip) and checks PutMetricData's documented limits. It is
// NOT CloudWatch: these tests prove what the sink sends and how it handles answers, not how
// CloudWatch stores it.

let endpoint: LocalCloudWatch;
let client: CloudWatchClient;

beforeEach(async () => {
  endpoint = await LocalCloudWatch.start();
  client = new CloudWatchClient(clientConfigFor(endpoint.endpoint, { maxAttempts: 1 }));
});

afterEach(async () => {
  client.destroy();
  await endpoint.stop();
});

const stream = (name: string, shard: string) => [
  { name: 'StreamName', value: name },
  { name: 'ShardId', value: shard },
];

describe('CloudWatchMetricsSink through the real CloudWatch client to a local PutMetricData endpoint (not CloudWatch)', () => {
  it('sends each interval as statistic sets with the KPL names, units, dimensions and the epoch time of the interval end', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 1));
    const recorder = new MetricsRecorder({ clock, intervalMs: 60_000, sinks: [new CloudWatchMetricsSink({ cloudWatchClient: client, clock })] });
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('SHARD') });
    for (let i = 0; i < 250; i++) kpl.series(KPL_METRICS.UserRecordsPut, stream('orders', `shardId-00000000000${i % 2}`))!.record(1);
    for (const ms of [5, 20, 11]) kpl.series(KPL_METRICS.BufferingTime, stream('orders', 'shardId-000000000000'))!.record(ms);
    await clock.advance(60_000);
    await recorder.close();

    const datums = endpoint.datums('KinesisProducerLibrary');
    const put = datums.filter((datum) => datum.metricName === 'UserRecordsPut');
    // Global, stream and shard level: the KPL's metric tree.
    expect(put.map((datum) => [datum.dimensions.map((d) => d.value).join('/'), datum.statisticValues!.sum]).sort()).toEqual([
      ['', 250],
      ['orders', 250],
      ['orders/shardId-000000000000', 125],
      ['orders/shardId-000000000001', 125],
    ]);
    expect(put.every((datum) => datum.unit === 'Count' && datum.timestamp!.getTime() === Date.UTC(2026, 0, 1, 0, 1))).toBe(true);
    const buffering = datums.find((datum) => datum.metricName === 'BufferingTime' && datum.dimensions.length === 2)!;
    expect(buffering.unit).toBe('Milliseconds');
    expect(buffering.statisticValues).toEqual({ sampleCount: 3, sum: 36, minimum: 5, maximum: 20 });
  });

  it('splits 2500 datums into requests of at most 1000 that the client gzips, and the endpoint decodes every one', async () => {
    const clock = new ManualClock(0, Date.UTC(2026, 0, 1));
    const recorder = new MetricsRecorder({ clock, sinks: [new CloudWatchMetricsSink({ cloudWatchClient: client, clock })] });
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: () => [['StreamName', 'ShardId']] });
    for (let i = 0; i < 2500; i++) kpl.series(KPL_METRICS.UserRecordsPut, stream('orders', `shardId-${String(i).padStart(12, '0')}`))!.record(1);
    await recorder.close();
    expect(endpoint.requests.map((request) => request.metricData.length)).toEqual([1000, 1000, 500]);
    expect(endpoint.requests[0]!.contentEncoding).toBe('gzip');
    expect(new Set(endpoint.datums('KinesisProducerLibrary').map((datum) => datum.dimensions[1]!.value)).size).toBe(2500);
  });

  it('retries a 500 InternalServiceFault under the retry policy and delivers the request once', async () => {
    endpoint.failNext(2);
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const recorder = new MetricsRecorder({ sinks: [sink] });
    recorder.namespace('app').series(KPL_METRICS.AllErrors, [])!.record(4);
    await recorder.close();
    expect(endpoint.rejected).toBe(2);
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.datums('app')[0]!.statisticValues!.sum).toBe(4);
    expect([sink.sent, sink.failed]).toEqual([1, 0]);
  });

  it('gives up at once on a 400 InvalidParameterValue the endpoint answers for an AWS/ namespace, counting the datums as failed', async () => {
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } });
    const recorder = new MetricsRecorder({ sinks: [sink] });
    recorder.namespace('AWS/Kinesis').series(KPL_METRICS.AllErrors, [])!.record(1);
    recorder.namespace('mine').series(KPL_METRICS.AllErrors, [])!.record(1);
    await recorder.close();
    expect(endpoint.rejected).toBe(1);
    expect([sink.sent, sink.failed]).toEqual([1, 1]);
    expect(endpoint.requests.map((request) => request.namespace)).toEqual(['mine']);
  });

  it('never makes publish() wait while the endpoint holds its answer: past maxQueuedDatums it drops and counts', async () => {
    endpoint.hold();
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, maxQueuedDatums: 10 });
    const recorder = new MetricsRecorder({ sinks: [sink] });
    const ns = recorder.namespace('held', { dimensionSets: () => [['ShardId']] });
    const publishes: Promise<void>[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 8; i++) ns.series(KPL_METRICS.UserRecordsPut, [{ name: 'ShardId', value: `s${i}` }])!.record(1);
      publishes.push(recorder.flush());
      await Promise.all(publishes); // each flush resolves though nothing was answered
      if (round === 0) await waitFor(() => sink.queued === 0, { timeoutMs: 10_000 }); // the first request is in flight
    }
    expect(sink.queued).toBe(10);
    expect(sink.dropped).toBe(24 - 10);
    endpoint.release();
    await recorder.close();
    expect(sink.sent).toBe(8 + 10);
    expect(endpoint.datums('held')).toHaveLength(18);
  });
});
