import { resolve } from 'node:path';
import { AWS_FLAGS, AWS_FLAGS_USAGE, resolveAwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { integerFlag, parseFlags } from '../parseFlags';
import { DEMO_DEFAULTS, resolveDemoOptions, type ChaosStep, type DemoOptions } from '../demo/DemoOptions';
import { LOG_FLAGS, LOG_FLAGS_USAGE, cliLogger, logSettingsFromFlags } from '../logging/cliLogger';
import { METRICS_FLAGS, METRICS_FLAGS_USAGE, metricsSettingsFromFlags, startCliMetrics } from '../metrics/cliMetrics';
import { testingInstalled, testingMissing } from '../optional/testingPackage';

const FLAGS = {
  records: { type: 'string' },
  shards: { type: 'string' },
  workers: { type: 'string' },
  duration: { type: 'string' },
  rate: { type: 'string' },
  chaos: { type: 'string' },
  'failover-ms': { type: 'string' },
  'drain-timeout': { type: 'string' },
  seed: { type: 'string' },
  sources: { type: 'string' },
  'keys-per-source': { type: 'string' },
  stream: { type: 'string' },
  bucket: { type: 'string' },
  'postgres-url': { type: 'string' },
  dashboard: { type: 'boolean' },
  ...LOG_FLAGS,
  ...METRICS_FLAGS,
  ...AWS_FLAGS,
} as const;

const USAGE = `Usage: kinesis-toolkit demo [flags]

The whole toolkit end to end, with no AWS account: starts a local Kinesis, DynamoDB, S3 and
PostgreSQL; produces records with the KPL (aggregated, skewed keys from several sources) into a
new stream; runs worker processes (KCL + connector pipeline) that write to S3 and PostgreSQL, and
a KDA SQL application (analytics, on the KCL) counting records per source per 10 s window;
meanwhile splits a shard, merges two, kill -9s a worker and starts it again. Then it reads both
sinks back and checks them against every acknowledged put (nothing lost, duplicates counted,
per-key order kept) and the SQL counts against the sinks (exactly). Exit code 0 only when every
check passes.

Run:
  --records N            user records to produce (default ${DEMO_DEFAULTS.records})
  --shards N             shards of the demo's stream (default ${DEMO_DEFAULTS.shards})
  --workers N            worker processes (default ${DEMO_DEFAULTS.workers})
  --rate N               records per second the producer sends, 0 = as fast as it can (default ${DEMO_DEFAULTS.ratePerSecond})
  --duration T           stop producing after T (e.g. 30, 30s, 2m) even if --records are not all
                         sent; the check then covers what was sent (default: no limit)
  --chaos LIST           what to disrupt: split,merge,kill or none
                         (default split,merge,kill; kill only with --stream)
  --failover-ms MS       lease failover time: a killed worker's shards move after it (default ${DEMO_DEFAULTS.failoverTimeMs})
  --drain-timeout T      how long to wait after producing for every record to arrive (default ${DEMO_DEFAULTS.drainTimeoutMs / 1000}s)
  --sources N            synthetic sources, 1-8 (default ${DEMO_DEFAULTS.sources})
  --keys-per-source N    partition keys per source, Zipf-skewed (default ${DEMO_DEFAULTS.keysPerSource})
  --seed N               seed of the key sequence (default ${DEMO_DEFAULTS.seed})
  --dashboard            serve the live dashboard of the run (prints its URL; waits up to 60 s for the
                         page to be opened, then runs): watch the split, the merge and the takeover

Against AWS (no local stack; charges apply):
  --stream NAME          use this stream (created with --shards if missing, then deleted)
  --bucket NAME          S3 sink: objects under kinesis-toolkit-demo/<run>/ (kept)
  --postgres-url URL     PostgreSQL sink: table kt_demo_<run> (kept); without it, no PostgreSQL sink
  At least one of --bucket and --postgres-url. The run's lease table is deleted at the end.

${LOG_FLAGS_USAGE}
  (the workers' and the producer's log; the demo's own progress goes to stdout)

${METRICS_FLAGS_USAGE}
  (the producer's metrics, and each worker process's — the KCL's and the connector's — of its own:
  emf:PATH → PATH with the worker id before the extension (m.emf → m.worker-1.emf); emf:- →
  stdout, whole lines; prometheus:PORT → the producer at PORT, the n-th worker started (a
  restarted one too) at PORT+n; cloudwatch → CloudWatch, the KCL's WorkerIdentifier dimension
  telling the workers apart)

Needs @kinesis-toolkit/testing (the local stack), an optional peer dependency of the CLI.

${AWS_FLAGS_USAGE}
`;

/** `kinesis-toolkit demo`: the end-to-end demo (see `runDemo`). */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'the end-to-end demo: producer → stream → workers → S3 and PostgreSQL, verified',
  usage: USAGE,
  async run(context: CommandContext): Promise<number> {
    const { values } = parseFlags('demo', context.argv, FLAGS);
    const log = logSettingsFromFlags('demo', values);
    const text = (name: string) => values[name] as string | undefined;
    const options: DemoOptions = {
      records: integerFlag('demo', 'records', text('records'), DEMO_DEFAULTS.records),
      shards: integerFlag('demo', 'shards', text('shards'), DEMO_DEFAULTS.shards),
      workers: integerFlag('demo', 'workers', text('workers'), DEMO_DEFAULTS.workers),
      ratePerSecond: integerFlag('demo', 'rate', text('rate'), DEMO_DEFAULTS.ratePerSecond, 0),
      durationMs: durationFlag('duration', text('duration')) ?? DEMO_DEFAULTS.durationMs,
      chaos: chaosFlag(text('chaos')),
      failoverTimeMs: integerFlag('demo', 'failover-ms', text('failover-ms'), DEMO_DEFAULTS.failoverTimeMs),
      drainTimeoutMs: durationFlag('drain-timeout', text('drain-timeout')) ?? DEMO_DEFAULTS.drainTimeoutMs,
      sources: integerFlag('demo', 'sources', text('sources'), DEMO_DEFAULTS.sources),
      keysPerSource: integerFlag('demo', 'keys-per-source', text('keys-per-source'), DEMO_DEFAULTS.keysPerSource),
      seed: integerFlag('demo', 'seed', text('seed'), DEMO_DEFAULTS.seed, 0),
      streamName: text('stream'),
      bucket: text('bucket'),
      postgresUrl: text('postgres-url'),
    };
    let resolved;
    try {
      resolved = resolveDemoOptions(options);
    } catch (error) {
      if (error instanceof TypeError) throw new CliError(`${flagNames(error.message)}. Run \`kinesis-toolkit demo --help\` for the flags.`);
      throw error;
    }
    const aws = resolveAwsSettings(values, context.env);
    if (!resolved.local && aws.region === undefined) throw new CliError('--stream runs against AWS and needs a region: pass --region or set AWS_REGION.');
    if (!testingInstalled()) throw testingMissing('demo');
    // Loaded only now: the demo's modules import @kinesis-toolkit/testing.
    const { runDemo } = await import('../demo/runDemo');
    const logger = cliLogger('demo', log, context.stderr);
    const metricsSettings = metricsSettingsFromFlags('demo', values);
    const metrics = await startCliMetrics(metricsSettings, { cwd: context.cwd, stdout: context.stdout, region: aws.region, env: context.env, logger });
    // The workers run in processes of their own: the same targets, each worker's own file or port.
    const workerMetrics = { ...metricsSettings, targets: metricsSettings.targets.map((target) => (target.kind === 'emf' && target.path !== '-' ? { ...target, path: resolve(context.cwd, target.path) } : target)) };
    if (metrics.prometheusUrls.length > 0) context.stdout.write(`producer metrics: ${metrics.prometheusUrls.join(' ')}\n`);
    try {
      return await runDemo(resolved, {
        stdout: context.stdout,
        stderr: context.stderr,
        env: context.env,
        signal: context.signal,
        aws,
        log,
        logger,
        dashboard: values.dashboard === true,
        ...(metrics.recorder !== undefined ? { metrics: metrics.recorder, workerMetrics } : {}),
      });
    } finally {
      await metrics.close();
    }
  },
};

