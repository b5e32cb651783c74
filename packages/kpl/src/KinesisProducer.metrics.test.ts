import { EmfSink, MANUAL_CLOCK_EPOCH_ORIGIN_MS, ManualClock, MetricsRecorder, validateEmf, type MetricDatum, type MetricsSink, type MetricsSnapshot } from '@kinesis-toolkit/core';
import type { PutRecordsEvent } from './events/PutRecordsEvent';
import { PENDING_SAMPLE_INTERVAL_MS } from './metrics/ProducerMetrics';
import { sdkError, shardIdOf } from '../test/FakeKinesisClient';
import { keysForShard, rec, startProducer, track } from '../test/producerHarness';

function findAll(snapshots: readonly MetricsSnapshot[], name: string, dims: Record<string, string> = {}): MetricDatum[] {
  return snapshots.flatMap((snapshot) => snapshot.datums).filter((datum) => datum.name === name && Object.entries(dims).every(([key, value]) => datum.dimensions.some((d) => d.name === key && d.value === value)) && datum.dimensions.length === Object.keys(dims).length);
}

function sumOf(snapshots: readonly MetricsSnapshot[], name: string, dims: Record<string, string> = {}): number {
  return findAll(snapshots, name, dims).reduce((total, datum) => total + datum.sum, 0);
}

