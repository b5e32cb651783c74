import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SYSTEM_CLOCK, withoutUndefined } from '@kinesis-toolkit/core';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { CheckpointFileError } from '@kinesis-toolkit/agent';
import { GlobLister } from '@kinesis-toolkit/agent';
import type { DataProcessingOption } from '@kinesis-toolkit/agent';
import { ProduceAgent } from '@kinesis-toolkit/agent';
import { resolveProduceOptions, type ProduceOptions, type ResolvedProduceOptions } from '@kinesis-toolkit/agent';
import { FLOW_KEYS, readAgentConfig } from '@kinesis-toolkit/agent';
import { awsCall } from '../awsCall';
import { explainAwsError } from '../awsErrors';
import { LOG_FLAGS, LOG_FLAGS_USAGE, cliLogger, logSettingsFromFlags } from '../logging/cliLogger';
import { METRICS_FLAGS, METRICS_FLAGS_USAGE, metricsSettingsFromFlags, startCliMetrics } from '../metrics/cliMetrics';
import { AWS_FLAGS, AWS_FLAGS_USAGE, kinesisClientFor, resolveAwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { parseFlags, stringFlag, stringsFlag, type ParsedFlags } from '../parseFlags';

const FLAGS = {
  stream: { type: 'string' },
  file: { type: 'string', multiple: true },
  'checkpoint-file': { type: 'string' },
  processing: { type: 'string', multiple: true },
  'csv-fields': { type: 'string' },
  'csv-delimiter': { type: 'string' },
  'logtojson-format': { type: 'string' },
  'multi-line-start-pattern': { type: 'string' },
  'file-footer-pattern': { type: 'string' },
  'aggregated-record-size-bytes': { type: 'string' },
  'skip-header-lines': { type: 'string' },
  'truncated-record-terminator': { type: 'string' },
  'partition-key': { type: 'string' },
  'from-start': { type: 'boolean' },
  'poll-interval-ms': { type: 'string' },
  'checkpoint-interval-ms': { type: 'string' },
  'max-record-bytes': { type: 'string' },
  'record-max-buffered-time-ms': { type: 'string' },
  'record-ttl-ms': { type: 'string' },
  config: { type: 'string' },
  once: { type: 'boolean' },
  'exit-when-done': { type: 'boolean' },
  verbose: { type: 'boolean' },
  ...LOG_FLAGS,
  ...METRICS_FLAGS,
  ...AWS_FLAGS,
} as const;

/** The flag that sets each produce option (for messages about the option). */
const FLAG_OF: Readonly<Record<string, string>> = {
  streamName: '--stream',
  files: '--file',
  checkpointFile: '--checkpoint-file',
  dataProcessingOptions: '--processing',
  multiLineStartPattern: '--multi-line-start-pattern',
  fileFooterPattern: '--file-footer-pattern',
  aggregatedRecordSizeBytes: '--aggregated-record-size-bytes',
  skipHeaderLines: '--skip-header-lines',
  truncatedRecordTerminator: '--truncated-record-terminator',
  partitionKey: '--partition-key',
  initialPosition: '--from-start',
  pollIntervalMs: '--poll-interval-ms',
  checkpointIntervalMs: '--checkpoint-interval-ms',
  exitWhenDone: '--once',
  maxRecordBytes: '--max-record-bytes',
  recordMaxBufferedTimeMs: '--record-max-buffered-time-ms',
  recordTtlMs: '--record-ttl-ms',
};

/** LOGTOJSON's formats: given to --log-format, they meant --logtojson-format. */
const LOGTOJSON_FORMATS = ['COMMONAPACHELOG', 'COMBINEDAPACHELOG', 'APACHEERRORLOG', 'SYSLOG'];

const USAGE = `Usage: kinesis-toolkit produce --stream NAME [--file GLOB ...] [flags]

The Kinesis Agent in Node: sends lines from stdin — or from files it tails, following
rotation and checkpointing offsets — to a Kinesis stream through the KPL (KinesisProducer:
aggregation, batching, retries). Each record is one line (or one multi-line record) ending
in "\\n", as the agent sends it.

Input:
  --stream NAME                 the stream to send to (required; or kinesisStream in --config)
  --file GLOB                   tail the files matching GLOB (repeatable; picomatch syntax; quote
                                it). Without --file: read stdin to its end, then exit
  --checkpoint-file PATH        offsets of the tailed files (default
                                .kinesis-toolkit-agent.checkpoints.json in the working directory)
  --from-start                  on a first run (no checkpoint file), read files that already
                                exist from their start (default: from their end, like the agent;
                                files that appear later are always read from their start)
  --once, --exit-when-done      files: exit once everything in them now is acknowledged
  --poll-interval-ms N          pause between two polls of the files (default 250)
  --checkpoint-interval-ms N    write the checkpoint file at most this often (default 1000)
  --config FILE                 an agent.json-style file: {"kinesis.endpoint", "checkpointFile",
                                "flows": [{"filePattern", "kinesisStream", "partitionKeyOption",
                                "dataProcessingOptions", "multiLineStartPattern",
                                "fileFooterPattern", ...}]}; flags win

Records:
  --multi-line-start-pattern RE a record starts at a line RE matches at its start; the lines
                                after it, up to the next match, belong to it
  --file-footer-pattern RE      files: a line RE matches (anywhere; anchor it with ^…$) is the
                                file's footer: it is not sent and nothing after it is read
  --skip-header-lines N         skip the first N lines of each file read from its start
  --processing OPTION           SINGLELINE | CSVTOJSON | LOGTOJSON, applied in the order given
                                (repeatable or comma-separated)
  --csv-fields a,b,c            CSVTOJSON: the JSON field names, in column order
  --csv-delimiter D             CSVTOJSON: the column separator (default ","; "\\t" for a tab)
  --logtojson-format FORMAT     LOGTOJSON: COMMONAPACHELOG | COMBINEDAPACHELOG | APACHEERRORLOG |
                                SYSLOG
  --partition-key MODE          random (default) | deterministic (MD5 of the data) |
                                field:NAME (a field of the JSON record, e.g. field:host)
  --max-record-bytes N          longer records are cut (default 1048064)
  --truncated-record-terminator S  ends a cut record instead of "\\n"
  --aggregated-record-size-bytes N  0 only (the default): joining records into one Firehose
                                record is for delivery streams, and produce sends to a Kinesis
                                stream (the KPL aggregates); use \`kinesis-toolkit agent\` for
                                a deliveryStream flow

Producer:
  --record-max-buffered-time-ms N  longest a record waits in the KPL's buffer (default 100)
  --record-ttl-ms N             a record not acknowledged in this time fails (default 30000)
  --verbose                     the same as --log-level debug: also rotations, truncations and
                                other events

${LOG_FLAGS_USAGE}

${METRICS_FLAGS_USAGE}

${AWS_FLAGS_USAGE}

Every record is acknowledged or reported: a record that fails prints one line on stderr with
its error code, and the exit code is then 1. Ctrl-C / SIGTERM: stop reading, flush, write
the checkpoints (only of acknowledged lines), print a summary, exit. A restart resumes after
the last acknowledged line of each file (device + inode), so nothing is lost or sent twice.
`;

/** `kinesis-toolkit produce`: the Kinesis Agent in Node. */
export const produceCommand: Command = {
  name: 'produce',
  summary: 'send lines from stdin or tailed files (rotation, checkpoints) to a stream — the Kinesis Agent',
  usage: USAGE,
  run: runProduce,
};

async function runProduce(context: CommandContext): Promise<number> {
  const { values } = parseFlags('produce', context.argv, FLAGS);
  const logFormat = stringFlag(values, 'log-format');
  if (logFormat !== undefined && LOGTOJSON_FORMATS.includes(logFormat.toUpperCase())) {
    throw new CliError(`--log-format is the format of the command's own log (pretty | json); for --processing LOGTOJSON use --logtojson-format ${logFormat}.`);
  }
  const log = logSettingsFromFlags('produce', values, values.verbose === true ? { level: 'debug' } : {});
  const metricsSettings = metricsSettingsFromFlags('produce', values);
  const configPath = stringFlag(values, 'config');
  const config = configPath === undefined ? undefined : await usage(() => readAgentConfig(resolve(context.cwd, configPath)));
  // Flags given override the file; flags not given leave its values alone.
  const fromFlags = withoutUndefined(optionsFromFlags(values));
  const fromConfig = config?.options ?? {};
  const nameOf = (option: string): string => {
    if (option in fromFlags) return FLAG_OF[option] ?? option;
    const key = Object.entries(FLOW_KEYS).find(([, mapped]) => mapped === option)?.[0];
    if (option in fromConfig && configPath !== undefined) return `${configPath}: ${key !== undefined ? `flows[0].${key}` : option}`;
    return FLAG_OF[option] ?? option;
  };
  const options = usageSync(() => resolveProduceOptions({ ...fromConfig, ...fromFlags }), nameOf);
  await checkLiteralFiles(options, context.cwd);

  const logger = cliLogger('produce', log, context.stderr);
  const endpointFlag = stringFlag(values, 'kinesis-endpoint');
  const settings = resolveAwsSettings({ region: stringFlag(values, 'region'), 'kinesis-endpoint': endpointFlag ?? config?.kinesisEndpoint }, context.env, {
    ...(endpointFlag === undefined && config?.kinesisEndpoint !== undefined ? { kinesisEndpoint: `${configPath}: "kinesis.endpoint"` } : {}),
  });
  // maxAttempts 1: the producer retries records itself, until their TTL.
  const client = kinesisClientFor(settings, 1);
  const metrics = await startCliMetrics(metricsSettings, { cwd: context.cwd, stdout: context.stdout, region: settings.region, env: context.env, logger });
  try {
    try {
      await awsCall(client, new DescribeStreamSummaryCommand({ StreamName: options.streamName }), 'Kinesis', { signal: context.signal });
    } catch (error) {
      throw explainAwsError(error, {
        service: 'Kinesis',
        endpointFlag: 'kinesis-endpoint',
        endpoint: settings.kinesisEndpoint,
        region: settings.region,
        resource: `stream ${JSON.stringify(options.streamName)}`,
        whenMissing: 'create it (aws kinesis create-stream)',
      });
    }
    const producer = usageSync(
      () =>
        new KinesisProducer({
          streamName: options.streamName,
          kinesisClient: client,
          recordMaxBufferedTimeMs: options.recordMaxBufferedTimeMs,
          recordTtlMs: options.recordTtlMs,
          logger,
          ...(metrics.recorder !== undefined ? { metrics: metrics.recorder } : {}),
        }),
      nameOf,
    );
    const report = (message: string) => context.stderr.write(`kinesis-toolkit produce: ${message}\n`);
    let summary;
    try {
      summary = await new ProduceAgent(options, { producer, stdin: context.stdin, cwd: context.cwd, signal: context.signal, clock: SYSTEM_CLOCK, logger, report, ...(metrics.recorder !== undefined ? { metrics: metrics.recorder } : {}) }).run();
    } catch (error) {
      if (error instanceof CheckpointFileError) throw new CliError(error.message, 1);
      throw error;
    } finally {
      await producer.close();
    }
    const truncated = summary.truncated > 0 ? `, ${summary.truncated} truncated` : '';
    report(`${summary.sent} records sent to ${options.streamName}, ${summary.failed} failed${truncated}${summary.interrupted ? ' (interrupted)' : ''}`);
    return summary.failed > 0 ? 1 : summary.interrupted ? 130 : 0;
  } finally {
    await metrics.close();
    client.destroy();
  }
}

/** The options the flags set (undefined where a flag is absent, so the config file's value stays). */
function optionsFromFlags(values: ParsedFlags['values']): ProduceOptions {
  const integer = (flag: string): number | undefined => {
    const text = stringFlag(values, flag);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(value)) throw new CliError(`--${flag} must be an integer, got ${JSON.stringify(text)}. Run \`kinesis-toolkit produce --help\` for the flags.`);
    return value;
  };
  const files = stringsFlag(values, 'file');
  return {
    streamName: stringFlag(values, 'stream'),
    files: files.length > 0 ? files : undefined,
    checkpointFile: stringFlag(values, 'checkpoint-file'),
    dataProcessingOptions: processingFromFlags(values),
    multiLineStartPattern: stringFlag(values, 'multi-line-start-pattern'),
    fileFooterPattern: stringFlag(values, 'file-footer-pattern'),
    aggregatedRecordSizeBytes: integer('aggregated-record-size-bytes'),
    skipHeaderLines: integer('skip-header-lines'),
    truncatedRecordTerminator: stringFlag(values, 'truncated-record-terminator'),
    partitionKey: stringFlag(values, 'partition-key'),
    initialPosition: values['from-start'] === true ? 'START_OF_FILE' : undefined,
    pollIntervalMs: integer('poll-interval-ms'),
    checkpointIntervalMs: integer('checkpoint-interval-ms'),
    exitWhenDone: values.once === true || values['exit-when-done'] === true ? true : undefined,
    maxRecordBytes: integer('max-record-bytes'),
    recordMaxBufferedTimeMs: integer('record-max-buffered-time-ms'),
    recordTtlMs: integer('record-ttl-ms'),
  };
}

