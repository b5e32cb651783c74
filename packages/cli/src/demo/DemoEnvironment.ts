import { awsCall } from '../awsCall';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createBucket, createStream, startLocalStack, startPostgres, waitFor, type LocalStack, type PostgresServer } from '@kinesis-toolkit/testing';
import { Client } from 'pg';
import { dynamoClientFor, kinesisClientFor, s3ClientFor, type AwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import { explainAwsError } from '../awsErrors';
import { awsErrorCodeOf } from '@kinesis-toolkit/core';
import type { ResolvedDemoOptions } from './DemoOptions';
import { createTableSql } from './postgresTable';

/** Where a demo run happens: the stream, the sinks, the clients — and how to tear it down. */
export interface DemoEnvironment {
  /** Endpoints, region and credentials, for the worker processes too. */
  readonly aws: AwsSettings;
  readonly kinesis: KinesisClient;
  readonly dynamo: DynamoDBClient;
  readonly streamName: string;
  /** The KCL application (lease table) of this run's sink workers. */
  readonly applicationName: string;
  /** The KCL application (lease table) of this run's analytics stage. */
  readonly analyticsApplicationName: string;
  readonly s3: { readonly client: S3Client; readonly bucket: string; readonly prefix: string; readonly errorPrefix: string } | undefined;
  readonly postgres: { readonly connectionString: string; readonly table: string } | undefined;
  /** What to tell the user about where things are (one line each). */
  readonly description: readonly string[];
  /** Stops what the demo started and removes what it made (idempotent, never throws). */
  close(): Promise<void>;
}

/** Starts kinesalite, dynalite, s3rver and PostgreSQL; creates the stream, bucket and table. */
export async function startLocalEnvironment(options: ResolvedDemoOptions, runId: string): Promise<DemoEnvironment> {
  let stack: LocalStack | undefined;
  let postgres: PostgresServer | undefined;
  const clients: { destroy(): void }[] = [];
  const close = async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.allSettled([stack?.stop(), postgres?.stop()]);
  };
  try {
    [stack, postgres] = await Promise.all([startLocalStack(), startPostgres({ database: 'demo' })]);
    const aws: AwsSettings = {
      region: stack.region,
      kinesisEndpoint: stack.kinesis.endpoint,
      dynamodbEndpoint: stack.dynamodb.endpoint,
      s3Endpoint: stack.s3.endpoint,
      localCredentials: { ...stack.credentials },
    };
    const kinesis = kinesisClientFor(aws);
    const dynamo = dynamoClientFor(aws);
    const s3 = s3ClientFor(aws);
    clients.push(kinesis, dynamo, s3);
    const streamName = `kt-demo-${runId}`;
    const table = `kt_demo_${runId}`;
    await Promise.all([createStream(kinesis, streamName, options.shards), createBucket(s3, 'kt-demo'), createTable(postgres.connectionString, table)]);
    return {
      aws,
      kinesis,
      dynamo,
      streamName,
      applicationName: `kt-demo-app-${runId}`,
      analyticsApplicationName: `kt-demo-analytics-${runId}`,
      s3: { client: s3, bucket: 'kt-demo', prefix: `records/${runId}/`, errorPrefix: `errors/${runId}/` },
      postgres: { connectionString: postgres.connectionString, table },
      description: [
        `local stack: kinesalite ${stack.kinesis.endpoint}, dynalite ${stack.dynamodb.endpoint}, s3rver ${stack.s3.endpoint}, PostgreSQL 127.0.0.1:${postgres.port}`,
        `stream ${streamName} (${options.shards} shards), sinks s3://kt-demo/records/${runId}/ and table ${table}`,
      ],
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Uses the stream `options.streamName` where `aws` points (creating it with `options.shards`
 * shards if it does not exist, and deleting it afterwards only then), the bucket and the
 * PostgreSQL database the user named. The lease table is the run's own and is deleted at the end;
 * the S3 objects and the PostgreSQL table stay, for the user to look at.
 */
export async function connectAwsEnvironment(options: ResolvedDemoOptions, aws: AwsSettings, runId: string, signal: AbortSignal): Promise<DemoEnvironment> {
  const streamName = options.streamName!;
  const kinesis = kinesisClientFor(aws);
  const dynamo = dynamoClientFor(aws);
  const s3Client = options.bucket !== undefined ? s3ClientFor(aws) : undefined;
  const applicationName = `kt-demo-app-${runId}`;
  const analyticsApplicationName = `kt-demo-analytics-${runId}`;
  let createdStream = false;
  const description: string[] = [];
  const close = async () => {
    for (const table of [applicationName, analyticsApplicationName]) await awsCall(dynamo, new DeleteTableCommand({ TableName: table }), 'DynamoDB').catch(() => undefined);
    if (createdStream) await awsCall(kinesis, new DeleteStreamCommand({ StreamName: streamName }), 'Kinesis').catch(() => undefined);
    kinesis.destroy();
    dynamo.destroy();
    s3Client?.destroy();
  };
  try {
    try {
      await awsCall(kinesis, new DescribeStreamSummaryCommand({ StreamName: streamName }), 'Kinesis', { signal });
      description.push(`stream ${streamName} (existing) in ${aws.region ?? "the SDK's default region"}`);
    } catch (error) {
      if (awsErrorCodeOf(error) !== 'ResourceNotFoundException') {
        throw explainAwsError(error, { service: 'Kinesis', endpointFlag: 'kinesis-endpoint', endpoint: aws.kinesisEndpoint, region: aws.region, resource: `stream "${streamName}"`, whenMissing: 'check --stream' });
      }
      await awsCall(kinesis, new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shards }), 'Kinesis', { signal });
      createdStream = true;
      await waitFor(async () => (await awsCall(kinesis, new DescribeStreamSummaryCommand({ StreamName: streamName }), 'Kinesis', { signal })).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', {
        timeoutMs: 300_000,
        intervalMs: 2000,
        description: `stream ${streamName} to become ACTIVE`,
        signal,
      });
      description.push(`stream ${streamName} created with ${options.shards} shards (deleted at the end)`);
    }
    if (options.bucket !== undefined) {
      try {
        await awsCall(s3Client!, new HeadBucketCommand({ Bucket: options.bucket }), 'S3', { signal });
      } catch (error) {
        const explained = explainAwsError(error, { service: 'S3', endpointFlag: 's3-endpoint', endpoint: aws.s3Endpoint, region: aws.region, resource: `bucket "${options.bucket}"`, whenMissing: 'create it, check --bucket' });
        throw explained instanceof CliError ? explained : new CliError(`bucket ${options.bucket} is not usable (${awsErrorCodeOf(error)}): create it or check --bucket/--region.`, 1);
      }
      description.push(`S3 sink s3://${options.bucket}/kinesis-toolkit-demo/${runId}/ (kept)`);
    } else description.push('no S3 sink (no --bucket)');
    const table = `kt_demo_${runId}`;
    if (options.postgresUrl !== undefined) {
      await createTable(options.postgresUrl, table).catch((error: unknown) => {
        // Never echo the URL: it may hold a password.
        throw new CliError(`cannot use the PostgreSQL database of --postgres-url: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, 1);
      });
      description.push(`PostgreSQL sink table ${table} (kept)`);
    } else description.push('no PostgreSQL sink (no --postgres-url)');
    return {
      aws,
      kinesis,
      dynamo,
      streamName,
      applicationName,
      analyticsApplicationName,
      s3: s3Client !== undefined ? { client: s3Client, bucket: options.bucket!, prefix: `kinesis-toolkit-demo/${runId}/records/`, errorPrefix: `kinesis-toolkit-demo/${runId}/errors/` } : undefined,
      postgres: options.postgresUrl !== undefined ? { connectionString: options.postgresUrl, table } : undefined,
      description,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createTable(connectionString: string, table: string): Promise<void> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    await client.query(createTableSql(table));
  } finally {
    await client.end();
  }
}
