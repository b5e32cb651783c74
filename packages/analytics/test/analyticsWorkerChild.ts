// An AnalyticsWorker in its own node process, for the kill -9 test. It runs the BUILT packages
// (@kinesis-toolkit/* resolve to packages/*/dist), so run `npm run build` first;
// test/AnalyticsWorkerProcess.ts checks that. Options come as JSON in argv[2]; progress is
// reported to the parent over IPC every 100 ms. Exits when the parent goes away.
import { AnalyticsWorker } from '@kinesis-toolkit/analytics';
import { createDynamoDBClient, createKinesisClient, createS3Client } from '@kinesis-toolkit/testing';
import type { AnalyticsWorkerMessage, AnalyticsWorkerProcessOptions } from './analyticsWorkerProtocol';

type Unstamped<M> = M extends AnalyticsWorkerMessage ? Omit<M, 'at'> : never;
const options = JSON.parse(process.argv[2] ?? '{}') as AnalyticsWorkerProcessOptions;
const report = (message: Unstamped<AnalyticsWorkerMessage>) => {
  if (process.connected) process.send?.({ ...message, at: Date.now() });
};

async function main(): Promise<void> {
  const worker = new AnalyticsWorker({
    config: options.config,
    kinesisClient: createKinesisClient(options.kinesisEndpoint),
    dynamoClient: createDynamoDBClient(options.dynamodbEndpoint),
    s3Client: createS3Client(options.s3Endpoint),
    worker: { workerId: options.workerId, failoverTimeMs: options.failoverTimeMs, idleTimeBetweenReadsMs: 200 },
    application: { idleWindowCloseMs: options.idleWindowCloseMs, idleCheckIntervalMs: 100 },
  });
  worker.worker.on('leaseTaken', (event) => report({ type: 'leaseTaken', shardId: event.shardId }));
  try {
    await worker.start();
  } catch (error) {
    report({ type: 'startFailed', error: String(error) });
    process.exit(1);
  }
  report({ type: 'started' });
  setInterval(() => {
    const { application } = worker;
    report({ type: 'progress', rowsIn: application.rowsIn, rowsOut: application.rowsOut, openWindowFrom: application.engine.earliestNeededRowtime() ?? null, heldShards: worker.worker.heldShards });
  }, 100);
}

process.on('disconnect', () => process.exit(2));
void main();
