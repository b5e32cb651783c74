import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { useWireProtocol, type WireProtocol } from '@kinesis-toolkit/wire';
import { S3Client } from '@aws-sdk/client-s3';
import { rejectUnknownOptions, requireBoolean, requireInteger, requireNumber, requireObject, requireString, requireUrl, withoutUndefined } from '@kinesis-toolkit/core';

/** Static credentials. The emulators check that requests are signed, not what they are signed with. */
export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The region every local client and emulator uses. */
export const TEST_REGION = 'us-east-1';

/**
 * The fixed fake credentials every local client signs with. They grant nothing anywhere; they
 * are s3rver's built-in key pair because s3rver, unlike the other emulators, checks the access
 * key id (any other is `InvalidAccessKeyId`).
 */
export const TEST_CREDENTIALS: TestCredentials = Object.freeze({
  accessKeyId: 'S3RVER',
  secretAccessKey: 'S3RVER',
});

/** Options of {@link clientConfigFor}; every field is optional. */
export interface ClientConfigOptions {
  /** @defaultValue {@link TEST_REGION} */
  readonly region?: string;
  /** @defaultValue {@link TEST_CREDENTIALS} */
  readonly credentials?: TestCredentials;
  /** The SDK's own attempts per call (1 = no SDK retries). @defaultValue 3, the SDK's default */
  readonly maxAttempts?: number;
  /** Time a whole request may take before it fails with `TimeoutError` (`ETIMEDOUT`); 0 = no limit. @defaultValue 0 */
  readonly requestTimeoutMs?: number;
  /** Time a request's socket may stay silent before the request fails with `TimeoutError`; 0 = the SDK's default. @defaultValue 0 */
  readonly socketTimeoutMs?: number;
  /** Time allowed to open the TCP connection; 0 = no limit. @defaultValue 0 */
  readonly connectionTimeoutMs?: number;
  /**
   * Accept a self-signed TLS certificate on an `https` endpoint (kinesis-mock's TLS port). The
   * relaxed agent belongs to this one client only; nothing global changes. @defaultValue false
   */
  readonly trustSelfSignedCertificate?: boolean;
}

/** The resolved defaults of {@link ClientConfigOptions}. */
export const CLIENT_CONFIG_DEFAULTS = Object.freeze({
  region: TEST_REGION,
  credentials: TEST_CREDENTIALS,
  maxAttempts: 3,
  requestTimeoutMs: 0,
  socketTimeoutMs: 0,
  connectionTimeoutMs: 0,
  trustSelfSignedCertificate: false,
});

/**
 * A configuration object to spread into any AWS SDK v3 client constructor: endpoint, region,
 * fake credentials and an HTTP/1.1 `NodeHttpHandler`. The explicit handler matters: recent
 * `@aws-sdk/client-kinesis` versions default to an HTTP/2 handler, which kinesalite and
 * kinesis-mock's plain port do not speak (`ERR_HTTP2_ERROR: Protocol error`).
 */
export interface LocalClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: TestCredentials;
  readonly maxAttempts: number;
  readonly requestHandler: NodeHttpHandler;
}

/**
 * Builds the configuration of an SDK client that talks to a local emulator at `endpoint`.
 * Each call creates its own request handler (and connection pool).
 *
 * @example
 * ```ts
 * const kinesis = new KinesisClient(clientConfigFor(stack.kinesis.endpoint, { maxAttempts: 1 }));
 * ```
 * @throws InvalidArgumentError (a TypeError) when `endpoint` is not an http(s) URL or an option is wrong.
 */
export function clientConfigFor(endpoint: string, options: ClientConfigOptions = {}): LocalClientConfig {
  const url = new URL(requireUrl('endpoint', endpoint));
  const resolved = resolveClientConfigOptions(options);
  const httpsAgent =
    url.protocol === 'https:' && resolved.trustSelfSignedCertificate
      ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: false })
      : undefined;
  return {
    endpoint,
    region: resolved.region,
    // A copy per client: the SDK writes bookkeeping ($source) into the credentials object.
    credentials: { ...resolved.credentials },
    maxAttempts: resolved.maxAttempts,
    requestHandler: new NodeHttpHandler({
      // Without throwOnRequestTimeout, smithy only logs a warning when requestTimeout passes.
      requestTimeout: resolved.requestTimeoutMs,
      throwOnRequestTimeout: true,
      ...(resolved.socketTimeoutMs > 0 ? { socketTimeout: resolved.socketTimeoutMs } : {}),
      connectionTimeout: resolved.connectionTimeoutMs,
      ...(httpsAgent === undefined ? {} : { httpsAgent }),
    }),
  };
}

