import { FirehoseClient } from '@aws-sdk/client-firehose';
import { clientConfigFor, createDynamoDBClient, createKinesisClient, createS3Client, TEST_CREDENTIALS, TEST_REGION } from '../aws/clientConfig';
import { LocalFirehose } from '../firehose/LocalFirehose';
import { TestingError } from '../errors/TestingError';
import type { InProcessServer } from './inProcessServers';
import { startDynalite, startKinesalite } from './inProcessServers';
import type { LocalStack } from './LocalStack';
import { resolveLocalStackOptions, type LocalStackOptions } from './LocalStackOptions';
import { startS3rver } from './startS3rver';

/**
 * Starts the local AWS stack on free loopback ports: kinesalite (Kinesis) and dynalite
 * (DynamoDB) in this process, in memory, with no state-change delays; s3rver (S3) in a child
 * process that dies with this one, storing objects in a temporary directory. Resolves with
 * endpoints and ready-made clients; call `stop()` when done.
 *
 * @example
 * ```ts
 * const stack = await startLocalStack();
 * await stack.kinesis.client.send(new ListStreamsCommand({}));
 * await stack.stop();
 * ```
 * @throws InvalidArgumentError (a TypeError) for bad options; ServerStartError when an emulator does not start (the others are stopped again).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const config = resolveLocalStackOptions(options);
  const startedAt = performance.now();
  const attempts = await Promise.allSettled([
    startKinesalite(config.host, config.shardLimit, config.logger),
    startDynalite(config.host),
    startS3rver(config.host, config.startTimeoutMs, config.logger),
  ]);
  const servers = attempts.flatMap((attempt) => (attempt.status === 'fulfilled' ? [attempt.value] : []));
  const failure = attempts.find((attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected');
  if (failure !== undefined) {
    await Promise.allSettled(servers.map((server) => server.close()));
    throw failure.reason;
  }
  const [kinesis, dynamodb, s3] = servers as [InProcessServer, InProcessServer, InProcessServer];
  config.logger.info({
    kinesis: kinesis.endpoint,
    dynamodb: dynamodb.endpoint,
    s3: s3.endpoint,
    startupMs: Math.round(performance.now() - startedAt),
  }, 'local AWS stack started');

  let firehoseServer: LocalFirehose;
  try {
    firehoseServer = await LocalFirehose.start({ kinesisEndpoint: kinesis.endpoint, s3Endpoint: s3.endpoint, host: config.host, logger: config.logger });
  } catch (error) {
    await Promise.allSettled(servers.map((server) => server.close()));
    throw error;
  }
  const firehoseClient = new FirehoseClient(clientConfigFor(firehoseServer.endpoint, config.clientOptions));
  const clients = {
    kinesis: createKinesisClient(kinesis.endpoint, config.clientOptions),
    dynamodb: createDynamoDBClient(dynamodb.endpoint, config.clientOptions),
    s3: createS3Client(s3.endpoint, config.clientOptions),
  };
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    for (const client of Object.values(clients)) client.destroy();
    firehoseClient.destroy();
    // Firehose first: its delivery streams read from Kinesis and write to S3.
    await firehoseServer.stop().catch(() => undefined);
    const results = await Promise.allSettled(servers.map((server) => server.close()));
    const errors = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
    if (errors.length > 0) {
      throw new TestingError('STOP_FAILED', `the local AWS stack did not stop cleanly: ${errors.map(String).join('; ')}`, {
        cause: errors[0],
      });
    }
    config.logger.info({}, 'local AWS stack stopped');
  };

  return {
    kinesis: { endpoint: kinesis.endpoint, client: clients.kinesis },
    dynamodb: { endpoint: dynamodb.endpoint, client: clients.dynamodb },
    s3: { endpoint: s3.endpoint, client: clients.s3 },
    firehose: { endpoint: firehoseServer.endpoint, client: firehoseClient, server: firehoseServer },
    region: config.clientOptions.region ?? TEST_REGION,
    credentials: config.clientOptions.credentials ?? TEST_CREDENTIALS,
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
