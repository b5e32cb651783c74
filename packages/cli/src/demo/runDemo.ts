import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { SYSTEM_CLOCK, type Logger, type MetricsRecorder } from '@kinesis-toolkit/core';
import type { MetricsSettings } from '../metrics/cliMetrics';
import type { LogSettings } from '../logging/cliLogger';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { waitFor } from '@kinesis-toolkit/testing';
import { kinesisClientFor, type AwsSettings } from '../awsClients';
import { AnalyticsStage } from './AnalyticsStage';
import { runChaos, type ChaosReport } from './Chaos';
import { DemoError } from './DemoError';
import { startDemoDashboard } from '../dashboard/startDemoDashboard';
import { connectAwsEnvironment, startLocalEnvironment, type DemoEnvironment } from './DemoEnvironment';
import type { ResolvedDemoOptions } from './DemoOptions';
import { DemoProducer, type ProduceResult } from './DemoProducer';
import { demoPassed, formatSummary } from './DemoSummary';
import { ProgressDisplay } from './ProgressDisplay';
import { Resharder } from './Resharder';
import { ShardLineage } from '@kinesis-toolkit/core';
import { SkewedKeys } from './SkewedKeys';
import { verifyAnalytics, type AnalyticsVerification } from './verifyAnalytics';
import { verifyRun } from './verifyRun';
import { WorkerProcess } from './WorkerProcess';
import type { WorkerMessage } from './workerProtocol';
import { childConfig, shardSyncIntervalMs, workerMetricsSettings } from './workerChildConfig';

/** Where a demo run prints, and what it runs against. */
export interface DemoIo {
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly env: NodeJS.ProcessEnv;
  /** Ctrl-C: stop producing, stop the workers gracefully, tear down, exit 130. */
  readonly signal: AbortSignal;
  /** Endpoints and region for AWS mode (`options.streamName`). */
  readonly aws?: AwsSettings;
  /** The compiled worker entry. @defaultValue workerMain.js beside this module */
  readonly workerScript?: string;
  /** Where the workers' log lines go. @defaultValue nowhere */
  readonly stderr?: Writable;
  /** The log level and format of the workers (`--log-level`, `--log-format`). @defaultValue warn, pretty */
  readonly log?: LogSettings;
  /** The producer's logger. @defaultValue none */
  readonly logger?: Logger;
  /** Where the producer's metrics go (`--metrics`). @defaultValue none */
  readonly metrics?: MetricsRecorder;
  /** `--metrics` (EMF paths absolute), which each worker process publishes to as `workerMetricsSettings` says. @defaultValue none */
  readonly workerMetrics?: MetricsSettings;
  /** `--dashboard`: serve the live dashboard of the run (see `startDemoDashboard`). @defaultValue false */
  readonly dashboard?: boolean;
}

const WORKER_START_TIMEOUT_MS = 30_000;
const WORKER_STOP_TIMEOUT_MS = 30_000;
/** After the sinks have everything: how long the analytics stage may take to close its last windows (10 s window + 1 s idle, and slack). */
const ANALYTICS_DRAIN_TIMEOUT_MS = 30_000;
/** How the take of a lease is shown. */
const TAKEN_HOW: Readonly<Record<string, string>> = { handedOver: 'handed over', expired: 'expired', handoffTimedOut: 'handoff timed out', stolen: 'stolen' };
/** Worker events worth a line in the output as they happen. */
const LOGGED_EVENTS = new Set(['leaseLost', 'emitFailed', 'processorError', 'shardError', 'workerError', 'retriesExhausted', 'deadLettered', 'failureSinkFailed', 'transformFailed', 'checkpointFailed']);
/** Worker events that mean records cannot flow: the run fails (exit code 1) with them as problems. */
const FATAL_EVENTS = new Set(['workerError']);

/**
 * Runs the end-to-end demo: producer → stream (resharded under load) → worker processes (one
 * killed and restarted) → S3 and PostgreSQL; then verifies the sinks against what the producer
 * had acknowledged and prints the summary. Resolves with the exit code: 0 only when the
 * verification passed, 130 when interrupted.
 */
