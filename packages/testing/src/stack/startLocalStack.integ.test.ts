import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  UpdateShardCountCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createStream } from '../helpers/createStream';
import { createBucket } from '../helpers/createBucket';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';
import { createDynamoDBClient, createKinesisClient, createS3Client } from '../aws/clientConfig';
import { startLocalStack } from './startLocalStack';
import type { LocalStack } from './LocalStack';

function s3rverDirectories(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('kt-s3rver-'));
}

describe('startLocalStack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack();
  });
  afterAll(() => stack.stop());

  it('serves Kinesis (kinesalite) on a loopback port: a record put can be read back', async () => {
    expect(stack.kinesis.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const streamName = uniqueName('stack-kinesis');
    const summary = await createStream(stack.kinesis.client, streamName, 2);
    expect(summary.StreamStatus).toBe('ACTIVE');
    expect(summary.OpenShardCount).toBe(2);
    const put = await stack.kinesis.client.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: 'pk', Data: Buffer.from('hello kinesalite') }),
    );
    const { ShardIterator } = await stack.kinesis.client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: put.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records } = await stack.kinesis.client.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['hello kinesalite']);
    expect(Records?.[0]?.SequenceNumber).toBe(put.SequenceNumber);
  });

  it('serves DynamoDB (dynalite): a table turns ACTIVE and an item round-trips', async () => {
    const TableName = uniqueName('stack-table');
    const created = await stack.dynamodb.client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
      }),
    );
    expect(created.TableDescription?.TableName).toBe(TableName);
    // dynalite answers CREATING, then turns ACTIVE at once (createTableMs = 0).
    await waitFor(
      async () => (await stack.dynamodb.client.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE',
      { timeoutMs: 2_000, description: 'the table to become ACTIVE' },
    );
    await stack.dynamodb.client.send(new PutItemCommand({ TableName, Item: { leaseKey: { S: 'shardId-0' }, leaseCounter: { N: '1' } } }));
    const { Item } = await stack.dynamodb.client.send(new GetItemCommand({ TableName, Key: { leaseKey: { S: 'shardId-0' } } }));
    expect(Item).toEqual({ leaseKey: { S: 'shardId-0' }, leaseCounter: { N: '1' } });
  });

  it('serves S3 (s3rver) with path-style addressing: an object round-trips', async () => {
    const Bucket = await createBucket(stack.s3.client, uniqueName('stack-bucket'));
    await stack.s3.client.send(new PutObjectCommand({ Bucket, Key: 'a/b.json', Body: '{"ok":true}' }));
    const object = await stack.s3.client.send(new GetObjectCommand({ Bucket, Key: 'a/b.json' }));
    expect(await object.Body?.transformToString()).toBe('{"ok":true}');
  });

  it('uses the test region and fake credentials', () => {
    expect(stack.region).toBe('us-east-1');
    expect(stack.credentials.accessKeyId).toBe('S3RVER');
  });

  describe('the quirks the README promises', () => {
    it('kinesalite ignores MaxResults and ShardFilter in ListShards', async () => {
      const StreamName = uniqueName('quirk-listshards');
      await createStream(stack.kinesis.client, StreamName, 3);
      const limited = await stack.kinesis.client.send(new ListShardsCommand({ StreamName, MaxResults: 1 }));
      expect(limited.Shards).toHaveLength(3);
      expect(limited.NextToken).toBeUndefined();
      const filtered = await stack.kinesis.client.send(
        new ListShardsCommand({ StreamName, ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' } }),
      );
      expect(filtered.Shards).toHaveLength(3);
    });

    it('kinesalite has no UpdateShardCount', async () => {
      const StreamName = uniqueName('quirk-update');
      await createStream(stack.kinesis.client, StreamName, 1);
      await expect(
        stack.kinesis.client.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' })),
      ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    });

    it('dynalite has no transactions', async () => {
      await expect(
        stack.dynamodb.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'any-table', Item: { k: { S: 'v' } } } }] })),
      ).rejects.toMatchObject({ name: 'UnknownOperationException' });
    });
  });

  it('stops everything: ports refuse connections and the S3 directory is removed', async () => {
    const before = s3rverDirectories();
    const own = await startLocalStack();
    const created = s3rverDirectories().filter((name) => !before.includes(name));
    expect(created).toHaveLength(1);
    await own.stop();
    await own.stop();
    // New clients: the stack's own were destroyed by stop().
    const kinesis = createKinesisClient(own.kinesis.endpoint, { maxAttempts: 1 });
    const dynamodb = createDynamoDBClient(own.dynamodb.endpoint, { maxAttempts: 1 });
    const s3 = createS3Client(own.s3.endpoint, { maxAttempts: 1 });
    await expect(kinesis.send(new ListStreamsCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    await expect(dynamodb.send(new GetItemCommand({ TableName: 'xyz', Key: { k: { S: 'v' } } }))).rejects.toThrow(/ECONNREFUSED/);
    await expect(s3.send(new GetObjectCommand({ Bucket: 'xyz', Key: 'y' }))).rejects.toThrow(/ECONNREFUSED/);
    for (const client of [kinesis, dynamodb, s3]) client.destroy();
    for (const name of created) expect(existsSync(join(tmpdir(), name))).toBe(false);
  });
});
