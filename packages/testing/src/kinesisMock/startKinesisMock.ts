import { dirname, join } from 'node:path';
import { ListStreamsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient, TEST_REGION } from '../aws/clientConfig';
import { ServerStartError } from '../errors/ServerStartError';
import { waitFor } from '../helpers/waitFor';
import { ProtocolFront } from '../front/ProtocolFront';
import { findFreePort } from '../net/findFreePort';
import { ChildServer } from '../process/ChildServer';
import { resolveKinesisMockOptions, type KinesisMockOptions, type ResolvedKinesisMockOptions } from './KinesisMockOptions';
import { startWithRetries } from '../process/startWithRetries';

/** A running kinesis-mock, from {@link startKinesisMock}. */
export interface KinesisMock {
  /** The endpoint of the chosen protocol: `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  readonly endpoint: string;
  /**
   * kinesis-mock's plain HTTP endpoint, behind a front that speaks HTTP/2 (cleartext, the AWS SDK
   * Kinesis client's default) as well as HTTP/1.1 (all kinesis-mock speaks there).
   */
  readonly httpEndpoint: string;
  /** kinesis-mock's TLS endpoint (self-signed certificate; it also offers HTTP/2 there). */
  readonly httpsEndpoint: string;
  /** A Kinesis client for `endpoint` using an HTTP/1.1 `NodeHttpHandler`. */
  readonly client: KinesisClient;
  /** How long the start took, until the first request was answered. */
  readonly startupMs: number;
  /** Destroys the client and kills kinesis-mock; its streams are gone. Safe to call more than once. */
  stop(): Promise<void>;
}

/** kinesis-mock's artificial delays, all zeroed so that tests do not wait for them. */
const DURATION_SETTINGS = [
  'CREATE_STREAM_DURATION',
  'DELETE_STREAM_DURATION',
  'REGISTER_STREAM_CONSUMER_DURATION',
  'DEREGISTER_STREAM_CONSUMER_DURATION',
  'START_STREAM_ENCRYPTION_DURATION',
  'STOP_STREAM_ENCRYPTION_DURATION',
  'MERGE_SHARDS_DURATION',
  'SPLIT_SHARD_DURATION',
  'UPDATE_SHARD_COUNT_DURATION',
  'UPDATE_STREAM_MODE_DURATION',
] as const;

/**
 * Starts kinesis-mock (npm `kinesis-local`) in a child node process on free loopback ports,
 * with every artificial delay zeroed, and waits (bounded) until it answers. Unlike kinesalite
 * it implements UpdateShardCount, ChildShards, ListShards filters and enhanced fan-out
 * (RegisterStreamConsumer, SubscribeToShard), so tests of those start one per test file:
 * it takes about a second to start.
 *
 * @throws InvalidArgumentError (a TypeError) for bad options; ServerStartError when it did not start after `startAttempts` tries.
 */
export async function startKinesisMock(options: KinesisMockOptions = {}): Promise<KinesisMock> {
  const config = resolveKinesisMockOptions(options);
  return startWithRetries('kinesis-mock', config.startAttempts, config.logger, () => startOnce(config));
}

async function startOnce(config: ResolvedKinesisMockOptions): Promise<KinesisMock> {
  const startedAt = performance.now();
  const packageDir = dirname(require.resolve('kinesis-local/package.json'));
  const plainPort = await findFreePort();
  let tlsPort = await findFreePort();
  while (tlsPort === plainPort) tlsPort = await findFreePort();
  const plainEndpoint = `http://127.0.0.1:${plainPort}`;
  const httpsEndpoint = `https://127.0.0.1:${tlsPort}`;

  const child = await ChildServer.start({
    name: 'kinesis-mock',
    script: join(__dirname, 'kinesisMockProcess.js'),
    config: { main: join(packageDir, 'main.js') },
    env: {
      ...process.env,
      ...Object.fromEntries(DURATION_SETTINGS.map((name) => [name, '0ms'])),
      KINESIS_MOCK_PLAIN_PORT: String(plainPort),
      KINESIS_MOCK_TLS_PORT: String(tlsPort),
      KINESIS_MOCK_CERT_PATH: join(packageDir, 'server.json'),
      SHARD_LIMIT: String(config.shardLimit),
      AWS_REGION: TEST_REGION,
      LOG_LEVEL: config.logLevel,
      // In memory only: never read or write a data file in the working directory.
      LOAD_DATA_IF_EXISTS: 'false',
      SHOULD_PERSIST_DATA: 'false',
      ...config.env,
    },
    readyMessage: true,
    startTimeoutMs: config.startTimeoutMs,
    stopTimeoutMs: 5_000,
    logger: config.logger,
  });

  let front: ProtocolFront;
  try {
    await waitUntilAnswering(child, config.protocol === 'https' ? httpsEndpoint : plainEndpoint, config, startedAt);
    front = await ProtocolFront.start({ name: 'kinesis-mock', host: '127.0.0.1', target: { host: '127.0.0.1', port: plainPort }, logger: config.logger });
  } catch (error) {
    await child.kill();
    throw error;
  }
  const httpEndpoint = front.endpoint;
  const endpoint = config.protocol === 'https' ? httpsEndpoint : httpEndpoint;
  const startupMs = Math.round(performance.now() - startedAt);
  config.logger.info({ endpoint, startupMs }, 'kinesis-mock started');

  const client = createKinesisClient(endpoint, { trustSelfSignedCertificate: true, ...config.clientOptions });
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    httpEndpoint,
    httpsEndpoint,
    client,
    startupMs,
    stop: () => {
      stopping ??= (async () => {
        client.destroy();
        await front.stop();
        await child.stop();
        config.logger.info({ endpoint }, 'kinesis-mock stopped');
      })();
      return stopping;
    },
  };
}

/** Polls ListStreams until it succeeds; stops early if the process exits. */
async function waitUntilAnswering(
  child: ChildServer,
  endpoint: string,
  config: ResolvedKinesisMockOptions,
  startedAt: number,
): Promise<void> {
  const probe = createKinesisClient(endpoint, {
    trustSelfSignedCertificate: true,
    maxAttempts: 1,
    requestTimeoutMs: 2_000,
    connectionTimeoutMs: 1_000,
  });
  const abort = new AbortController();
  const exited = child.exited.then(() => {
    abort.abort();
    throw new ServerStartError('kinesis-mock', `its process ${child.exitDescription} before it answered`, {
      output: child.output,
      context: { endpoint },
    });
  });
  try {
    await Promise.race([
      exited,
      waitFor(async () => Boolean(await probe.send(new ListStreamsCommand({}))), {
        timeoutMs: Math.max(config.startTimeoutMs - (performance.now() - startedAt), 1),
        intervalMs: 50,
        description: `kinesis-mock to answer on ${endpoint}`,
        signal: abort.signal,
      }).catch((error: unknown) => {
        if (abort.signal.aborted) return exited;
        throw new ServerStartError('kinesis-mock', String(error), { cause: error, output: child.output, context: { endpoint } });
      }),
    ]);
  } finally {
    exited.catch(() => undefined);
    probe.destroy();
  }
}