/** `90`, `90s`, `1500ms`, `2m` → milliseconds; undefined when not given. */
function durationFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)(ms|s|m)?$/.exec(value.trim());
  if (match === null) throw new CliError(`--${flag} must be a duration like 30, 30s, 1500ms or 2m, got ${JSON.stringify(value)}. Run \`kinesis-toolkit demo --help\` for the flags.`);
  const amount = Number(match[1]);
  return match[2] === 'ms' ? amount : match[2] === 'm' ? amount * 60_000 : amount * 1000;
}

function chaosFlag(value: string | undefined): ChaosStep[] | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === 'none') return [];
  return value.split(',').map((step) => step.trim()) as ChaosStep[];
}

/** Option names in a resolveDemoOptions message, as the flags the user typed. */
function flagNames(message: string): string {
  const names: Record<string, string> = {
    records: '--records',
    shards: '--shards',
    workers: '--workers',
    durationMs: '--duration',
    ratePerSecond: '--rate',
    chaos: '--chaos',
    failoverTimeMs: '--failover-ms',
    drainTimeoutMs: '--drain-timeout',
    sources: '--sources',
    keysPerSource: '--keys-per-source',
    seed: '--seed',
    streamName: '--stream',
    bucket: '--bucket',
    postgresUrl: '--postgres-url',
    'bucket / postgresUrl': '--bucket / --postgres-url',
  };
  return message.replace(/^([A-Za-z /]+):/, (whole, name: string) => (names[name] !== undefined ? `${names[name]}:` : whole));
}
