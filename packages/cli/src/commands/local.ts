import { startLocalStack, startPostgres, type LocalStack, type PostgresServer } from '@kinesis-toolkit/testing';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { integerFlag, parseFlags, stringFlag } from '../parseFlags';

const FLAGS = {
  host: { type: 'string' },
  'shard-limit': { type: 'string' },
  postgres: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

const USAGE = `Usage: kinesis-toolkit local [--postgres] [--host ADDRESS] [--shard-limit N] [--json]

Runs the local AWS stack in the foreground until Ctrl-C: Kinesis (kinesalite) and DynamoDB
(dynalite) in memory, S3 (s3rver) in a temporary directory, a local Firehose endpoint (delivery
streams on that Kinesis and S3); with --postgres also a throwaway PostgreSQL. Prints the endpoints
and the environment variables that point the other commands, the tests and any AWS SDK
(AWS_ENDPOINT_URL_*) at them. The Kinesis endpoint speaks HTTP/2 and HTTP/1.1, so a default
new KinesisClient({ endpoint }) works. Each service listens on a free port chosen at start; all
data is gone when it stops.

Flags:
  --postgres           also start an embedded PostgreSQL (for the postgres emitter)
  --host ADDRESS       loopback address to listen on (default 127.0.0.1)
  --shard-limit N      kinesalite's limit on open shards over all streams (default 10000)
  --json               print the endpoints as one JSON line instead of the text block
`;

/** `kinesis-toolkit local`: the local AWS stack (and PostgreSQL) in the foreground. */
export const localCommand: Command = {
  name: 'local',
  summary: 'run the local AWS stack (Kinesis, DynamoDB, S3, Firehose; --postgres) until Ctrl-C',
  usage: USAGE,
  run: runLocal,
};

async function runLocal(context: CommandContext): Promise<number> {
  const { values } = parseFlags('local', context.argv, FLAGS);
  const host = stringFlag(values, 'host');
  const shardLimit = integerFlag('local', 'shard-limit', stringFlag(values, 'shard-limit'), 10_000);

  const [stackStart, postgresStart] = await Promise.allSettled([
    startLocalStack({ ...(host !== undefined ? { host } : {}), shardLimit }),
    values.postgres === true ? startPostgres() : Promise.resolve(undefined),
  ]);
  const stack = stackStart.status === 'fulfilled' ? stackStart.value : undefined;
  const postgres = postgresStart.status === 'fulfilled' ? postgresStart.value : undefined;
  const failure = [stackStart, postgresStart].find((start): start is PromiseRejectedResult => start.status === 'rejected');
  if (failure !== undefined || stack === undefined) {
    // Whatever did start must not outlive us.
    await stopAll(stack, postgres).catch(() => undefined);
    throw new CliError(`the local stack did not start: ${String((failure?.reason as Error)?.message ?? failure?.reason)}`, 1);
  }

  try {
    context.stdout.write(values.json === true ? `${JSON.stringify(describeJson(stack, postgres))}\n` : describeText(stack, postgres));
    await aborted(context.signal);
    if (values.json !== true) context.stdout.write('Stopping the local stack…\n');
  } finally {
    await stopAll(stack, postgres);
  }
  if (values.json !== true) context.stdout.write('Stopped.\n');
  return 0;
}

async function stopAll(stack: LocalStack | undefined, postgres: PostgresServer | undefined): Promise<void> {
  const results = await Promise.allSettled([stack?.stop(), postgres?.stop()]);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed !== undefined) throw new CliError(`the local stack did not stop cleanly: ${String(failed.reason)}`, 1);
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

function describeJson(stack: LocalStack, postgres: PostgresServer | undefined) {
  return {
    kinesisEndpoint: stack.kinesis.endpoint,
    dynamodbEndpoint: stack.dynamodb.endpoint,
    s3Endpoint: stack.s3.endpoint,
    firehoseEndpoint: stack.firehose.endpoint,
    region: stack.region,
    ...(postgres !== undefined ? { postgresUrl: postgres.connectionString } : {}),
  };
}

/**
 * The fake key pair is printed on purpose: it is the emulators' public built-in pair and grants
 * nothing anywhere. Nothing from this process's environment is echoed.
 */
function describeText(stack: LocalStack, postgres: PostgresServer | undefined): string {
  const services: [string, string][] = [
    ['Kinesis', stack.kinesis.endpoint],
    ['DynamoDB', stack.dynamodb.endpoint],
    ['S3', stack.s3.endpoint],
    ['Firehose', stack.firehose.endpoint],
    ...(postgres !== undefined ? ([['PostgreSQL', postgres.connectionString]] as [string, string][]) : []),
  ];
  const exports = [
    `export KT_KINESIS_ENDPOINT=${stack.kinesis.endpoint}`,
    `export KT_DYNAMODB_ENDPOINT=${stack.dynamodb.endpoint}`,
    `export KT_S3_ENDPOINT=${stack.s3.endpoint}`,
    `export KT_FIREHOSE_ENDPOINT=${stack.firehose.endpoint}`,
    `export AWS_REGION=${stack.region}`,
    `export AWS_ACCESS_KEY_ID=${stack.credentials.accessKeyId}       # the emulators' fake key pair: it grants nothing on AWS`,
    `export AWS_SECRET_ACCESS_KEY=${stack.credentials.secretAccessKey}`,
    ...(postgres !== undefined ? [`export KT_POSTGRES_URL=${postgres.connectionString}`] : []),
  ];
  const sdkExports = [
    `export AWS_ENDPOINT_URL_KINESIS=${stack.kinesis.endpoint}  # any AWS SDK and the aws CLI, with no endpoint in code`,
    `export AWS_ENDPOINT_URL_DYNAMODB=${stack.dynamodb.endpoint}`,
    `export AWS_ENDPOINT_URL_S3=${stack.s3.endpoint}  # S3 clients need path-style addressing (forcePathStyle: true)`,
    `export AWS_ENDPOINT_URL_FIREHOSE=${stack.firehose.endpoint}`,
  ];
  const code = [
    `new KinesisClient({ endpoint: '${stack.kinesis.endpoint}' })`,
    `new DynamoDBClient({ endpoint: '${stack.dynamodb.endpoint}' })`,
    `new S3Client({ endpoint: '${stack.s3.endpoint}', forcePathStyle: true })`,
    `new FirehoseClient({ endpoint: '${stack.firehose.endpoint}' })`,
  ];
  return [
    'Local AWS stack running. Press Ctrl-C to stop it (all data is discarded).',
    '',
    ...services.map(([name, endpoint]) => `  ${name.padEnd(11)} ${endpoint}`),
    '',
    'Point kinesis-toolkit, the AWS SDK and the tests at it from another shell:',
    '',
    ...[...exports, ...sdkExports].map((line) => `  ${line}`),
    '',
    'Or name the endpoints in code. Default clients work: the Kinesis endpoint speaks HTTP/2 (the',
    "SDK's default for Kinesis) and HTTP/1.1, so no requestHandler is needed:",
    '',
    ...code.map((line) => `  ${line}`),
    '',
  ].join('\n');
}
