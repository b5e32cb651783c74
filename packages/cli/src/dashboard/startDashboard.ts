import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { sleep } from '@kinesis-toolkit/core';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { awsCall } from '../awsCall';
import { dynamoClientFor, kinesisClientFor, type AwsSettings } from '../awsClients';
import { explainAwsError } from '../awsErrors';
import { CliError } from '../CliError';
import { CallMeter } from './CallMeter';
import { DashboardMonitor } from './DashboardMonitor';
import { resolveDashboardOptions, type DashboardOptions } from './DashboardOptions';
import { DashboardServer } from './DashboardServer';

/** A dashboard that is serving its page. */
export interface RunningDashboard {
  /** The page: `http://127.0.0.1:PORT/`. */
  readonly url: string;
  readonly monitor: DashboardMonitor;
  /**
   * Resolves `true` once a browser has the page open (its event stream connected), `false` after
   * `timeoutMs` or when `signal` fires first.
   */
  waitForViewer(timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Stops the server and the reads, and destroys the clients (idempotent). */
  close(): Promise<void>;
}

/**
 * Starts the live dashboard of `options.streamName` and `options.applicationName` where `settings`
 * point (the local stack or AWS): checks that the stream exists (DescribeStreamSummary; a lease
 * table that does not exist yet is only a problem shown on the page, since the application may
 * start later), reads everything once, then serves the page.
 * @throws InvalidArgumentError for bad options; CliError (exit code 1) when the stream is missing
 * or unreachable, or the address cannot be listened on.
 */
export async function startDashboard(settings: AwsSettings, options: DashboardOptions): Promise<RunningDashboard> {
  const resolved = resolveDashboardOptions(options);
  const meter = new CallMeter(resolved.clock);
  const kinesisClient = kinesisClientFor(settings);
  const dynamoClient = dynamoClientFor(settings);
  const kinesis = meter.wrap(kinesisClient);
  let monitor: DashboardMonitor | undefined;
  let server: DashboardServer | undefined;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await server?.close();
      await monitor?.close();
      kinesisClient.destroy();
      dynamoClient.destroy();
    })());
  try {
    await awsCall(kinesis, new DescribeStreamSummaryCommand({ StreamName: resolved.streamName }), 'Kinesis').catch((error: unknown) => {
      throw explainAwsError(error, {
        service: 'Kinesis',
        endpointFlag: 'kinesis-endpoint',
        endpoint: settings.kinesisEndpoint,
        region: settings.region,
        resource: `stream "${resolved.streamName}"`,
        whenMissing: 'check --stream',
      });
    });
    const leaseStore = new DynamoDBLeaseStore(meter.wrap(dynamoClient), { tableName: resolved.applicationName, logger: resolved.logger });
    monitor = new DashboardMonitor(resolved, { kinesis, leaseStore, callMeter: meter });
    server = new DashboardServer(monitor, { host: resolved.host, port: resolved.port, allowRemote: resolved.allowRemote, clock: resolved.clock });
    await monitor.start();
    const url = await server.listen().catch((error: NodeJS.ErrnoException) => {
      throw new CliError(`cannot listen on ${resolved.host}:${resolved.port}: ${error.code ?? error.message}${error.code === 'EADDRINUSE' ? ' (pick another --port, or 0 for a free one)' : ''}.`, 1);
    });
    const viewer = server.firstViewer;
    const waitForViewer = async (timeoutMs: number, signal?: AbortSignal) => {
      const done = new AbortController();
      const stop = () => done.abort();
      signal?.addEventListener('abort', stop, { once: true });
      try {
        return await Promise.race([viewer.then(() => true), sleep(timeoutMs, { clock: resolved.clock, signal: done.signal }).then(() => false, () => false)]);
      } finally {
        signal?.removeEventListener('abort', stop);
        done.abort();
      }
    };
    return { url, monitor, waitForViewer, close };
  } catch (error) {
    await close();
    throw error;
  }
}
