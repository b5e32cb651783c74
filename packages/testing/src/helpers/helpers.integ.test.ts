import { KinesisClient, ListShardsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { TestingError } from '../errors/TestingError';
import { TEST_STACK_ENV } from '../jest/testStackEnv';
import { createBucket } from './createBucket';
import { createStream } from './createStream';
import { getTestStack, type TestStack } from './getTestStack';
import { uniqueName } from './uniqueName';

describe('test helpers against the stack from jest global setup', () => {
  let stack: TestStack;
  beforeAll(() => {
    stack = getTestStack();
  });
  afterAll(() => stack.destroy());

  it('finds the stack through the KT_*_ENDPOINT variables', async () => {
    expect(process.env[TEST_STACK_ENV.kinesisEndpoint]).toBe(stack.kinesis.endpoint);
    expect(process.env[TEST_STACK_ENV.dynamodbEndpoint]).toBe(stack.dynamodb.endpoint);
    expect(process.env[TEST_STACK_ENV.s3Endpoint]).toBe(stack.s3.endpoint);
    await expect(stack.dynamodb.client.send(new ListTablesCommand({}))).resolves.toHaveProperty('TableNames');
  });

  it("the run's Kinesis endpoint serves a default KinesisClient (HTTP/2, no request handler)", async () => {
    const streamName = uniqueName('helper-h2');
    await createStream(stack.kinesis.client, streamName, 1);
    const client = new KinesisClient({ endpoint: stack.kinesis.endpoint, region: stack.region, credentials: { ...stack.credentials }, maxAttempts: 1 });
    try {
      expect((client.config.requestHandler as object).constructor.name).toBe('NodeHttp2Handler');
      await expect(client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('h2') }))).resolves.toHaveProperty('SequenceNumber');
    } finally {
      client.destroy();
    }
  });

  it('createStream returns once the stream is ACTIVE, with its ARN and shards', async () => {
    const streamName = uniqueName('helper-stream');
    const summary = await createStream(stack.kinesis.client, streamName, 4);
    expect(summary).toMatchObject({ StreamName: streamName, StreamStatus: 'ACTIVE', OpenShardCount: 4 });
    expect(summary.StreamARN).toContain(`:stream/${streamName}`);
    const { Shards } = await stack.kinesis.client.send(new ListShardsCommand({ StreamName: streamName }));
    expect(Shards).toHaveLength(4);
  });

  it('createStream fails fast on a name that exists and rejects a bad shard count', async () => {
    const streamName = uniqueName('helper-dup');
    await createStream(stack.kinesis.client, streamName, 1);
    await expect(createStream(stack.kinesis.client, streamName, 1)).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(createStream(stack.kinesis.client, streamName, 0)).rejects.toThrow(
      new TypeError('shardCount: expected an integer >= 1, got 0'),
    );
  });

  it('createBucket creates a bucket that HeadBucket finds', async () => {
    const bucket = await createBucket(stack.s3.client, uniqueName('helper-bucket'));
    await expect(stack.s3.client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });

  it('getTestStack explains what is missing when the variables are not set', () => {
    const saved = process.env[TEST_STACK_ENV.s3Endpoint];
    delete process.env[TEST_STACK_ENV.s3Endpoint];
    try {
      expect(() => getTestStack()).toThrow(TestingError);
      expect(() => getTestStack()).toThrow(/KT_S3_ENDPOINT are not set[\s\S]*globalSetup/);
    } finally {
      process.env[TEST_STACK_ENV.s3Endpoint] = saved;
    }
  });
});
