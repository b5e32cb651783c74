import { awsCall } from '../awsCall';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBLeaseStore, type LeaseListing } from '@kinesis-toolkit/kcl';
import { explainAwsError } from '../awsErrors';
import { AWS_FLAGS, AWS_FLAGS_USAGE, dynamoClientFor, kinesisClientFor, resolveAwsSettings, type AwsFlagValues, type AwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { Command, CommandContext } from '../CommandContext';
import { leaseJson, leaseSummary, leaseTable, sortLeases, type LeaseLag } from '../leases/leaseView';
import { measureLag } from '../leases/measureLag';
import { parseFlags, stringFlag } from '../parseFlags';

const FLAGS = {
  app: { type: 'string' },
  lag: { type: 'boolean' },
  stream: { type: 'string' },
  json: { type: 'boolean' },
  ...AWS_FLAGS,
} as const;

const USAGE = `Usage: kinesis-toolkit leases --app NAME [--lag --stream NAME] [--json]

Shows a KCL application's lease table (the DynamoDB table named after the application; the
Java KCL 2.x format, so Java applications work too): per shard its owner, lease counter,
checkpoint and sub-sequence number, parents and children, and with --lag how far the
checkpoint is behind the shard's tip. Items that are not valid leases are reported on stderr
(and under "malformed" in --json), not skipped silently.

Flags:
  --app NAME       the application name = the lease table (required)
  --lag            measure each checkpoint's lag (one GetShardIterator + GetRecords per lease);
                   needs --stream, since the lease table does not name its stream
  --stream NAME    the stream the application reads (for --lag)
  --json           print one JSON document: { table, leases: [...], malformed: [...] }

${AWS_FLAGS_USAGE}
`;

/** `kinesis-toolkit leases`: the lease table of a KCL application. */
export const leasesCommand: Command = {
  name: 'leases',
  summary: "show a KCL application's lease table: owners, checkpoints, lineage, lag",
  usage: USAGE,
  run: runLeases,
};

async function runLeases(context: CommandContext): Promise<number> {
  const { values } = parseFlags('leases', context.argv, FLAGS);
  const app = stringFlag(values, 'app');
  if (app === undefined) throw new CliError('--app NAME (the KCL application name, which names its lease table) is required.');
  const streamName = stringFlag(values, 'stream');
  if (values.lag === true && streamName === undefined) throw new CliError('--lag needs --stream NAME: the lease table does not say which stream it belongs to.');
  if (values.lag !== true && streamName !== undefined) throw new CliError('--stream is only used with --lag; add --lag or drop --stream.');

  const settings = resolveAwsSettings(values as AwsFlagValues, context.env);
  const listing = await listLeases(app, settings);
  const leases = sortLeases(listing.leases);
  const lags = values.lag === true ? await lagsOf(leases, streamName as string, settings) : undefined;

  for (const problem of listing.malformed) context.stderr.write(`kinesis-toolkit leases: warning: ${problem.message} (skipped)\n`);
  if (values.json === true) {
    const document = {
      table: app,
      leases: leases.map((lease) => leaseJson(lease, lags?.get(lease.leaseKey))),
      malformed: listing.malformed.map((problem) => ({ leaseKey: problem.context.leaseKey ?? null, problem: problem.message })),
    };
    context.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else if (leases.length === 0) {
    context.stdout.write(`Lease table "${app}" has no leases${listing.malformed.length > 0 ? ' it can read' : ''} (has a worker of this application run yet?).\n`);
  } else {
    context.stdout.write(leaseTable(leases, lags) + leaseSummary(leases));
  }
  return 0;
}

async function listLeases(app: string, settings: AwsSettings): Promise<LeaseListing> {
  const client = dynamoClientFor(settings);
  try {
    let store: DynamoDBLeaseStore;
    try {
      store = new DynamoDBLeaseStore(client, { tableName: app });
    } catch (error) {
      // The store checks DynamoDB's table name rule; say it in terms of the flag.
      throw new CliError(`--app: ${(error as Error).message.replace(/^tableName: /, '')}.`);
    }
    return await store.listLeases();
  } catch (error) {
    throw explainAwsError(error, {
      service: 'DynamoDB',
      endpointFlag: 'dynamodb-endpoint',
      endpoint: settings.dynamodbEndpoint,
      region: settings.region,
      resource: `lease table "${app}"`,
      whenMissing: 'check --app (the KCL application name)',
    });
  } finally {
    client.destroy();
  }
}

async function lagsOf(leases: Parameters<typeof measureLag>[2], streamName: string, settings: AwsSettings): Promise<Map<string, LeaseLag>> {
  const client = kinesisClientFor(settings);
  try {
    await awsCall(client, new DescribeStreamSummaryCommand({ StreamName: streamName }), 'Kinesis');
    return await measureLag(client, streamName, leases);
  } catch (error) {
    throw explainAwsError(error, {
      service: 'Kinesis',
      endpointFlag: 'kinesis-endpoint',
      endpoint: settings.kinesisEndpoint,
      region: settings.region,
      resource: `stream "${streamName}"`,
      whenMissing: 'check --stream',
    });
  } finally {
    client.destroy();
  }
}
