import type { PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { InvalidArgumentError, KPL_METRICS, ManualClock, MetricsRecorder, kplDimensionSets, type MetricsSnapshot } from '@kinesis-toolkit/core';
import { CloudWatchMetricsSink } from './CloudWatchMetricsSink';
import { toMetricData } from './toMetricData';

// The sink's own queueing, batching and retry logic, with a scripted stand-in for the client (it
// claims nothing about CloudWatch: the integration test decodes what the real client sends).

const T = Date.UTC(2025, 0, 1, 0, 1);

function snapshotOf(shards: number, namespace = 'KinesisProducerLibrary'): MetricsSnapshot {
  const datums = Array.from({ length: shards }, (_, i) => ({
    namespace,
    name: 'UserRecordsPut',
    unit: 'Count' as const,
    kind: 'counter' as const,
    otelName: 'aws.kinesis.producer.user_records_put',
    dimensions: [{ name: 'StreamName', value: 'orders' }, { name: 'ShardId', value: `shardId-${i}` }],
    dimensionSets: [[], ['StreamName'], ['StreamName', 'ShardId']],
    count: 10 + i,
    sum: 10 + i,
    min: 1,
    max: 1,
    values: [],
  }));
  return { startedAt: T - 60_000, endedAt: T, datums };
}

/** A client whose answers the test scripts; it records what it was asked to send. */
function scriptedClient(answer: (input: PutMetricDataCommandInput) => Promise<unknown> = () => Promise.resolve({})) {
  const inputs: PutMetricDataCommandInput[] = [];
  return {
    inputs,
    client: { send: (command: { input: PutMetricDataCommandInput }) => (inputs.push(command.input), answer(command.input)) } as never,
  };
}

describe('toMetricData', () => {
  it('publishes each series under each of its dimension sets, merging shards into the stream and the overall datum', () => {
    const data = toMetricData(snapshotOf(3));
    expect(data).toHaveLength(5);
    const overall = data.find((entry) => entry.datum.Dimensions!.length === 0)!;
    expect(overall.datum.StatisticValues).toEqual({ SampleCount: 33, Sum: 33, Minimum: 1, Maximum: 1 });
    const stream = data.find((entry) => entry.datum.Dimensions!.length === 1)!;
    expect(stream.datum.Dimensions).toEqual([{ Name: 'StreamName', Value: 'orders' }]);
    expect(stream.datum.StatisticValues!.SampleCount).toBe(33);
    const shard1 = data.find((entry) => entry.datum.Dimensions!.some((d) => d.Value === 'shardId-1'))!;
    expect(shard1.datum).toMatchObject({ MetricName: 'UserRecordsPut', Unit: 'Count', Timestamp: new Date(T), StatisticValues: { SampleCount: 11, Sum: 11 } });
  });
});

describe('CloudWatchMetricsSink (queueing and batching; a scripted client)', () => {
  it('sends each namespace in requests of at most maxDatumsPerRequest, in the background', async () => {
    const { client, inputs } = scriptedClient();
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, maxDatumsPerRequest: 4, clock: new ManualClock() });
    expect(sink.publish({ ...snapshotOf(3), datums: [...snapshotOf(3).datums, ...snapshotOf(1, 'orders-app').datums] })).toBeUndefined();
    await sink.close();
    expect(inputs.map((input) => [input.Namespace, input.MetricData!.length])).toEqual([
      ['KinesisProducerLibrary', 4],
      ['KinesisProducerLibrary', 1],
      ['orders-app', 3],
    ]);
    expect(sink.sent).toBe(8);
    expect(sink.requests).toBe(3);
  });

  it('drops datums past maxQueuedDatums while CloudWatch does not answer, counts and logs them, and publish() never waits', async () => {
    let release!: () => void;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { client } = scriptedClient(() => hold.then(() => ({})));
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (_: unknown, message: string) => void warnings.push(message), error: () => undefined, child: () => logger };
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, maxQueuedDatums: 6, maxDatumsPerRequest: 1000, logger, clock: new ManualClock() });
    sink.publish(snapshotOf(3)); // 5 datums, sent at once (in flight, held)
    for (let i = 0; i < 3; i++) sink.publish(snapshotOf(3)); // 15 more: 6 queue, 9 dropped
    expect(sink.queued).toBe(6);
    expect(sink.dropped).toBe(9);
    expect(warnings.filter((warning) => warning.startsWith('CloudWatch metrics queue full'))).toHaveLength(2);
    release();
    await sink.close();
    expect(sink.sent).toBe(11);
  });

  it('retries a request that failed for a reason that may pass, under the retry policy, then sends it once', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const { client, inputs } = scriptedClient(() => (++calls === 1 ? Promise.reject(Object.assign(new Error('busy'), { name: 'InternalServiceError', $fault: 'server', $metadata: { httpStatusCode: 500 } })) : Promise.resolve({})));
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, clock, random: () => 0.5 });
    sink.publish(snapshotOf(1));
    await clock.advance(1_000);
    await sink.close();
    expect(inputs).toHaveLength(2);
    expect(sink.sent).toBe(3);
    expect(sink.failed).toBe(0);
  });

  it('counts and logs the datums of a request that fails for good (access denied), and goes on with the next', async () => {
    const { client } = scriptedClient((input) => (input.Namespace === 'denied' ? Promise.reject(Object.assign(new Error('no'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } })) : Promise.resolve({})));
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, clock: new ManualClock() });
    sink.publish({ ...snapshotOf(1, 'denied'), datums: [...snapshotOf(1, 'denied').datums, ...snapshotOf(1, 'ok').datums] });
    await sink.close();
    expect(sink.failed).toBe(3);
    expect(sink.sent).toBe(3);
  });

  it('signal aborts the request in flight and drops what is queued: close() returns, every datum counted failed, one warning', async () => {
    const { client, inputs } = scriptedClient(() => new Promise(() => undefined)); // never answers
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (_: unknown, message: string) => void warnings.push(message), error: () => undefined, child: () => logger };
    const stop = new AbortController();
    const sink = new CloudWatchMetricsSink({ cloudWatchClient: client, maxDatumsPerRequest: 5, signal: stop.signal, logger, clock: new ManualClock() });
    sink.publish(snapshotOf(3)); // 5 datums in flight
    sink.publish(snapshotOf(3)); // 5 queued
    const closing = sink.close();
    stop.abort(new Error('shutdown deadline'));
    await closing;
    expect(inputs).toHaveLength(1);
    expect(sink.failed).toBe(10);
    expect(sink.sent).toBe(0);
    expect(warnings).toEqual(['10 CloudWatch metric datum(s) not sent: stopped (Error: shutdown deadline)']);
  });

  it('is fed by a MetricsRecorder once per interval', async () => {
    const clock = new ManualClock();
    const { client, inputs } = scriptedClient();
    const recorder = new MetricsRecorder({ clock, intervalMs: 60_000, sinks: [new CloudWatchMetricsSink({ cloudWatchClient: client, clock })] });
    const kpl = recorder.namespace('KinesisProducerLibrary', { dimensionSets: kplDimensionSets('STREAM') });
    for (let i = 0; i < 10_000; i++) kpl.series(KPL_METRICS.UserRecordsPut, [{ name: 'StreamName', value: 's' }])!.record(1);
    await clock.advance(60_000);
    await recorder.close();
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.MetricData!.map((datum) => datum.StatisticValues!.SampleCount)).toEqual([10_000, 10_000]);
  });

  it.each([
    [{ maxDatumsPerRequest: 1001 }, 'maxDatumsPerRequest'],
    [{ maxQueuedDatums: 0 }, 'maxQueuedDatums'],
    [{ cloudWatchClient: {} }, 'cloudWatchClient'],
    [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts'],
    [{ requestTimeout: 5 }, 'requestTimeout'],
  ])('rejects %p naming %s', (options, name) => {
    expect(() => new CloudWatchMetricsSink(options as never)).toThrow(InvalidArgumentError);
    expect(() => new CloudWatchMetricsSink(options as never)).toThrow(new RegExp(`^${name.replace('.', '\\.')}: `));
  });
});