/**
 * The test matrix switch: set to `cbor` (or `json`, `auto`), every Kinesis client this package
 * makes — {@link createKinesisClient}, `getTestStack()`, `startLocalStack()` — speaks that wire
 * protocol through `@kinesis-toolkit/wire`'s `useWireProtocol`, and so does every producer and
 * worker handed one. Unset, the clients speak the SDK's own JSON. `KT_WIRE_PROTOCOL=cbor npm run
 * test:integ` runs the integration suites over CBOR.
 */
export const TEST_WIRE_PROTOCOL_ENV = 'KT_WIRE_PROTOCOL';

/** A Kinesis client for a local endpoint (see {@link clientConfigFor}), on the wire protocol of {@link TEST_WIRE_PROTOCOL_ENV}. */
export function createKinesisClient(endpoint: string, options: ClientConfigOptions = {}): KinesisClient {
  const client = new KinesisClient(clientConfigFor(endpoint, options));
  const wireProtocol = process.env[TEST_WIRE_PROTOCOL_ENV];
  if (wireProtocol !== undefined && wireProtocol !== '') {
    try {
      useWireProtocol(client, { wireProtocol: wireProtocol as WireProtocol });
    } catch (error) {
      throw new TypeError(`${TEST_WIRE_PROTOCOL_ENV}: expected one of auto, cbor, json, got ${JSON.stringify(wireProtocol)}`, { cause: error });
    }
  }
  return client;
}

/** A DynamoDB client for a local endpoint (see {@link clientConfigFor}). */
export function createDynamoDBClient(endpoint: string, options: ClientConfigOptions = {}): DynamoDBClient {
  return new DynamoDBClient(clientConfigFor(endpoint, options));
}

/**
 * An S3 client for a local endpoint (see {@link clientConfigFor}), with `forcePathStyle` so that
 * bucket names go in the path rather than in a `bucket.127.0.0.1` host name.
 */
export function createS3Client(endpoint: string, options: ClientConfigOptions = {}): S3Client {
  return new S3Client({ ...clientConfigFor(endpoint, options), forcePathStyle: true });
}

/**
 * Applies {@link CLIENT_CONFIG_DEFAULTS} and validates, naming options `${scope}.name` (for
 * `clientOptions` nested in other options).
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveClientConfigOptions(options: ClientConfigOptions | undefined, scope = ''): Readonly<Required<ClientConfigOptions>> {
  const name = (field: string): string => (scope === '' ? field : `${scope}.${field}`);
  requireObject(scope === '' ? 'options' : scope, options);
  rejectUnknownOptions(scope, options as object, Object.keys(CLIENT_CONFIG_DEFAULTS));
  const resolved = { ...CLIENT_CONFIG_DEFAULTS, ...withoutUndefined(options as ClientConfigOptions) };
  requireString(name('region'), resolved.region);
  requireObject(name('credentials'), resolved.credentials);
  requireString(name('credentials.accessKeyId'), resolved.credentials.accessKeyId);
  requireString(name('credentials.secretAccessKey'), resolved.credentials.secretAccessKey);
  requireInteger(name('maxAttempts'), resolved.maxAttempts, 1);
  requireNumber(name('requestTimeoutMs'), resolved.requestTimeoutMs, 0);
  requireNumber(name('socketTimeoutMs'), resolved.socketTimeoutMs, 0);
  requireNumber(name('connectionTimeoutMs'), resolved.connectionTimeoutMs, 0);
  requireBoolean(name('trustSelfSignedCertificate'), resolved.trustSelfSignedCertificate);
  return Object.freeze(resolved);
}
