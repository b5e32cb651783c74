import { EventEmitter } from 'node:events';
import { ManualClock, MetricsRecorder, type MetricDatum, type MetricsSnapshot } from '@kinesis-toolkit/core';
import { resolveWorkerOptions, type WorkerOptions } from '../config/WorkerOptions';
import type { WorkerEvents } from '../lifecycle/WorkerEvents';
import { WorkerMetrics } from './WorkerMetrics';

const T = Date.UTC(2025, 0, 1);

function setup(options: Partial<WorkerOptions> = {}) {
  const worker = new EventEmitter<WorkerEvents>();
  const recorder = new MetricsRecorder({ clock: new ManualClock(), intervalMs: 3_600_000 });
  const config = resolveWorkerOptions({ streamName: 's', applicationName: 'orders-app', workerId: 'w-1', processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }), ...options });
  const metrics = new WorkerMetrics(worker, config, recorder);
  const snapshots: MetricsSnapshot[] = [];
  recorder.on('snapshot', (snapshot) => snapshots.push(snapshot));
  const datums = async (): Promise<MetricDatum[]> => {
    await recorder.flush();
    return snapshots.flatMap((snapshot) => snapshot.datums);
  };
  return { worker, metrics, datums };
}

const dims = (datum: MetricDatum) => Object.fromEntries(datum.dimensions.map(({ name, value }) => [name, value]));
const processTask = (shardId: string, records: number, millisBehindLatest: number | undefined) => ({
  operation: 'ProcessTask' as const, shardId, success: true, timestamp: T, durationMs: 7, records, bytes: records * 10, millisBehindLatest, processRecordsTimeMs: 5,
});

describe('WorkerMetrics (the Java KCL metric names)', () => {
  it('records ProcessTask per shard in the application namespace: RecordsProcessed, DataBytesProcessed, MillisBehindLatest, processRecords time, Success, Time', async () => {
    const { worker, datums } = setup();
    worker.emit('operation', processTask('shardId-1', 3, 500));
    worker.emit('operation', processTask('shardId-1', 2, 100));
    const all = await datums();
    const byName = (name: string) => all.filter((datum) => datum.name === name && datum.dimensions.some((d) => d.name === 'ShardId'));
    expect(byName('RecordsProcessed')[0]).toMatchObject({ namespace: 'orders-app', unit: 'Count', sum: 5 });
    expect(dims(byName('RecordsProcessed')[0]!)).toEqual({ Operation: 'ProcessTask', ShardId: 'shardId-1' });
    expect(byName('DataBytesProcessed')[0]).toMatchObject({ unit: 'Bytes', sum: 50, count: 2 });
    expect(byName('MillisBehindLatest')[0]).toMatchObject({ unit: 'Milliseconds', max: 500, min: 100 });
    expect(byName('RecordProcessor.processRecords.Time')[0]).toMatchObject({ sum: 10 });
    expect(byName('Success')[0]).toMatchObject({ count: 2, sum: 2 });
    expect(byName('Time')[0]).toMatchObject({ unit: 'Milliseconds', sum: 14 });
  });

  it('records the application-level MillisBehindLatest, the largest over the shards held, without ShardId', async () => {
    const { worker, datums } = setup();
    worker.emit('operation', processTask('shardId-1', 1, 900));
    worker.emit('operation', processTask('shardId-2', 1, 100));
    worker.emit('leaseLost', { shardId: 'shardId-1', reason: 'renewalDeadlinePassed', consecutiveFailures: 0, renewalInFlight: false, msSinceLastRenewal: 2000 });
    worker.emit('operation', processTask('shardId-2', 1, 50));
    const lag = (await datums()).find((datum) => datum.name === 'MillisBehindLatest' && datum.dimensions.length === 1)!;
    expect(dims(lag)).toEqual({ Operation: 'ProcessTask' });
    // 900 (shard 1), 900 (max of 900 and 100), then 50 once shard 1 was lost.
    expect(lag).toMatchObject({ count: 3, max: 900, min: 50, sum: 1850 });
  });

  it('records the lease operations with WorkerIdentifier, and GetRecords under ProcessTask', async () => {
    const { worker, datums } = setup();
    worker.emit('operation', { operation: 'RenewAllLeases', success: false, timestamp: T, durationMs: 12, currentLeases: 3, lostLeases: 1, renewals: [{ shardId: 'a', success: true, durationMs: 4 }, { shardId: 'b', success: false, durationMs: 9 }] });
    worker.emit('operation', { operation: 'TakeLeases', success: true, timestamp: T, durationMs: 20, listLeases: { success: true, durationMs: 6 }, numWorkers: 2, neededLeases: 1, leasesToTake: 1, takenLeases: 1, totalLeases: 4, expiredLeases: 1, takes: [{ shardId: 'c', success: true, durationMs: 3 }] });
    worker.emit('recordsFetched', { shardId: 'a', success: false, timestamp: T, durationMs: 2, records: 0, millisBehindLatest: undefined, errorCode: 'ExpiredIteratorException' });
    worker.emit('recordsFetched', { shardId: 'a', success: true, timestamp: T, durationMs: 3, records: 5, millisBehindLatest: 0, errorCode: undefined });
    const all = await datums();
    const find = (operation: string, name: string) => all.find((datum) => datum.name === name && dims(datum).Operation === operation)!;
    expect(dims(find('RenewAllLeases', 'CurrentLeases'))).toEqual({ Operation: 'RenewAllLeases', WorkerIdentifier: 'w-1' });
    expect(find('RenewAllLeases', 'CurrentLeases')).toMatchObject({ kind: 'gauge', sum: 3 });
    expect(find('RenewAllLeases', 'LostLeases').sum).toBe(1);
    expect(find('RenewAllLeases', 'RenewLease.Success')).toMatchObject({ count: 2, sum: 1 });
    expect(find('RenewAllLeases', 'Success').sum).toBe(0);
    for (const [name, value] of [['NumWorkers', 2], ['NeededLeases', 1], ['LeasesToTake', 1], ['TakenLeases', 1], ['TotalLeases', 4], ['ExpiredLeases', 1], ['ListLeases.Time', 6], ['TakeLease.Time', 3]] as const) {
      expect([name, find('TakeLeases', name).sum]).toEqual([name, value]);
    }
    expect(find('ProcessTask', 'KinesisDataFetcher.getRecords.Success')).toMatchObject({ count: 2, sum: 1 });
    expect(dims(find('ProcessTask', 'KinesisDataFetcher.getRecords.Time'))).toEqual({ Operation: 'ProcessTask', ShardId: 'a' });
    expect(find('ProcessTask', 'ExpiredIterator').sum).toBe(1);
  });

  it('publishes only the enabled dimensions, and only SUMMARY metrics at SUMMARY', async () => {
    const { worker, datums } = setup({ metricsEnabledDimensions: [], metricsLevel: 'SUMMARY' });
    worker.emit('operation', processTask('shardId-1', 1, 10));
    worker.emit('recordsFetched', { shardId: 'a', success: true, timestamp: T, durationMs: 3, records: 5, millisBehindLatest: 0, errorCode: undefined });
    const all = await datums();
    expect(all.find((datum) => datum.name === 'KinesisDataFetcher.getRecords.Time')).toBeUndefined();
    for (const datum of all) expect(datum.dimensionSets).toEqual([['Operation']]);
  });

  it('stops listening when stopped', async () => {
    const { worker, metrics, datums } = setup();
    metrics.stop();
    expect(worker.listenerCount('operation')).toBe(0);
    worker.emit('operation', processTask('shardId-1', 1, 10));
    expect(await datums()).toEqual([]);
  });
});
