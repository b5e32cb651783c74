import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { cliLogger } from '../logging/cliLogger';
import type { EventEmitter } from 'node:events';
// A demo worker in its own process (forked by WorkerProcess.ts): a KCL Worker whose processor
// factory is a connector pipeline — demo records → S3 (JSON lines) and PostgreSQL (rows) through
// a tee. Its config comes as JSON in argv[2]; everything worth showing goes to the parent over
// IPC (workerProtocol.ts). The parent's `shutdown` command (or SIGTERM) → worker.shutdown() (every
// shard flushed and checkpointed, leases released) → pipeline.shutdown() → exit 0. It exits by
// itself when the parent goes away.
import { createPipeline, MappingEmitter, PostgresEmitter, predicateFilter, S3Emitter, S3FailureSink, TeeEmitter, type Emitter } from '@kinesis-toolkit/connector';
import { Worker } from '@kinesis-toolkit/kcl';
import { dynamoClientFor, kinesisClientFor, s3ClientFor } from '../awsClients';
import type { DeliveredRow, DemoRecord } from './DemoRecord';
import { DemoRecordTransformer } from './DemoRecordTransformer';
import { DeliveryEmitter } from './DeliveryEmitter';
import { startCliMetrics } from '../metrics/cliMetrics';
import { POSTGRES_COLUMNS, toPostgresRow } from './postgresTable';
import type { ForwardedEvent, WorkerChildConfig, WorkerCommand, WorkerMessage } from './workerProtocol';

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerChildConfig;
// The worker's log goes to its stderr; the parent copies it to its own (--log-level, --log-format).
const logger: Logger = config.log !== undefined ? cliLogger('demo', config.log, process.stderr).child({ workerId: config.workerId }) : NOOP_LOGGER;

function report(message: WorkerMessage): void {
  if (process.send !== undefined && process.connected) process.send(message);
}

const describeError = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

