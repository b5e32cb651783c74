import type { Writable } from 'node:stream';
import { explainAwsError } from '../awsErrors';
import { AWS_FLAGS, AWS_FLAGS_USAGE, kinesisClientFor, resolveAwsSettings, type AwsFlagValues } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { formatRecord, RECORD_FORMATS, type RecordFormat } from '../consume/formatRecord';
import { runPipelineFromConfig } from '../consume/runPipelineFromConfig';
import { StreamReader, type StartPosition } from '../consume/StreamReader';
import { integerFlag, parseFlags, stringFlag, stringsFlag } from '../parseFlags';
import { LOG_FLAGS, LOG_FLAGS_USAGE, cliLogger, logSettingsFromFlags } from '../logging/cliLogger';
import { METRICS_FLAGS, METRICS_FLAGS_USAGE, metricsSettingsFromFlags } from '../metrics/cliMetrics';

const FLAGS = {
  stream: { type: 'string' },
  shard: { type: 'string', multiple: true },
  position: { type: 'string' },
  timestamp: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
  'until-idle': { type: 'boolean' },
  'no-follow': { type: 'boolean' },
  'poll-interval-ms': { type: 'string' },
  config: { type: 'string' },
  ...LOG_FLAGS,
  ...METRICS_FLAGS,
  ...AWS_FLAGS,
} as const;

const USAGE = `Usage: kinesis-toolkit consume --stream NAME [--position P] [--limit N] [--format F] [--until-idle]
       kinesis-toolkit consume --config pipeline.json

Prints the records of a stream, de-aggregated (KPL aggregates become their user records), as
they arrive; or, with --config, runs a KCL worker with a connector pipeline (see the README).

Reading a stream:
  --stream NAME            the stream (required)
  --position P             TRIM_HORIZON | LATEST | AT_TIMESTAMP (default LATEST;
                           AT_TIMESTAMP when --timestamp is given)
  --timestamp ISO          start at this time, e.g. 2024-05-01T12:00:00Z
  --shard ID               read only this shard (repeatable) and stop at its end; default:
                           every shard, children after their parents (splits and merges)
  --limit N                stop after N records
  --format F               json (default): one JSON object per line (shardId, sequenceNumber,
                           subSequenceNumber, partitionKey, aggregated, approximateArrivalTimestamp,
                           data, encoding = utf8 | base64); text: one aligned line per record;
                           raw: the data bytes, each followed by a newline
  --until-idle, --no-follow  stop once every shard is caught up, instead of following
  --poll-interval-ms N     pause between polls of a caught-up shard (default 1000)
Stops on Ctrl-C (exit 0), after --limit records, or when idle with --until-idle.

Running a pipeline:
  --config FILE            a JSON pipeline config: stream, application name, initial position,
                           transformer, buffer, emitter (s3 | dynamodb | postgres | http | stdout |
                           file); checks first that the stream, bucket, table, file, endpoint or
                           database it names is there (one line and exit code 1 if not); Ctrl-C
                           checkpoints, releases the leases and exits 0; a fatal worker error
                           exits 1

${METRICS_FLAGS_USAGE}
  With --config: the worker's (KCL) and the pipeline's (connector) metrics.

${LOG_FLAGS_USAGE}

${AWS_FLAGS_USAGE}
`;

/** `kinesis-toolkit consume`: print a stream's records, or run a connector pipeline from a config file. */
export const consumeCommand: Command = {
  name: 'consume',
  summary: 'print de-aggregated records from a stream, or run a connector pipeline (--config)',
  usage: USAGE,
  run: runConsume,
};

