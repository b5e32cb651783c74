import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { open } from 'node:fs/promises';
import { connect } from 'node:net';
import { Client } from 'pg';
import { withDeadline } from '@kinesis-toolkit/core';
import { awsCall, CLI_REQUEST_TIMEOUT_MS } from '../awsCall';
import { explainAwsError } from '../awsErrors';
import { dynamoClientFor, kinesisClientFor, s3ClientFor, type AwsSettings } from '../awsClients';
import { CliError } from '../CliError';
import type { PipelineConfig } from './pipelineConfig';

/** What {@link preflight} checks against: the config, where its secrets are, and the endpoints. */
export interface PreflightTarget {
  readonly config: PipelineConfig;
  /** The config file as the user named it (for messages). */
  readonly file: string;
  readonly settings: AwsSettings;
  /** The emitter's file path, resolved. */
  readonly path?: string | undefined;
  /** The PostgreSQL connection string (from the environment; never printed). */
  readonly connectionString?: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * Checks, before a worker starts, that what a pipeline config names is there and usable: the
 * stream, the S3 bucket(s), the DynamoDB table, the output file, the HTTP endpoint, the
 * PostgreSQL database. Each problem becomes one line naming the key and what to do (exit code
 * 1) — instead of a worker that runs forever printing nothing while every batch fails.
 */
export async function preflight(target: PreflightTarget): Promise<void> {
  const { config, file, settings, signal } = target;
  const kinesis = kinesisClientFor(settings);
  try {
    await awsCall(kinesis, new DescribeStreamSummaryCommand({ StreamName: config.stream }), 'Kinesis', { signal }).catch((error: unknown) => {
      throw explained(error, {
        service: 'Kinesis',
        endpointFlag: 'kinesis-endpoint',
        endpoint: settings.kinesisEndpoint,
        region: settings.region,
        resource: `stream "${config.stream}" (${file}: stream)`,
        whenMissing: 'create it, fix "stream"',
      });
    });
  } finally {
    kinesis.destroy();
  }
  const buckets = [
    ...(config.emitter.type === 's3' ? [{ key: 'emitter.bucket', bucket: config.emitter.options.bucket as string }] : []),
    ...(config.failures !== undefined ? [{ key: 'failures.bucket', bucket: config.failures.bucket }] : []),
  ];
  if (buckets.length > 0) {
    const s3 = s3ClientFor(settings);
    try {
      for (const { key, bucket } of buckets) {
        await awsCall(s3, new HeadBucketCommand({ Bucket: bucket }), 'S3', { signal }).catch((error: unknown) => {
          throw explained(error, {
            service: 'S3',
            endpointFlag: 's3-endpoint',
            endpoint: settings.s3Endpoint,
            region: settings.region,
            resource: `bucket "${bucket}" (${file}: ${key})`,
            whenMissing: `create it, fix "${key}"`,
          });
        });
      }
    } finally {
      s3.destroy();
    }
  }
  if (config.emitter.type === 'dynamodb') {
    const table = config.emitter.options.tableName as string;
    const dynamo = dynamoClientFor(settings);
    try {
      await awsCall(dynamo, new DescribeTableCommand({ TableName: table }), 'DynamoDB', { signal }).catch((error: unknown) => {
        throw explained(error, {
          service: 'DynamoDB',
          endpointFlag: 'dynamodb-endpoint',
          endpoint: settings.dynamodbEndpoint,
          region: settings.region,
          resource: `table "${table}" (${file}: emitter.tableName)`,
          whenMissing: 'create it, fix "emitter.tableName"',
        });
      });
    } finally {
      dynamo.destroy();
    }
  }
  if (config.emitter.type === 'file' && target.path !== undefined) {
    try {
      await (await open(target.path, 'a')).close();
    } catch (error) {
      throw new CliError(`${file}: emitter.path ${target.path} cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}) — check the directory and its permissions.`, 1);
    }
  }
  if (config.emitter.type === 'http') await reachable(new URL(config.emitter.options.url as string), `${file}: emitter.url`, signal);
  if (config.emitter.type === 'postgres' && target.connectionString !== undefined) await usablePostgres(target.connectionString, config, file, signal);
}

/** An AWS failure as one line (exit code 1); anything unexplained still as one line, with its code. */
function explained(error: unknown, target: Parameters<typeof explainAwsError>[1]): CliError {
  const result = explainAwsError(error, target);
  if (result instanceof CliError) return result;
  return new CliError(`${target.resource}: ${(error as Error)?.message ?? String(error)}`, 1);
}

/** A TCP connection to the URL's host and port opens within the deadline. */
async function reachable(url: URL, key: string, signal: AbortSignal): Promise<void> {
  const port = Number(url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80);
  try {
    await withDeadline(
      'connect',
      CLI_REQUEST_TIMEOUT_MS,
      (abortSignal) =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port, signal: abortSignal });
          socket.once('connect', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        }),
      { signal },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as { code?: string }).code ?? (error as Error).message;
    throw new CliError(`${key}: cannot reach ${url.origin} (${code === 'DEADLINE_EXCEEDED' ? 'no answer in time' : code}) — is the endpoint up? Check the URL.`, 1);
  }
}

/** The database answers and has the target table. The connection string is never printed. */
async function usablePostgres(connectionString: string, config: PipelineConfig, file: string, signal: AbortSignal): Promise<void> {
  const { table, schema } = config.emitter.options as { table: string; schema?: string };
  const qualified = schema === undefined ? `"${table.replace(/"/g, '""')}"` : `"${schema.replace(/"/g, '""')}"."${table.replace(/"/g, '""')}"`;
  const client = new Client({ connectionString, connectionTimeoutMillis: CLI_REQUEST_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await withDeadline('PostgreSQL check', CLI_REQUEST_TIMEOUT_MS, async () => {
      await client.connect();
      await client.query(`SELECT 1 FROM ${qualified} LIMIT 0`);
    }, { signal });
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message;
    const hint = code === '42P01' ? `the table does not exist — create it, fix "emitter.table"` : `check the database in $${String(config.emitter.options.connectionStringEnv)}`;
    throw new CliError(`${file}: emitter: PostgreSQL refused (${code}) — ${hint}.`, 1);
  } finally {
    await client.end().catch(() => undefined);
  }
}