async function main(): Promise<void> {
  const kinesis = kinesisClientFor(config.aws);
  const dynamo = dynamoClientFor(config.aws);
  const s3 = config.s3 !== undefined ? s3ClientFor(config.aws) : undefined;

  // The demo's --metrics, made this worker's own (a file or port of its own): the KCL's and the connector's metrics.
  const metrics = await startCliMetrics(config.metrics ?? { targets: [], intervalMs: 60_000 }, { cwd: process.cwd(), stdout: process.stdout, region: config.aws.region, env: process.env, logger });
  const recorder = metrics.recorder !== undefined ? { metrics: metrics.recorder } : {};

  const sinks: Emitter<DeliveredRow>[] = [];
  if (config.s3 !== undefined && s3 !== undefined) {
    const s3Emitter = new S3Emitter({ client: s3, bucket: config.s3.bucket, prefix: config.s3.prefix, recordDelimiter: '\n', fileExtension: '.jsonl', contentType: 'application/x-ndjson' });
    sinks.push(new MappingEmitter(s3Emitter, (row: DeliveredRow) => JSON.stringify(row)));
  }
  if (config.postgres !== undefined) {
    const postgresEmitter = new PostgresEmitter({ connectionString: config.postgres.connectionString, table: config.postgres.table, columns: POSTGRES_COLUMNS });
    sinks.push(new MappingEmitter(postgresEmitter, toPostgresRow));
  }

  const pipeline = createPipeline<DemoRecord, DemoRecord>({
    streamName: config.streamName,
    transformer: new DemoRecordTransformer(),
    // A shared stream may carry other runs' records: only this run's reach the sinks.
    filter: predicateFilter((record: DemoRecord) => record.runId === config.runId),
    buffer: { maxRecords: config.bufferMaxRecords, maxAgeMs: config.bufferMaxAgeMs },
    emitter: new DeliveryEmitter(new TeeEmitter(sinks), (ids) => report({ type: 'delivered', ids })),
    ...(config.s3 !== undefined && s3 !== undefined ? { failureSink: new S3FailureSink({ client: s3, bucket: config.s3.bucket, errorPrefix: config.s3.errorPrefix }) } : {}),
    retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2000 },
    logger: logger.child({ component: 'pipeline' }),
    ...recorder,
  });

  const worker = new Worker({
    streamName: config.streamName,
    applicationName: config.applicationName,
    workerId: config.workerId,
    kinesisClient: kinesis,
    dynamoClient: dynamo,
    initialPosition: config.initialPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : { timestamp: new Date(config.initialPosition.timestampMs) },
    failoverTimeMs: config.failoverTimeMs,
    idleTimeBetweenReadsMs: config.idleTimeBetweenReadsMs,
    shardSyncIntervalMs: config.shardSyncIntervalMs,
    parentShardPollIntervalMs: config.parentShardPollIntervalMs,
    processorFactory: pipeline,
    logger: logger.child({ component: 'worker' }),
    ...recorder,
  });

  const forward = (name: ForwardedEvent, shardId: string | undefined, detail?: string, how?: string) =>
    report({ type: 'event', name, ...(shardId !== undefined ? { shardId } : {}), ...(detail !== undefined ? { detail } : {}), ...(how !== undefined ? { how } : {}) });
  worker.on('leaseTaken', (e) => forward('leaseTaken', e.shardId, e.previousOwner, e.how));
  worker.on('leaseLost', (e) => forward('leaseLost', e.shardId, `${e.reason}${e.newOwner !== undefined ? ` (${e.newOwner})` : ''}, ${e.consecutiveFailures} failed renewal(s) in a row, ${e.msSinceLastRenewal} ms since the last`));
  worker.on('shardEnded', (e) => forward('shardEnded', e.shardId, e.childShardIds.join(' ')));
  worker.on('processorError', (e) => forward('processorError', String(e.context.shardId ?? ''), e.message));
  worker.on('shardError', (e) => forward('shardError', String(e.context.shardId ?? ''), e.message));
  (worker as unknown as EventEmitter).on('workerError', (e: Error) => forward('workerError', undefined, e.message));
  pipeline.on('emitFailed', (e) => forward('emitFailed', e.shardId, `${e.failed} items, attempt ${e.attempt}: ${describeError(e.error)}`));
  pipeline.on('retriesExhausted', (e) => forward('retriesExhausted', e.shardId, `${e.records} records: ${describeError(e.error)}`));
  pipeline.on('deadLettered', (e) => forward('deadLettered', e.shardId, `${e.records.length} records`));
  pipeline.on('failureSinkFailed', (e) => forward('failureSinkFailed', e.shardId, describeError(e.error)));
  pipeline.on('transformFailed', (e) => forward('transformFailed', e.shardId, describeError(e.error)));
  pipeline.on('checkpointFailed', (e) => forward('checkpointFailed', e.shardId, describeError(e.error)));

  const heldTimer = setInterval(() => report({ type: 'held', shardIds: worker.heldShards }), 500);
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      const begun = Date.now();
      clearInterval(heldTimer);
      let code = 0;
      try {
        await worker.shutdown();
        await pipeline.shutdown();
      } catch (error) {
        forward('shardError', undefined, `shutdown: ${describeError(error)}`);
        code = 1;
      }
      // The last interval (bounded by --metrics-flush-timeout-ms).
      await metrics.close();
      report({ type: 'stopped', shutdownMs: Date.now() - begun });
      kinesis.destroy();
      dynamo.destroy();
      s3?.destroy();
      // Let the IPC message go out before exiting.
      setImmediate(() => process.exit(code));
    })();
  };
  process.on('message', (command: WorkerCommand) => {
    if (command?.type === 'shutdown') stop();
  });
  process.once('SIGTERM', stop);

  try {
    await worker.start();
  } catch (error) {
    report({ type: 'startFailed', error: describeError(error) });
    setImmediate(() => process.exit(1));
    return;
  }
  report({ type: 'started', pid: process.pid, ...(metrics.prometheusUrls.length > 0 ? { metricsUrls: metrics.prometheusUrls } : {}) });
}

// An orphan must not keep consuming (and holding leases) after the demo is gone.
process.on('disconnect', () => process.exit(2));
void main().catch((error: unknown) => {
  report({ type: 'startFailed', error: describeError(error) });
  setImmediate(() => process.exit(1));
});