function processingFromFlags(values: ParsedFlags['values']): DataProcessingOption[] | undefined {
  const names = stringsFlag(values, 'processing').flatMap((value) => value.split(',')).map((name) => name.trim().toUpperCase()).filter((name) => name !== '');
  const csvFields = stringFlag(values, 'csv-fields');
  const delimiter = stringFlag(values, 'csv-delimiter');
  const logFormat = stringFlag(values, 'logtojson-format');
  const needs = (flag: string, option: string) => {
    throw new CliError(`--${flag} applies to --processing ${option} only; add --processing ${option} or drop --${flag}.`);
  };
  if ((csvFields !== undefined || delimiter !== undefined) && !names.includes('CSVTOJSON')) needs(csvFields !== undefined ? 'csv-fields' : 'csv-delimiter', 'CSVTOJSON');
  if (logFormat !== undefined && !names.includes('LOGTOJSON')) needs('logtojson-format', 'LOGTOJSON');
  if (names.length === 0) return undefined;
  return names.map((name): DataProcessingOption => {
    switch (name) {
      case 'SINGLELINE':
        return { optionName: 'SINGLELINE' };
      case 'CSVTOJSON':
        if (csvFields === undefined) throw new CliError('--processing CSVTOJSON needs --csv-fields a,b,c (the JSON field names, in column order).');
        return { optionName: 'CSVTOJSON', customFieldNames: csvFields.split(',').map((f) => f.trim()), ...(delimiter !== undefined ? { delimiter: delimiter.replace(/\\t/g, '\t') } : {}) };
      case 'LOGTOJSON':
        if (logFormat === undefined) throw new CliError('--processing LOGTOJSON needs --logtojson-format COMMONAPACHELOG|COMBINEDAPACHELOG|APACHEERRORLOG|SYSLOG.');
        return { optionName: 'LOGTOJSON', logFormat: logFormat.toUpperCase() };
      default:
        throw new CliError(`--processing ${name}: unknown option; use SINGLELINE, CSVTOJSON or LOGTOJSON.`);
    }
  });
}

