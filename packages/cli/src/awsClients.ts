import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Flags every AWS-talking command accepts (all optional). */
export const AWS_FLAGS = {
  region: { type: 'string' },
  'kinesis-endpoint': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  's3-endpoint': { type: 'string' },
} as const;

/** Help text for {@link AWS_FLAGS}. */
export const AWS_FLAGS_USAGE = `AWS:
  --region R               AWS region (else AWS_REGION / the SDK's default chain)
  --kinesis-endpoint URL   Kinesis endpoint (else KT_KINESIS_ENDPOINT; else AWS)
  --dynamodb-endpoint URL  DynamoDB endpoint (else KT_DYNAMODB_ENDPOINT; else AWS)
  --s3-endpoint URL        S3 endpoint (else KT_S3_ENDPOINT; else AWS)
Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles); against a
local endpoint without credentials, the local stack's fake key pair is used. Secrets are never printed.`;

/** Parsed values of {@link AWS_FLAGS}. */
export interface AwsFlagValues {
  readonly region?: string;
  readonly 'kinesis-endpoint'?: string;
  readonly 'dynamodb-endpoint'?: string;
  readonly 's3-endpoint'?: string;
}

/** The endpoints, region and credentials a command's SDK clients use. */
export interface AwsSettings {
  readonly region: string | undefined;
  readonly kinesisEndpoint: string | undefined;
  readonly dynamodbEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
  /** Set only for local endpoints when the environment has no credentials. */
  readonly localCredentials: { accessKeyId: string; secretAccessKey: string } | undefined;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Resolves flags, then `KT_*` / `AWS_*` environment variables, then the SDK defaults. */
export function resolveAwsSettings(flags: AwsFlagValues, env: NodeJS.ProcessEnv): AwsSettings {
  const kinesisEndpoint = flags['kinesis-endpoint'] ?? env.KT_KINESIS_ENDPOINT;
  const dynamodbEndpoint = flags['dynamodb-endpoint'] ?? env.KT_DYNAMODB_ENDPOINT;
  const s3Endpoint = flags['s3-endpoint'] ?? env.KT_S3_ENDPOINT;
  const anyLocal = [kinesisEndpoint, dynamodbEndpoint, s3Endpoint].some((e) => e !== undefined && isLocal(e));
  const hasEnvCredentials = env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined;
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (anyLocal ? 'us-east-1' : undefined);
  return {
    region,
    kinesisEndpoint,
    dynamodbEndpoint,
    s3Endpoint,
    localCredentials: anyLocal && !hasEnvCredentials ? LOCAL_CREDENTIALS : undefined,
  };
}

function isLocal(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  } catch {
    return false;
  }
}

function baseConfig(settings: AwsSettings, endpoint: string | undefined, maxAttempts?: number) {
  return {
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(endpoint !== undefined && settings.localCredentials !== undefined ? { credentials: settings.localCredentials } : {}),
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    // HTTP/1.1: the local emulators do not speak the SDK's HTTP/2 path.
    requestHandler: new NodeHttpHandler(),
  };
}

export function kinesisClientFor(settings: AwsSettings, maxAttempts?: number): KinesisClient {
  return new KinesisClient(baseConfig(settings, settings.kinesisEndpoint, maxAttempts));
}

export function dynamoClientFor(settings: AwsSettings): DynamoDBClient {
  return new DynamoDBClient(baseConfig(settings, settings.dynamodbEndpoint));
}

export function s3ClientFor(settings: AwsSettings): S3Client {
  return new S3Client({ ...baseConfig(settings, settings.s3Endpoint), forcePathStyle: settings.s3Endpoint !== undefined });
}
