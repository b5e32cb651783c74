import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import {
  AnalyticsWorker, CallbackOutput, compileApplication, explainPlan, fromDescribeApplication, inferColumns, InvalidConfigError, parseReferenceFile, parseTestRows, RecordMapper,
  runRows, SqlError, TestInputError, validateSourceSchema, type ApplicationConfig, type Catalog, type SourceSchema,
} from '@kinesis-toolkit/analytics';
import { explainAwsError } from '../awsErrors';
import { AWS_FLAGS, AWS_FLAGS_USAGE, dynamoClientFor, kinesisClientFor, resolveAwsSettings, s3ClientFor, type AwsFlagValues } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { integerFlag, parseFlags, stringFlag, stringsFlag } from '../parseFlags';

const FLAGS = {
  sql: { type: 'string' },
  input: { type: 'string' },
  schema: { type: 'string' },
  reference: { type: 'string', multiple: true },
  application: { type: 'string' },
  stream: { type: 'string' },
  'application-name': { type: 'string' },
  output: { type: 'string', multiple: true },
  position: { type: 'string' },
  'idle-close-ms': { type: 'string' },
  'progress-interval-ms': { type: 'string' },
  ...AWS_FLAGS,
} as const;

const USAGE = `Usage: kinesis-toolkit analytics test --sql APP.sql --input ROWS.jsonl [--schema INPUT_SCHEMA.json] [--reference NAME=FILE …]
       kinesis-toolkit analytics explain (--sql APP.sql [--schema INPUT_SCHEMA.json] | --application DESCRIBE.json)
       kinesis-toolkit analytics run --application DESCRIBE.json [--output STREAM=-] [--position P]
       kinesis-toolkit analytics run --sql APP.sql --stream NAME --schema INPUT_SCHEMA.json --output STREAM=DEST|- …

Runs Kinesis Data Analytics (KDA) SQL applications.

test      runs APP.sql over ROWS.jsonl and prints, one JSON object per line, every row emitted into
          a stream no pump reads: {"stream": NAME, "ROWTIME": ISO-8601, <column>: <value>, …}.
          Each input line is a JSON object; its ROWTIME (ISO 8601 or epoch ms) is when the row
          entered SOURCE_SQL_STREAM_001, lines in ROWTIME order; the other fields are its columns
          (types inferred), or, with --schema (a KDA InputSchema, JSON format), the record the
          schema maps. --reference NAME=FILE loads reference table NAME from a CSV (header line)
          or JSON file. Windows still open at the end are closed then.
explain   prints the plan: streams, pumps in run order, windows, repartitioning.
run       runs the application as a KCL application (lease table: its name) on the input stream,
          writing destinations to Kinesis streams; --output STREAM=- prints a stream's rows on
          stdout instead; --application takes what \`aws kinesisanalytics describe-application\` prints.
  --position P             TRIM_HORIZON | LATEST for shards without a checkpoint (default: the
                           application's starting position; with flags, TRIM_HORIZON)
  --application-name N     the KCL application (lease table) name (default: the application's
                           name; with flags, analytics-<stream>)
  --idle-close-ms N        close a window idle this long past its end (default 5000)
  --progress-interval-ms N progress on stderr this often (default 10000; 0: none)
Exit codes: 0 done (run: stopped by Ctrl-C), 2 bad SQL (with line:column) or bad input, 1 failure.

${AWS_FLAGS_USAGE}
`;

/** `kinesis-toolkit analytics`: test, explain and run KDA SQL applications. */
export const analyticsCommand: Command = {
  name: 'analytics',
  summary: 'test, explain and run Kinesis Data Analytics SQL applications (on the KCL)',
  usage: USAGE,
  run: runAnalytics,
};

async function runAnalytics(context: CommandContext): Promise<number> {
  const { values, positionals } = parseFlags('analytics', context.argv, FLAGS, true);
  const [action, ...extra] = positionals;
  if (extra.length > 0) throw new CliError(`unexpected ${JSON.stringify(extra[0])}. Run \`kinesis-toolkit analytics --help\` for the flags.`);
  try {
    if (action === 'test') return await testCommand(values, context);
    if (action === 'explain') return await explainCommand(values, context);
    if (action === 'run') return await runCommand(values, context);
  } catch (error) {
    throw explain(error, values);
  }
  throw new CliError(`expected test, explain or run, got ${action === undefined ? 'nothing' : JSON.stringify(action)}. Run \`kinesis-toolkit analytics --help\`.`);
}