describe('KinesisProducer metrics (the KPL names, on core’s metrics layer)', () => {
  it('counts every user record put, per shard and stream, with the KPL units, and Kinesis records and requests', async () => {
    const recorderBox: { recorder?: MetricsRecorder } = {};
    const harness = await startProducer({ fake: { shardCount: 2 }, metrics: newRecorder(recorderBox) });
    const { clock, producer } = harness;
    const recorder = recorderBox.recorder!;
    const snapshots: MetricsSnapshot[] = [];
    recorder.on('snapshot', (snapshot) => snapshots.push(snapshot));
    const keys0 = keysForShard(harness.fake, shardIdOf(0), 6);
    const keys1 = keysForShard(harness.fake, shardIdOf(1), 4);
    const puts = [...keys0, ...keys1].map((key) => producer.put(rec(key, 'data-10b!!')));
    await clock.advance(200);
    await Promise.all(puts);
    await producer.close();
    await recorder.flush();
    expect(sumOf(snapshots, 'UserRecordsPut', { StreamName: 'test-stream', ShardId: shardIdOf(0) })).toBe(6);
    expect(sumOf(snapshots, 'UserRecordsPut', { StreamName: 'test-stream', ShardId: shardIdOf(1) })).toBe(4);
    expect(sumOf(snapshots, 'UserRecordsDataPut', { StreamName: 'test-stream', ShardId: shardIdOf(0) })).toBe(60);
    expect(sumOf(snapshots, 'UserRecordsReceived', { StreamName: 'test-stream' })).toBe(10);
    // Aggregation on: one Kinesis record per shard, in one request.
    expect(sumOf(snapshots, 'KinesisRecordsPut', { StreamName: 'test-stream', ShardId: shardIdOf(0) })).toBe(1);
    expect(findAll(snapshots, 'UserRecordsPerKinesisRecord', { StreamName: 'test-stream', ShardId: shardIdOf(0) })[0]).toMatchObject({ count: 1, sum: 6 });
    expect(findAll(snapshots, 'KinesisRecordsPerPutRecordsRequest', { StreamName: 'test-stream' })[0]).toMatchObject({ count: 1, sum: 2 });
    expect(findAll(snapshots, 'UserRecordsPerPutRecordsRequest', { StreamName: 'test-stream' })[0]).toMatchObject({ count: 1, sum: 10 });
    expect(findAll(snapshots, 'RequestTime', { StreamName: 'test-stream' })[0]).toMatchObject({ unit: 'Milliseconds', count: 1 });
    const buffering = findAll(snapshots, 'BufferingTime', { StreamName: 'test-stream', ShardId: shardIdOf(0) })[0]!;
    expect(buffering).toMatchObject({ unit: 'Milliseconds', count: 6 });
    expect(buffering.max).toBeLessThanOrEqual(100);
    expect(findAll(snapshots, 'RetriesPerRecord', { StreamName: 'test-stream', ShardId: shardIdOf(1) })[0]).toMatchObject({ count: 4, sum: 0 });
    expect(findAll(snapshots, 'AllErrors', { StreamName: 'test-stream', ShardId: shardIdOf(1) })[0]).toMatchObject({ count: 1, sum: 0 });
    // SHARD granularity: each shard series is published overall, per stream and per shard.
    expect(findAll(snapshots, 'UserRecordsPut', { StreamName: 'test-stream', ShardId: shardIdOf(0) })[0]!.dimensionSets).toEqual([[], ['StreamName'], ['StreamName', 'ShardId']]);
    expect(snapshots.every((snapshot) => snapshot.endedAt >= MANUAL_CLOCK_EPOCH_ORIGIN_MS)).toBe(true);
  });

  it('counts failures: UserRecordsPut 0, ErrorsByCode by code per shard, AllErrors, retries, expiry', async () => {
    const box: { recorder?: MetricsRecorder } = {};
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 1 }, metrics: newRecorder(box), recordTtlMs: 1_000, retry: { baseDelayMs: 100, maxDelayMs: 100 } });
    const snapshots: MetricsSnapshot[] = [];
    box.recorder!.on('snapshot', (snapshot) => snapshots.push(snapshot));
    fake.onEntry = () => ({ errorCode: 'ProvisionedThroughputExceededException' });
    const put = track(producer.put(rec('a')));
    await clock.advance(1_500);
    expect(put.error?.name).toBe('RecordExpiredError');
    await box.recorder!.flush();
    const shard = { StreamName: 'test-stream', ShardId: shardIdOf(0) };
    const attempts = fake.putRequests.length;
    expect(attempts).toBeGreaterThan(2);
    expect(sumOf(snapshots, 'ErrorsByCode', { ErrorCode: 'ProvisionedThroughputExceededException', ...shard })).toBe(attempts);
    expect(findAll(snapshots, 'ErrorsByCode', { ErrorCode: 'ProvisionedThroughputExceededException', ...shard })[0]!.dimensionSets).toEqual([[], ['ErrorCode'], ['ErrorCode', 'StreamName'], ['ErrorCode', 'StreamName', 'ShardId']]);
    expect(sumOf(snapshots, 'AllErrors', shard)).toBe(attempts);
    expect(findAll(snapshots, 'KinesisRecordsPut', shard)[0]).toMatchObject({ count: attempts, sum: 0 });
    // The failed record has no shard it landed on: stream level, as the KPL when it has no shard.
    expect(findAll(snapshots, 'UserRecordsPut', { StreamName: 'test-stream' })[0]).toMatchObject({ count: 1, sum: 0 });
    expect(sumOf(snapshots, 'UserRecordExpired', { StreamName: 'test-stream' })).toBe(1);
    expect(findAll(snapshots, 'RetriesPerRecord', { StreamName: 'test-stream' })[0]!.sum).toBe(attempts - 1);
    await producer.close();
  });

  it('a request that fails as a whole counts one ErrorsByCode and AllErrors at the stream level', async () => {
    const box: { recorder?: MetricsRecorder } = {};
    const { clock, fake, producer } = await startProducer({ metrics: newRecorder(box), recordTtlMs: 1_000 });
    const snapshots: MetricsSnapshot[] = [];
    box.recorder!.on('snapshot', (snapshot) => snapshots.push(snapshot));
    fake.putRecordsScript.push(sdkError('InternalFailure', 'boom', 'server'));
    const put = producer.put(rec('a'));
    await clock.advance(1_000);
    await put;
    await box.recorder!.flush();
    expect(sumOf(snapshots, 'ErrorsByCode', { ErrorCode: 'InternalFailure', StreamName: 'test-stream' })).toBe(1);
    expect(sumOf(snapshots, 'AllErrors', { StreamName: 'test-stream' })).toBe(1);
    expect(sumOf(snapshots, 'UserRecordsPut', { StreamName: 'test-stream', ShardId: shardIdOf(0) })).toBe(1);
    await producer.close();
  });

  it('samples UserRecordsPending every 200 ms while records are outstanding', async () => {
    const box: { recorder?: MetricsRecorder } = {};
    const { clock, fake, producer } = await startProducer({ metrics: newRecorder(box) });
    const snapshots: MetricsSnapshot[] = [];
    box.recorder!.on('snapshot', (snapshot) => snapshots.push(snapshot));
    fake.putRecordsScript.push('hold');
    void producer.put(rec('a'));
    void producer.put(rec('b'));
    await clock.advance(PENDING_SAMPLE_INTERVAL_MS * 3);
    await box.recorder!.flush();
    const pending = findAll(snapshots, 'UserRecordsPending', { StreamName: 'test-stream' })[0]!;
    expect(pending.count).toBeGreaterThanOrEqual(3);
    expect(pending.max).toBe(2);
    fake.held[0]!.answer();
    await clock.advance(1);
    await producer.close();
  });

  it('publishes only the SUMMARY metrics at SUMMARY, and no shard level at STREAM', async () => {
    const box: { recorder?: MetricsRecorder } = {};
    const { clock, producer } = await startProducer({ metrics: newRecorder(box), metricsLevel: 'SUMMARY', metricsGranularity: 'STREAM' });
    const snapshots: MetricsSnapshot[] = [];
    box.recorder!.on('snapshot', (snapshot) => snapshots.push(snapshot));
    const put = producer.put(rec('a'));
    await clock.advance(200);
    await put;
    await producer.close();
    await box.recorder!.flush();
    const names = new Set(snapshots.flatMap((snapshot) => snapshot.datums.map((datum) => datum.name)));
    expect([...names].sort()).toEqual(['AllErrors', 'BufferingTime', 'KinesisRecordsPut', 'UserRecordsPut']);
    for (const datum of snapshots.flatMap((snapshot) => snapshot.datums)) expect(datum.dimensionSets).toEqual([[], ['StreamName']]);
  });

  it('writes valid EMF lines for the producer: a handful of lines however many records', async () => {
    const lines: string[] = [];
    const box: { recorder?: MetricsRecorder; sinks?: MetricsSink[] } = { sinks: [new EmfSink({ write: (line) => void lines.push(line) })] };
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 4 }, metrics: newRecorder(box) });
    void fake;
    const puts = Array.from({ length: 2_000 }, (_, i) => producer.put(rec(`key-${i}`)));
    await clock.advance(200);
    await Promise.all(puts);
    await producer.close();
    await box.recorder!.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(6);
    for (const line of lines) expect(validateEmf(line)).toEqual([]);
    const total = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((doc) => typeof doc.ShardId === 'string').reduce((sum, doc) => sum + (doc.UserRecordsPut as number), 0);
    expect(total).toBe(2_000);
  });

  it('emits a putRecords event per request, with its entries and an epoch timestamp', async () => {
    const { clock, producer } = await startProducer({ collectMetrics: true });
    const events: PutRecordsEvent[] = [];
    producer.on('putRecords', (event) => events.push(event));
    const put = producer.put(rec('a', 'xyz'));
    await clock.advance(200);
    await put;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ streamName: 'test-stream', errorCode: undefined, records: [{ predictedShardId: shardIdOf(0), shardId: shardIdOf(0), errorCode: undefined, userRecords: 1 }] });
    expect(events[0]!.timestamp).toBeGreaterThanOrEqual(MANUAL_CLOCK_EPOCH_ORIGIN_MS);
    await producer.close();
  });

  it('the metric events carry epoch-millisecond timestamps (not the clock’s arbitrary origin)', async () => {
    const { clock, producer, metrics } = await startProducer({ collectMetrics: true });
    const put = producer.put(rec('a'));
    await clock.advance(200);
    await put;
    expect(metrics.length).toBeGreaterThan(0);
    for (const metric of metrics) {
      expect(metric.timestamp).toBeGreaterThanOrEqual(MANUAL_CLOCK_EPOCH_ORIGIN_MS);
      expect(metric.timestamp).toBeLessThanOrEqual(MANUAL_CLOCK_EPOCH_ORIGIN_MS + clock.now());
    }
    await producer.close();
  });

  it('builds no event and computes no metric when no one listens and no recorder is given', async () => {
    const { clock, producer } = await startProducer();
    const emitted: string[] = [];
    const emit = producer.emit.bind(producer);
    producer.emit = ((name: string, ...args: unknown[]) => {
      emitted.push(name);
      return (emit as (name: string, ...args: unknown[]) => boolean)(name, ...args);
    }) as typeof producer.emit;
    const put = producer.put(rec('a'));
    await clock.advance(200);
    await put;
    expect(emitted.filter((name) => name === 'metric' || name === 'putRecords')).toEqual([]);
    await producer.close();
  });
});

/** A recorder on a clock of its own that never fires: tests publish with flush(). */
function newRecorder(box: { recorder?: MetricsRecorder; sinks?: MetricsSink[] }): MetricsRecorder {
  box.recorder = new MetricsRecorder({ clock: new ManualClock(), intervalMs: 3_600_000, sinks: box.sinks });
  return box.recorder;
}