/** A --file without glob characters names one file: it must be there and readable now. */
async function checkLiteralFiles(options: ResolvedProduceOptions, cwd: string): Promise<void> {
  for (const file of options.files) {
    if (!GlobLister.isLiteral(file)) continue;
    const path = resolve(cwd, file);
    try {
      if ((await stat(path)).isDirectory()) throw new CliError(`--file ${file} is a directory; give a glob such as "${file.replace(/\/$/, '')}/*.log".`);
      await (await open(path, 'r')).close();
    } catch (error) {
      if (error instanceof CliError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CliError(`--file ${file}: no such file. Check the path, or give a glob (e.g. "${file}*") to wait for files that do not exist yet.`);
      throw new CliError(`--file ${file} cannot be read (${code ?? (error as Error).message}); check its permissions.`);
    }
  }
}

/** Runs a step whose TypeErrors are about the user's input: they become one-line usage errors. */
async function usage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw toUsageError(error, (option) => FLAG_OF[option] ?? option);
  }
}

function usageSync<T>(step: () => T, nameOf: (option: string) => string): T {
  try {
    return step();
  } catch (error) {
    throw toUsageError(error, nameOf);
  }
}

/**
 * A TypeError about an option (`recordTtlMs: expected …`) as a one-line usage error that names
 * what the user typed: the flag (`--record-ttl-ms`) or the config file's key
 * (`agent.json: flows[0].maxBufferAgeMillis`), never the internal option name.
 */
function toUsageError(error: unknown, nameOf: (option: string) => string): unknown {
  if (!(error instanceof TypeError)) return error;
  if (/^streamName: /.test(error.message) && nameOf('streamName') === '--stream') {
    return new CliError('missing --stream NAME (the stream to send to). Run `kinesis-toolkit produce --help` for the flags.');
  }
  const message = error.message.replace(/^([A-Za-z]+)((?:\.|\[)[^:]*)?:/, (_whole, option: string, rest: string | undefined) => `${nameOf(option)}${rest ?? ''}:`);
  return new CliError(`${message.replace(/\.$/, '')}. Run \`kinesis-toolkit produce --help\` for the flags.`);
}
