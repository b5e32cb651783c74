import { defineMetric, type MetricDefinition } from '../MetricDefinition';

/** The KCL's OpenTelemetry instrument prefix (KCL 3.5+). */
export const KCL_OTEL_PREFIX = 'aws.kinesis.client.';

const kcl = (name: string, unit: MetricDefinition['unit'], level: MetricDefinition['level'], kind: MetricDefinition['kind'], description: string): MetricDefinition =>
  defineMetric(KCL_OTEL_PREFIX, name, unit, level, kind, description);

const success = (what: string): MetricDefinition => kcl('Success', 'Count', 'SUMMARY', 'counter', `1 per ${what} that succeeded, 0 per one that failed.`);
const time = (what: string): MetricDefinition => kcl('Time', 'Milliseconds', 'SUMMARY', 'histogram', `Time of each ${what}.`);

/**
 * The KCL's metrics by operation (the `Operation` dimension), as the Java KCL publishes them: the
 * namespace is the application name. Every operation has `Success` and `Time`. Per-shard operations
 * carry `ShardId`, per-worker ones `WorkerIdentifier` ({@link KCL_OPERATION_DIMENSIONS}).
 */
export const KCL_METRICS = Object.freeze({
  ProcessTask: Object.freeze({
    RecordsProcessed: kcl('RecordsProcessed', 'Count', 'SUMMARY', 'counter', 'Records handed to processRecords.'),
    DataBytesProcessed: kcl('DataBytesProcessed', 'Bytes', 'SUMMARY', 'histogram', 'Bytes of data handed to each processRecords call.'),
    MillisBehindLatest: kcl('MillisBehindLatest', 'Milliseconds', 'SUMMARY', 'histogram', "How far the shard's reading is behind its tip, per batch (GetRecords' MillisBehindLatest)."),
    'RecordProcessor.processRecords.Time': kcl('RecordProcessor.processRecords.Time', 'Milliseconds', 'SUMMARY', 'histogram', "Time of the processor's processRecords, retries included."),
    ExpiredIterator: kcl('ExpiredIterator', 'Count', 'SUMMARY', 'counter', 'GetRecords calls answered ExpiredIteratorException.'),
    'KinesisDataFetcher.getRecords.Success': kcl('KinesisDataFetcher.getRecords.Success', 'Count', 'DETAILED', 'counter', '1 per GetRecords call that succeeded, 0 per one that failed.'),
    'KinesisDataFetcher.getRecords.Time': kcl('KinesisDataFetcher.getRecords.Time', 'Milliseconds', 'DETAILED', 'histogram', 'Time of each GetRecords call.'),
    Success: success('batch processed'),
    Time: time('batch: processRecords and the work around it'),
  }),
  RenewAllLeases: Object.freeze({
    'RenewLease.Success': kcl('RenewLease.Success', 'Count', 'DETAILED', 'counter', '1 per lease renewal that succeeded, 0 per one that failed.'),
    'RenewLease.Time': kcl('RenewLease.Time', 'Milliseconds', 'DETAILED', 'histogram', 'Time of each lease renewal (retries included).'),
    CurrentLeases: kcl('CurrentLeases', 'Count', 'SUMMARY', 'gauge', 'Leases the worker holds after a renewal round.'),
    LostLeases: kcl('LostLeases', 'Count', 'SUMMARY', 'counter', 'Leases lost since the previous renewal round, whatever the cause (each also logged at warn).'),
    Success: success('renewal round in which every renewal succeeded'),
    Time: time('renewal round, until its last renewal settles'),
  }),
  TakeLeases: Object.freeze({
    'ListLeases.Success': kcl('ListLeases.Success', 'Count', 'DETAILED', 'counter', '1 per scan of the lease table that succeeded, 0 per one that failed.'),
    'ListLeases.Time': kcl('ListLeases.Time', 'Milliseconds', 'DETAILED', 'histogram', 'Time of each scan of the lease table.'),
    'TakeLease.Success': kcl('TakeLease.Success', 'Count', 'DETAILED', 'counter', '1 per lease taken, 0 per take that failed.'),
    'TakeLease.Time': kcl('TakeLease.Time', 'Milliseconds', 'DETAILED', 'histogram', 'Time of each take.'),
    NumWorkers: kcl('NumWorkers', 'Count', 'SUMMARY', 'gauge', 'Workers of the application, as this worker counts them.'),
    NeededLeases: kcl('NeededLeases', 'Count', 'DETAILED', 'counter', 'Leases this worker needs for an even spread.'),
    LeasesToTake: kcl('LeasesToTake', 'Count', 'DETAILED', 'counter', 'Leases this worker tries to take in a round.'),
    TakenLeases: kcl('TakenLeases', 'Count', 'SUMMARY', 'counter', 'Leases taken in a round.'),
    TotalLeases: kcl('TotalLeases', 'Count', 'DETAILED', 'gauge', 'Unfinished leases of the application.'),
    ExpiredLeases: kcl('ExpiredLeases', 'Count', 'SUMMARY', 'gauge', 'Leases no worker holds (unowned or expired), as this worker sees them.'),
    Success: success('taking round'),
    Time: time('taking round'),
  }),
  ShardSyncTask: Object.freeze({
    Success: success('shard sync (ListShards, leases for new shards, clean-up)'),
    Time: time('shard sync'),
  }),
  InitializeTask: Object.freeze({
    'RecordProcessor.initialize.Time': kcl('RecordProcessor.initialize.Time', 'Milliseconds', 'SUMMARY', 'histogram', "Time of the processor factory and the processor's initialize."),
    Success: success('processor initialisation'),
    Time: time('processor initialisation'),
  }),
  ShutdownTask: Object.freeze({
    'RecordProcessor.shutdown.Time': kcl('RecordProcessor.shutdown.Time', 'Milliseconds', 'SUMMARY', 'histogram', "Time of the processor's shardEnded, shutdownRequested or leaseLost."),
    Success: success('shard shutdown'),
    Time: time('shard shutdown'),
  }),
  BlockOnParentTask: Object.freeze({
    Success: success('wait for parent shards'),
    Time: time('wait until every parent shard is finished'),
  }),
} satisfies Record<string, Record<string, MetricDefinition>>);

/** A KCL operation (the `Operation` dimension's value). */
export type KclOperation = keyof typeof KCL_METRICS;

/** The dimensions each operation's metrics carry besides `Operation`, as the Java KCL adds them. */
export const KCL_OPERATION_DIMENSIONS: Readonly<Record<KclOperation, readonly ('ShardId' | 'WorkerIdentifier')[]>> = Object.freeze({
  ProcessTask: ['ShardId'],
  RenewAllLeases: ['WorkerIdentifier'],
  TakeLeases: ['WorkerIdentifier'],
  ShardSyncTask: [],
  InitializeTask: [],
  ShutdownTask: [],
  BlockOnParentTask: [],
});

/**
 * The application-level lag: `MillisBehindLatest` with the `Operation` dimension only
 * (`ProcessTask`), the largest of the shards this worker holds, recorded with every batch. Its
 * CloudWatch Maximum over the namespace is the application's lag.
 */
export const KCL_APPLICATION_LAG: MetricDefinition = kcl('MillisBehindLatest', 'Milliseconds', 'SUMMARY', 'histogram', 'The largest MillisBehindLatest of the shards the worker holds (no ShardId dimension).');

/** The KCL's dimension names. */
export const KCL_DIMENSIONS = Object.freeze(['Operation', 'ShardId', 'WorkerIdentifier'] as const);