export async function runDemo(options: ResolvedDemoOptions, io: DemoIo): Promise<number> {
  const clock = SYSTEM_CLOCK;
  const startedAt = clock.now();
  const workerScript = io.workerScript ?? join(__dirname, 'workerMain.js');
  if (!existsSync(workerScript)) throw new DemoError('NotBuilt', `the demo's worker entry ${workerScript} is missing: build the CLI first (npx tsc -b packages/cli/tsconfig.build.json)`);
  const out = io.stdout;
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // On a shared stream every worker — a restarted one too — and the analytics stage start from the
  // same moment: a lease still at AT_TIMESTAMP means the same records to whoever takes it.
  const startAtMs = startedAt - 60_000;
  const say = (line: string) => out.write(`${line}\n`);

  say(`kinesis-toolkit demo ${runId}: ${options.records.toLocaleString('en-US')} records, ${options.local ? `${options.shards} shards, ` : ''}${options.workers} workers` +
    `, ${options.ratePerSecond > 0 ? `${options.ratePerSecond.toLocaleString('en-US')} records/s` : 'unpaced'}${options.durationMs > 0 ? `, producing for at most ${options.durationMs / 1000} s` : ''}` +
    `; chaos: ${options.chaos.length > 0 ? options.chaos.join(', ') : 'none'}`);
  say(options.local ? 'starting the local stack (kinesalite, dynalite, s3rver) and PostgreSQL…' : 'connecting to AWS…');
  const environment: DemoEnvironment = options.local ? await startLocalEnvironment(options, runId) : await connectAwsEnvironment(options, io.aws ?? emptySettings(), runId, io.signal);

  const workers: WorkerProcess[] = [];
  const stages: AnalyticsStage[] = [];
  const delivered = new Set<string>();
  const warnings: Record<string, number> = {};
  const fatal: string[] = [];
  let display: ProgressDisplay | undefined;
  const log = (line: string) => (display !== undefined ? display.log(line) : say(line));
  let dashboard: { close(): Promise<void> } | undefined;
  try {
    for (const line of environment.description) say(line);
    if (io.dashboard === true) dashboard = await startDemoDashboard(environment, options.failoverTimeMs, say, io.signal);
    const onMessage = (worker: WorkerProcess, message: WorkerMessage) => {
      if (message.type === 'started' && message.metricsUrls !== undefined) log(`${worker.workerId} metrics: ${message.metricsUrls.join(' ')}`);
      if (message.type === 'delivered') for (const id of message.ids) delivered.add(id);
      else if (message.type === 'event') {
        if (message.name === 'leaseTaken' && message.detail !== undefined) {
          log(`${worker.workerId} took ${message.shardId} from ${message.detail}${message.how !== undefined && TAKEN_HOW[message.how] !== undefined ? ` (${TAKEN_HOW[message.how]})` : ''}`);
        }
        if (FATAL_EVENTS.has(message.name)) fatal.push(`${worker.workerId}: ${message.name} ${message.shardId ?? ''} ${message.detail ?? ''}`.trimEnd());
        if (LOGGED_EVENTS.has(message.name)) {
          warnings[message.name] = (warnings[message.name] ?? 0) + 1;
          if (warnings[message.name]! <= 3) log(`${worker.workerId}: ${message.name} ${message.shardId ?? ''} ${message.detail ?? ''}`.trimEnd());
        }
      }
    };
    // The n-th worker started (a restarted one too) publishes its metrics at prometheus PORT + n.
    let workersStarted = 0;
    const workerMetrics = io.workerMetrics ?? { targets: [], intervalMs: 60_000 };
    const emfToStdout = workerMetrics.targets.some((target) => target.kind === 'emf' && target.path === '-');
    const startWorker = async (workerId: string): Promise<WorkerProcess> => {
      const metrics = workerMetricsSettings(workerMetrics, workerId, ++workersStarted);
      const config = { ...childConfig(options, environment, runId, workerId, startAtMs), log: io.log ?? { level: 'warn', format: 'pretty' }, ...(metrics !== undefined ? { metrics } : {}) } as const;
      const worker = new WorkerProcess(config, workerScript, io.env, onMessage, io.stderr, emfToStdout ? out : undefined);
      workers.push(worker);
      await worker.started(WORKER_START_TIMEOUT_MS);
      return worker;
    };
    say(`starting ${options.workers} worker processes and the analytics stage…`);
    const analytics = new AnalyticsStage({
      streamName: environment.streamName,
      applicationName: environment.analyticsApplicationName,
      runId,
      kinesisClient: environment.kinesis,
      dynamoClient: environment.dynamo,
      initialPosition: options.local ? 'TRIM_HORIZON' : { timestamp: new Date(startAtMs) },
      failoverTimeMs: options.failoverTimeMs,
      shardSyncIntervalMs: shardSyncIntervalMs(options),
      ...(io.logger !== undefined ? { logger: io.logger.child({ component: 'analytics' }) } : {}),
    });
    stages.push(analytics);
    await Promise.all([analytics.start(), ...Array.from({ length: options.workers }, (_, i) => startWorker(`worker-${i + 1}`))]);

    const producer = new DemoProducer({
      producer: new KinesisProducer({ streamName: environment.streamName, kinesisClient: kinesisClientFor(environment.aws, 1), preserveOrder: true, ...(io.metrics !== undefined ? { metrics: io.metrics } : {}), ...(io.logger !== undefined ? { logger: io.logger.child({ component: 'producer' }) } : {}) }),
      keys: new SkewedKeys({ sources: options.sources, keysPerSource: options.keysPerSource, seed: options.seed }),
      runId,
      records: options.records,
      ratePerSecond: options.ratePerSecond,
      durationMs: options.durationMs,
    });
    let phase = 'producing';
    let produceResult: ProduceResult | undefined;
    display = new ProgressDisplay({ out, tty: out.isTTY === true, columns: out.columns || 80 });
    display.start(() => ({
      elapsedMs: clock.now() - startedAt,
      phase,
      produced: producer.produced,
      target: options.records,
      delivered: delivered.size,
      workers: workers.map((w) => `${w.workerId}:${w.alive ? w.held.length : 'dead'}`),
    }));

    const stopProducing = () => producer.stop();
    io.signal.addEventListener('abort', stopProducing, { once: true });
    const production = producer.run().then((result) => (produceResult = result));
    const leases = new DynamoDBLeaseStore(environment.dynamo, { tableName: environment.applicationName });
    const resharder = new Resharder(environment.kinesis, environment.streamName, { signal: io.signal });
    const chaos: Promise<ChaosReport> = runChaos({
      steps: options.chaos,
      progress: () => (produceResult !== undefined ? 1 : Math.max(producer.submitted / options.records, options.durationMs > 0 ? (clock.now() - startedAt) / options.durationMs : 0)),
      resharder,
      leases,
      workers: () => workers.filter((w) => w.alive),
      restart: (killed) => startWorker(`${killed.workerId}b`),
      failoverTimeMs: options.failoverTimeMs,
      log,
      signal: io.signal,
    }).catch((error: unknown) => ({ reshards: [], takeover: undefined, problems: io.signal.aborted ? [] : [`chaos: ${String(error)}`] }));

    const produced = await production;
    io.signal.removeEventListener('abort', stopProducing);
    if (!io.signal.aborted) log(`produced ${produced.acknowledged.toLocaleString('en-US')} records in ${(produced.elapsedMs / 1000).toFixed(1)} s${produced.failed > 0 ? ` (${produced.failed} puts FAILED)` : ''}`);
    phase = 'waiting for the chaos steps';
    const chaosReport = await chaos;
    phase = 'draining';
    const problems = [...chaosReport.problems];
    // Checked again after the drain: a worker that failed for good fails the run.
    const fatalProblems = () => fatal.map((line) => `fatal: ${line}`);
    const allDelivered = () => [...producer.acknowledged].every((id) => delivered.has(id));
    await waitFor(allDelivered, { timeoutMs: options.drainTimeoutMs, intervalMs: 200, description: 'every acknowledged record to reach the sinks', signal: io.signal }).catch((error: unknown) => {
      if (!io.signal.aborted) problems.push(`drain: ${String((error as Error).message ?? error)}`);
    });

    // The SQL application emits a window once a later one starts or it has been idle for 1 s.
    phase = 'closing the last analytics windows';
    const counted = () => analytics.recordsCounted >= producer.acknowledged.size;
    await waitFor(counted, { timeoutMs: ANALYTICS_DRAIN_TIMEOUT_MS, intervalMs: 200, description: 'the analytics stage to count every record', signal: io.signal }).catch((error: unknown) => {
      if (!io.signal.aborted) problems.push(`analytics: ${String((error as Error).message ?? error)} (counted ${analytics.recordsCounted.toLocaleString('en-US')})`);
    });
    await analytics.stop();

    phase = 'stopping workers';
    const stopped = await Promise.all(workers.filter((w) => w.alive).map(async (w) => ({ id: w.workerId, graceful: await w.shutdown(WORKER_STOP_TIMEOUT_MS) })));
    for (const { id, graceful } of stopped) if (!graceful) problems.push(`${id} did not shut down gracefully within ${WORKER_STOP_TIMEOUT_MS / 1000} s (killed)`);
    display.stop();
    display = undefined;
    if (io.signal.aborted) {
      say('interrupted: workers stopped, nothing verified.');
      return 130;
    }

    say('verifying: reading back every sink…');
    const lineage = new ShardLineage(await resharder.listShards());
    const { received, ...verification } = await verifyRun(environment, producer.acknowledged, lineage, io.signal);
    const analyticsCheck: AnalyticsVerification = verifyAnalytics(analytics.counts, received);
    const summary = {
      produce: produced,
      ...verification,
      analytics: analyticsCheck,
      takeover: chaosReport.takeover,
      failoverTimeMs: options.failoverTimeMs,
      reshards: chaosReport.reshards,
      problems: [...problems, ...fatalProblems()],
      warnings,
      totalMs: clock.now() - startedAt,
    };
    out.write(formatSummary(summary));
    return demoPassed(summary) ? 0 : 1;
  } finally {
    display?.stop();
    await Promise.all(stages.map((stage) => stage.stop().catch(() => undefined)));
    for (const worker of workers) worker.kill();
    await Promise.all(workers.map((w) => w.exited));
    await dashboard?.close();
    await environment.close();
  }
}

function emptySettings(): AwsSettings {
  return { region: undefined, kinesisEndpoint: undefined, dynamodbEndpoint: undefined, s3Endpoint: undefined, localCredentials: undefined };
}