async function runConsume(context: CommandContext): Promise<number> {
  const { values } = parseFlags('consume', context.argv, FLAGS);
  const log = logSettingsFromFlags('consume', values);
  const metricsSettings = metricsSettingsFromFlags('consume', values);
  const config = stringFlag(values, 'config');
  if (config !== undefined) {
    const readerFlags = ['stream', 'shard', 'position', 'timestamp', 'limit', 'format', 'until-idle', 'no-follow', 'poll-interval-ms'].filter((flag) => values[flag] !== undefined);
    if (readerFlags.length > 0) {
      throw new CliError(`--config takes the stream and position from the file; drop ${readerFlags.map((flag) => `--${flag}`).join(', ')}.`);
    }
    return runPipelineFromConfig(config, context, values as AwsFlagValues, cliLogger('consume', log, context.stderr), undefined, metricsSettings);
  }
  if (metricsSettings.targets.length > 0) {
    throw new CliError('--metrics goes with --config (a KCL worker and a connector pipeline publish metrics; printing a stream does not). Run `kinesis-toolkit consume --help` for the flags.');
  }

  const streamName = stringFlag(values, 'stream');
  if (streamName === undefined) throw new CliError('--stream NAME is required (or --config FILE). Run `kinesis-toolkit consume --help` for the flags.');
  const start = startPosition(stringFlag(values, 'position'), stringFlag(values, 'timestamp'));
  const format = recordFormat(stringFlag(values, 'format'));
  const limit = values.limit === undefined ? Infinity : integerFlag('consume', 'limit', stringFlag(values, 'limit'), 1);
  const idlePollIntervalMs = integerFlag('consume', 'poll-interval-ms', stringFlag(values, 'poll-interval-ms'), 1_000, 1);

  const settings = resolveAwsSettings(values as AwsFlagValues, context.env);
  const client = kinesisClientFor(settings);
  let printed = 0;
  const reader = new StreamReader({
    client,
    streamName,
    start,
    shardIds: stringsFlag(values, 'shard'),
    idlePollIntervalMs,
    stopWhenCaughtUp: values['until-idle'] === true || values['no-follow'] === true,
    signal: context.signal,
    onWarning: (message) => context.stderr.write(`kinesis-toolkit consume: warning: ${message}\n`),
    onRecords: async ({ shardId, records }) => {
      const take = records.slice(0, limit - printed);
      printed += take.length;
      await write(context.stdout, Buffer.concat(take.map((record) => formatRecord(format, shardId, record))));
      return printed >= limit ? 'stop' : undefined;
    },
  });
  try {
    await reader.run();
  } catch (error) {
    throw explainAwsError(error, {
      service: 'Kinesis',
      endpointFlag: 'kinesis-endpoint',
      endpoint: settings.kinesisEndpoint,
      region: settings.region,
      resource: `stream "${streamName}"`,
      whenMissing: 'create it',
    });
  } finally {
    client.destroy();
  }
  return 0;
}

function startPosition(position: string | undefined, timestamp: string | undefined): StartPosition {
  const type = position?.toUpperCase() ?? (timestamp !== undefined ? 'AT_TIMESTAMP' : 'LATEST');
  if (type !== 'TRIM_HORIZON' && type !== 'LATEST' && type !== 'AT_TIMESTAMP') {
    throw new CliError(`--position must be TRIM_HORIZON, LATEST or AT_TIMESTAMP, got ${JSON.stringify(position)}.`);
  }
  if (type !== 'AT_TIMESTAMP') {
    if (timestamp !== undefined) throw new CliError(`--timestamp goes with --position AT_TIMESTAMP, not ${type}.`);
    return { type };
  }
  if (timestamp === undefined) throw new CliError('--position AT_TIMESTAMP needs --timestamp ISO (e.g. 2024-05-01T12:00:00Z).');
  // Date.parse accepts more than ISO 8601; insist on a date-time that says what it means.
  const parsed = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(timestamp) ? new Date(timestamp) : undefined;
  if (parsed === undefined || Number.isNaN(parsed.getTime())) {
    throw new CliError(`--timestamp must be an ISO 8601 date-time like 2024-05-01T12:00:00Z, got ${JSON.stringify(timestamp)}.`);
  }
  return { type, timestamp: parsed };
}

function recordFormat(format: string | undefined): RecordFormat {
  if (format === undefined) return 'json';
  if (!(RECORD_FORMATS as readonly string[]).includes(format)) {
    throw new CliError(`--format must be ${RECORD_FORMATS.join(', ')}, got ${JSON.stringify(format)}.`);
  }
  return format as RecordFormat;
}

/** Writes and waits for the stream to drain when it is full, so a slow reader slows us down. */
function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (chunk.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    if (stream.write(chunk)) done();
    else stream.once('drain', () => done());
  });
}
