import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SDK_CLIENT_DEFAULTS, requireUrl } from '@kinesis-toolkit/core';
import { useWireProtocol, WIRE_PROTOCOLS, type WireProtocol } from '@kinesis-toolkit/wire';
import { CliError } from './CliError';

/** Flags every AWS-talking command accepts (all optional). */
export const AWS_FLAGS = {
  region: { type: 'string' },
  'kinesis-endpoint': { type: 'string' },
  'dynamodb-endpoint': { type: 'string' },
  's3-endpoint': { type: 'string' },
  'wire-protocol': { type: 'string' },
} as const;

/** Help text for {@link AWS_FLAGS}. */
export const AWS_FLAGS_USAGE = `AWS:
  --region R               AWS region (else AWS_REGION / the SDK's default chain)
  --kinesis-endpoint URL   Kinesis endpoint (else KT_KINESIS_ENDPOINT; else AWS)
  --dynamodb-endpoint URL  DynamoDB endpoint (else KT_DYNAMODB_ENDPOINT; else AWS)
  --s3-endpoint URL        S3 endpoint (else KT_S3_ENDPOINT; else AWS)
  --wire-protocol P        Kinesis data-plane calls in cbor (as the AWS SDK for Java), json, or
                           auto: CBOR to AWS endpoints, JSON to others (else KT_WIRE_PROTOCOL; default auto)
Credentials come from the SDK's default chain (AWS_ACCESS_KEY_ID, profiles, roles); against a
local endpoint without credentials, the local stack's fake key pair is used. Secrets are never printed.`;

/** Parsed values of {@link AWS_FLAGS}. */
export interface AwsFlagValues {
  readonly region?: string;
  readonly 'kinesis-endpoint'?: string;
  readonly 'dynamodb-endpoint'?: string;
  readonly 's3-endpoint'?: string;
  readonly 'wire-protocol'?: string;
}

/** The endpoints, region and credentials a command's SDK clients use. */
export interface AwsSettings {
  readonly region: string | undefined;
  readonly kinesisEndpoint: string | undefined;
  readonly dynamodbEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
  /** Set only for local endpoints when the environment has no credentials. */
  readonly localCredentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** The wire protocol of the Kinesis clients (`--wire-protocol`, else `KT_WIRE_PROTOCOL`). @defaultValue 'auto' */
  readonly wireProtocol?: WireProtocol;
}

/** The emulators' public fake key pair (it grants nothing on AWS). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Resolves flags, then `KT_*` / `AWS_*` environment variables, then the SDK defaults.
 * @throws CliError (exit code 2) naming the flag or variable of an endpoint that is not an http(s) URL.
 */
export function resolveAwsSettings(flags: AwsFlagValues, env: NodeJS.ProcessEnv, names: { readonly kinesisEndpoint?: string } = {}): AwsSettings {
  const endpoint = (flag: 'kinesis-endpoint' | 'dynamodb-endpoint' | 's3-endpoint', variable: string, name?: string): string | undefined => {
    const value = flags[flag] ?? env[variable];
    if (value === undefined) return undefined;
    try {
      return requireUrl(flags[flag] !== undefined ? (name ?? `--${flag}`) : variable, value);
    } catch (error) {
      throw new CliError(`${(error as Error).message}.`);
    }
  };
  const kinesisEndpoint = endpoint('kinesis-endpoint', 'KT_KINESIS_ENDPOINT', names.kinesisEndpoint);
  const dynamodbEndpoint = endpoint('dynamodb-endpoint', 'KT_DYNAMODB_ENDPOINT');
  const s3Endpoint = endpoint('s3-endpoint', 'KT_S3_ENDPOINT');
  const anyLocal = [kinesisEndpoint, dynamodbEndpoint, s3Endpoint].some((e) => e !== undefined && isLocal(e));
  const hasEnvCredentials = env.AWS_ACCESS_KEY_ID !== undefined || env.AWS_PROFILE !== undefined;
  const region = flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (anyLocal ? 'us-east-1' : undefined);
  const wireProtocol = flags['wire-protocol'] ?? env.KT_WIRE_PROTOCOL ?? 'auto';
  if (!(WIRE_PROTOCOLS as readonly string[]).includes(wireProtocol)) {
    throw new CliError(`${flags['wire-protocol'] !== undefined ? '--wire-protocol' : 'KT_WIRE_PROTOCOL'} must be ${WIRE_PROTOCOLS.join(', ')}, got ${JSON.stringify(wireProtocol)}.`);
  }
  return {
    region,
    kinesisEndpoint,
    dynamodbEndpoint,
    s3Endpoint,
    localCredentials: anyLocal && !hasEnvCredentials ? LOCAL_CREDENTIALS : undefined,
    wireProtocol: wireProtocol as WireProtocol,
  };
}

/** Whether an endpoint is on this machine (loopback). */
export function isLocal(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  } catch {
    return false;
  }
}

// Every client the CLI builds: no SDK retries (core's SDK_CLIENT_DEFAULTS) — the libraries and
// the CLI's own calls retry under core's RetryPolicy, so attempts never multiply.
function baseConfig(settings: AwsSettings, endpoint: string | undefined, maxAttempts: number = SDK_CLIENT_DEFAULTS.maxAttempts) {
  return {
    ...(settings.region !== undefined ? { region: settings.region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(endpoint !== undefined && settings.localCredentials !== undefined ? { credentials: settings.localCredentials } : {}),
    maxAttempts,
    // HTTP/1.1: the local emulators do not speak the SDK's HTTP/2 path.
    requestHandler: new NodeHttpHandler(),
  };
}

/** A Kinesis client on the settings' wire protocol, which the producers and workers given it keep. */
export function kinesisClientFor(settings: AwsSettings, maxAttempts?: number): KinesisClient {
  const client = new KinesisClient(baseConfig(settings, settings.kinesisEndpoint, maxAttempts));
  useWireProtocol(client, { wireProtocol: settings.wireProtocol ?? 'auto' });
  return client;
}

export function dynamoClientFor(settings: AwsSettings): DynamoDBClient {
  return new DynamoDBClient(baseConfig(settings, settings.dynamodbEndpoint));
}

export function s3ClientFor(settings: AwsSettings): S3Client {
  return new S3Client({ ...baseConfig(settings, settings.s3Endpoint), forcePathStyle: settings.s3Endpoint !== undefined });
}
