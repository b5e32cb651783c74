import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { AWS_FLAGS, AWS_FLAGS_USAGE, resolveAwsSettings, type AwsFlagValues } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { DASHBOARD_DEFAULTS, THROUGHPUT_MODES, type DashboardOptions, type ThroughputMode } from '../dashboard/DashboardOptions';
import { startDashboard } from '../dashboard/startDashboard';
import { LOG_FLAGS, LOG_FLAGS_USAGE, cliLogger, logSettingsFromFlags } from '../logging/cliLogger';
import { integerFlag, parseFlags, stringFlag } from '../parseFlags';

const FLAGS = {
  stream: { type: 'string' },
  application: { type: 'string' },
  app: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'allow-remote': { type: 'boolean' },
  'refresh-ms': { type: 'string' },
  'lag-interval-ms': { type: 'string' },
  throughput: { type: 'string' },
  'failover-ms': { type: 'string' },
  ...LOG_FLAGS,
  ...AWS_FLAGS,
} as const;

const D = DASHBOARD_DEFAULTS;

const USAGE = `Usage: kinesis-toolkit dashboard --stream NAME --application NAME [--port P] [--host 127.0.0.1]

Serves a live web page about a stream and the KCL application reading it, until Ctrl-C: the shard
lineage (open and closed shards, hash ranges, parents and children), each lease's owner,
checkpoint and lag, the workers, and per-shard throughput over the last minutes. It reads only
Kinesis and the lease table (the Java KCL 2.x format, so Java applications work too); prints the
URL and does not open a browser.

Flags:
  --stream NAME          the stream (required)
  --application NAME     the KCL application = its lease table (required; --app also works)
  --port P               port of the page (default ${D.port}: a free port, printed)
  --host ADDRESS         address to listen on (default ${D.host}); only loopback addresses
                         unless --allow-remote
  --allow-remote         listen on a non-loopback address: the page has no login, and anyone who
                         reaches it sees the stream's shards, the lease table and the worker names
  --refresh-ms MS        read the shard list and the lease table this often (default ${D.refreshIntervalMs})
  --lag-interval-ms MS   measure each lease's lag again after this long (default ${D.lagIntervalMs}; one
                         GetShardIterator + one GetRecords each, at most ${D.lagProbesPerSecond} measurements per second)
  --throughput MODE      tail: read each open shard's tip every ${D.throughputIntervalMs / 1000} s to count what arrives (one more
                         reader of every shard: it shares the shards' read limits); off: no throughput
                         (default ${D.throughput})
  --failover-ms MS       the application's failover time: a worker whose lease counters have not moved
                         for this long is shown as silent (default ${D.failoverTimeMs}, the KCL's default)

${LOG_FLAGS_USAGE}

${AWS_FLAGS_USAGE}
`;

/** `kinesis-toolkit dashboard`: the live web dashboard of a stream and its KCL application. */
export const dashboardCommand: Command = {
  name: 'dashboard',
  summary: 'serve a live web page: shard lineage, lease owners, checkpoints, lag, workers, throughput',
  usage: USAGE,
  run: runDashboard,
};

async function runDashboard(context: CommandContext): Promise<number> {
  const { values } = parseFlags('dashboard', context.argv, FLAGS);
  const streamName = stringFlag(values, 'stream');
  const applicationName = stringFlag(values, 'application') ?? stringFlag(values, 'app');
  if (streamName === undefined) throw new CliError('--stream NAME is required. Run `kinesis-toolkit dashboard --help` for the flags.');
  if (applicationName === undefined) throw new CliError('--application NAME (the KCL application name, which names its lease table) is required.');
  const throughput = stringFlag(values, 'throughput');
  if (throughput !== undefined && !(THROUGHPUT_MODES as readonly string[]).includes(throughput)) {
    throw new CliError(`--throughput: expected one of ${THROUGHPUT_MODES.join(', ')}, got ${JSON.stringify(throughput)}.`);
  }
  const host = stringFlag(values, 'host');
  const log = logSettingsFromFlags('dashboard', values);
  const options: DashboardOptions = {
    streamName,
    applicationName,
    ...(host !== undefined ? { host } : {}),
    port: integerFlag('dashboard', 'port', stringFlag(values, 'port'), D.port, 0),
    allowRemote: values['allow-remote'] === true,
    refreshIntervalMs: integerFlag('dashboard', 'refresh-ms', stringFlag(values, 'refresh-ms'), D.refreshIntervalMs),
    lagIntervalMs: integerFlag('dashboard', 'lag-interval-ms', stringFlag(values, 'lag-interval-ms'), D.lagIntervalMs),
    ...(throughput !== undefined ? { throughput: throughput as ThroughputMode } : {}),
    failoverTimeMs: integerFlag('dashboard', 'failover-ms', stringFlag(values, 'failover-ms'), D.failoverTimeMs),
    logger: cliLogger('dashboard', log, context.stderr),
  };
  const settings = resolveAwsSettings(values as AwsFlagValues, context.env);
  let dashboard;
  try {
    dashboard = await startDashboard(settings, options);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new CliError(`${flagNames(error.message)}. Run \`kinesis-toolkit dashboard --help\` for the flags.`);
    throw error;
  }
  try {
    context.stdout.write(`Dashboard of stream ${streamName} and application ${applicationName}: ${dashboard.url}\n`);
    for (const problem of dashboard.monitor.snapshot().problems) context.stderr.write(`kinesis-toolkit dashboard: warning: ${problem.message}\n`);
    context.stdout.write('Open it in a browser; Ctrl-C stops it.\n');
    await aborted(context.signal);
  } finally {
    await dashboard.close();
  }
  return 0;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Option names in a resolveDashboardOptions or lease store message, as the flags the user typed. */
function flagNames(message: string): string {
  const names: Record<string, string> = {
    streamName: '--stream',
    applicationName: '--application',
    tableName: '--application',
    host: '--host',
    port: '--port',
    refreshIntervalMs: '--refresh-ms',
    lagIntervalMs: '--lag-interval-ms',
    failoverTimeMs: '--failover-ms',
    throughput: '--throughput',
  };
  return message.replace(/^([A-Za-z]+):/, (whole, name: string) => (names[name] !== undefined ? `${names[name]}:` : whole)).replace(/ unless allowRemote is set/, ' unless --allow-remote is given');
}