type Values = ReturnType<typeof parseFlags>['values'];

async function testCommand(values: Values, context: CommandContext): Promise<number> {
  const sqlFile = required(values, 'sql', 'test');
  const inputFile = required(values, 'input', 'test');
  const [sql, inputText] = await Promise.all([read(sqlFile, context), read(inputFile, context)]);
  const rows = parseTestRows(inputText, inputFile);
  const schema = await readSchema(values, context);
  let columns;
  let mapRecord;
  if (schema !== undefined) {
    if (schema.RecordFormat.RecordFormatType !== 'JSON') throw new CliError('--schema: test input lines are JSON records, so the InputSchema must have RecordFormatType JSON.');
    const mapper = new RecordMapper(schema, '--schema');
    columns = mapper.columns;
    mapRecord = (record: Readonly<Record<string, unknown>>) => mapper.rowOfObject(record);
  } else columns = inferColumns(rows.map((row) => row.record));
  const referenceTables = await Promise.all(
    stringsFlag(values, 'reference').map(async (spec) => {
      const match = /^([^=]+)=(.+)$/.exec(spec);
      if (!match) throw new CliError(`--reference expects NAME=FILE, got ${JSON.stringify(spec)}.`);
      return parseReferenceFile(match[1]!, await read(match[2]!, context), match[2]!);
    }),
  );
  const lines: string[] = [];
  runRows({ sql, columns, mapRecord, rows, referenceTables, onRow: (row) => lines.push(JSON.stringify(row)) });
  await write(context.stdout, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  return 0;
}

async function explainCommand(values: Values, context: CommandContext): Promise<number> {
  const config = await readApplication(values, context, false);
  const catalog: Catalog = {
    sourceStreams: [{ name: `${config.input.namePrefix}_001`, columns: new RecordMapper(config.input.schema, 'InputSchema').columns }],
    referenceTables: config.references.map((r) => ({ name: r.tableName, columns: new RecordMapper(r.schema, r.tableName).columns })),
  };
  await write(context.stdout, explainPlan(compileApplication(config.sql, catalog)));
  return 0;
}

async function runCommand(values: Values, context: CommandContext): Promise<number> {
  const config = await readApplication(values, context, true);
  const settings = resolveAwsSettings(values as AwsFlagValues, context.env);
  const kinesisClient = kinesisClientFor(settings);
  const dynamoClient = dynamoClientFor(settings);
  const s3Client = config.references.length > 0 ? s3ClientFor(settings) : undefined;
  const stdoutStreams = stringsFlag(values, 'output').flatMap((spec) => (spec.endsWith('=-') ? [spec.slice(0, -2)] : []));
  const outputs = Object.fromEntries(stdoutStreams.map((stream) => [stream, new CallbackOutput((rows) => write(context.stdout, rows.map((row) => `${JSON.stringify(row)}\n`).join('')))]));
  const position = stringFlag(values, 'position')?.toUpperCase();
  if (position !== undefined && position !== 'TRIM_HORIZON' && position !== 'LATEST') throw new CliError(`--position must be TRIM_HORIZON or LATEST, got ${JSON.stringify(position)}.`);
  const worker = new AnalyticsWorker({
    config,
    kinesisClient,
    dynamoClient,
    s3Client,
    outputs,
    worker: { ...(position !== undefined ? { initialPosition: position as 'TRIM_HORIZON' | 'LATEST' } : {}), ...(values['application-name'] ? { applicationName: stringFlag(values, 'application-name')! } : {}) },
    application: { idleWindowCloseMs: integerFlag('analytics', 'idle-close-ms', stringFlag(values, 'idle-close-ms'), 5000, 0) },
  });
  const progressMs = integerFlag('analytics', 'progress-interval-ms', stringFlag(values, 'progress-interval-ms'), 10_000, 0);
  const timer = progressMs > 0 ? setInterval(() => context.stderr.write(`analytics ${config.applicationName}: shards ${worker.worker.heldShards.length}, rows out ${worker.application.rowsOut}, ROWTIME ${rowtime(worker)}\n`), progressMs) : undefined;
  try {
    await worker.start();
    context.stderr.write(`analytics ${config.applicationName}: running on ${config.input.stream}; Ctrl-C stops\n`);
    await new Promise<void>((resolve) => (context.signal.aborted ? resolve() : context.signal.addEventListener('abort', () => resolve(), { once: true })));
    await worker.shutdown();
  } finally {
    if (timer) clearInterval(timer);
    kinesisClient.destroy();
    dynamoClient.destroy();
    s3Client?.destroy();
  }
  return 0;
}

const rowtime = (worker: AnalyticsWorker) => (worker.application.engine.rowtime === -Infinity ? 'none yet' : new Date(worker.application.engine.rowtime).toISOString());

/** The application from --application (describe-application JSON) or from --sql, --stream, --schema and --output flags. */
async function readApplication(values: Values, context: CommandContext, running: boolean): Promise<ApplicationConfig> {
  const file = stringFlag(values, 'application');
  if (file !== undefined) {
    if (values.sql !== undefined) throw new CliError('give --application or --sql, not both.');
    return fromDescribeApplication(parseJson(await read(file, context), `--application ${file}`));
  }
  const sqlFile = required(values, 'sql', running ? 'run' : 'explain');
  const schema = await readSchema(values, context);
  if (schema === undefined) throw new CliError(`--schema INPUT_SCHEMA.json is required with --sql (the input stream's columns). Run \`kinesis-toolkit analytics --help\`.`);
  const stream = running ? required(values, 'stream', 'run') : (stringFlag(values, 'stream') ?? 'input');
  const outputs = stringsFlag(values, 'output').map((spec) => {
    const match = /^([^=]+)=(.+)$/.exec(spec);
    if (!match) throw new CliError(`--output expects STREAM=KINESIS_STREAM or STREAM=-, got ${JSON.stringify(spec)}.`);
    return { name: match[1]!, stream: match[2] === '-' ? undefined : match[2]!, format: 'JSON' as const };
  });
  if (running && outputs.length === 0) throw new CliError('--output STREAM=DEST is required with --sql (e.g. --output DESTINATION_SQL_STREAM=my-output-stream, or =- for stdout).');
  return { applicationName: stringFlag(values, 'application-name') ?? `analytics-${stream}`, sql: await read(sqlFile, context), input: { stream, namePrefix: 'SOURCE_SQL_STREAM', schema, startingPosition: 'TRIM_HORIZON' }, references: [], outputs };
}

async function readSchema(values: Values, context: CommandContext): Promise<SourceSchema | undefined> {
  const file = stringFlag(values, 'schema');
  if (file === undefined) return undefined;
  const json = parseJson(await read(file, context), `--schema ${file}`) as { InputSchema?: unknown };
  return validateSourceSchema(json !== null && typeof json === 'object' && 'InputSchema' in json ? json.InputSchema : json, '--schema');
}

function required(values: Values, flag: string, action: string): string {
  const value = stringFlag(values, flag);
  if (value === undefined) throw new CliError(`analytics ${action} needs --${flag}. Run \`kinesis-toolkit analytics --help\` for the flags.`);
  return value;
}

async function read(file: string, context: CommandContext): Promise<string> {
  try {
    return await readFile(file.startsWith('/') ? file : `${context.cwd}/${file}`, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}.`);
  }
}

/** Library errors as CLI errors: bad SQL (exit 2, with file:line:column and the excerpt), bad input and config (exit 2), AWS failures explained. */
function explain(error: unknown, values: Values): unknown {
  if (error instanceof SqlError) return new CliError(`${stringFlag(values, 'sql') ?? 'ApplicationCode'}:${error.line}:${error.column}: ${error.message.replace(/^line \d+:\d+: /, '')}\n${error.excerpt}`, 2);
  if (error instanceof TestInputError || error instanceof InvalidConfigError || error instanceof TypeError) return new CliError(error.message, 2);
  if (error instanceof CliError) return error;
  if (error instanceof Error && /Exception$|Error$/.test(error.name) && '$metadata' in error) {
    return explainAwsError(error, { service: 'Kinesis', endpointFlag: 'kinesis-endpoint', endpoint: stringFlag(values, 'kinesis-endpoint'), region: stringFlag(values, 'region'), resource: `stream ${JSON.stringify(stringFlag(values, 'stream') ?? 'of the application')}`, whenMissing: 'create it' });
  }
  return error;
}

function write(stream: Writable, text: string): Promise<void> {
  if (text === '') return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', resolve).once('error', reject);
  });
}
