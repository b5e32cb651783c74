// End to end, every sink: KinesisProducer (aggregated) → kinesalite → a real Worker (dynalite
// leases) → createPipeline → a TeeEmitter into S3 (s3rver), PostgreSQL (embedded) and DynamoDB
// (dynalite). Every record must arrive in each sink exactly once, and each shard's checkpoint
// must end on the last record put there.
import { CreateTableCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { Worker } from '@kinesis-toolkit/kcl';
import { createBucket, createStream, getTestStack, startPostgres, uniqueName, waitFor, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { Pool } from 'pg';
import { DynamoDBEmitter } from '../../src/emitters/dynamodb/DynamoDBEmitter';
import { MappingEmitter } from '../../src/emitters/MappingEmitter';
import { PostgresEmitter, type PostgresRow } from '../../src/emitters/postgres/PostgresEmitter';
import { S3Emitter } from '../../src/emitters/s3/S3Emitter';
import { TeeEmitter } from '../../src/emitters/TeeEmitter';
import { InMemoryFailureSink } from '../../src/failures/InMemoryFailureSink';
import { createPipeline } from '../../src/pipeline/createPipeline';
import { JsonTransformer } from '../../src/transformers/JsonTransformer';
import { lastPositions, leaseCheckpoints, orderJson, positionKey, produce } from './e2eFixtures';
import { stopPostgres } from '../../../../test/support/stopPostgres';

const RECORDS = 1500;

let stack: TestStack;
let server: PostgresServer;
let pool: Pool;

beforeAll(async () => {
  stack = getTestStack();
  server = await startPostgres({ database: 'connector_e2e' });
  pool = new Pool({ connectionString: server.connectionString, max: 4 });
}, 60_000);
afterAll(async () => {
  await stopPostgres(pool, server);
  stack?.destroy();
});

type Order = { id: number; name: string; pad: string };

describe('producer → stream → Worker → pipeline → S3, PostgreSQL and DynamoDB', () => {
  it(`delivers ${RECORDS} aggregated JSON records to each sink exactly once and checkpoints the last record of every shard`, async () => {
    const streamName = uniqueName('conn-e2e');
    const applicationName = uniqueName('conn-e2e-app');
    const bucket = await createBucket(stack.s3.client, uniqueName('conn-e2e').toLowerCase());
    const tableName = uniqueName('conn-e2e-orders');
    await stack.dynamodb.client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await pool.query(
      'CREATE TABLE orders (id integer NOT NULL, name text NOT NULL, sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL, UNIQUE (sequence_number, sub_sequence_number))',
    );
    await createStream(stack.kinesis.client, streamName, 2);

    const produced = await produce(stack.kinesis.client, streamName, Array.from({ length: RECORDS }, (_, id) => orderJson(id)));
    expect(new Set(produced.map((p) => p.shardId)).size).toBe(2);

    const s3 = new S3Emitter({ client: stack.s3.client, bucket, prefix: 'orders/!{timestamp:yyyy/MM/dd}/', recordDelimiter: '\n', fileExtension: '.jsonl' });
    const postgres = new PostgresEmitter({ pool, table: 'orders', columns: ['id', 'name'] });
    const dynamodb = new DynamoDBEmitter({ client: stack.dynamodb.client, tableName });
    const failureSink = new InMemoryFailureSink();
    const pipeline = createPipeline<Order, string>({
      streamName,
      transformer: new JsonTransformer<Order>(),
      emitter: new TeeEmitter<string>([
        s3,
        new MappingEmitter<string, PostgresRow>(postgres, (json) => JSON.parse(json) as PostgresRow),
        new MappingEmitter<string, Record<string, unknown>>(dynamodb, (json) => JSON.parse(json) as Record<string, unknown>),
      ]),
      failureSink,
      buffer: { maxRecords: 200, maxAgeMs: 400 },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    });
    let emitFailures = 0;
    pipeline.on('emitFailed', () => emitFailures++);
    const worker = new Worker({
      streamName,
      applicationName,
      workerId: 'sinks-e2e',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 3000,
      idleTimeBetweenReadsMs: 200,
      processorFactory: pipeline,
    });

    // Done when the lease table says every shard is checkpointed at its last record: that is
    // written only after the batch reached all three sinks.
    const expected = lastPositions(produced);
    const sorted = (entries: [string, string][]): Record<string, string> => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));
    const expectedCheckpoints = sorted([...expected].map(([shardId, position]) => [shardId, positionKey(position)]));
    let checkpoints: Record<string, string> = {};
    await worker.start();
    try {
      await waitFor(
        async () => {
          checkpoints = sorted([...(await leaseCheckpoints(stack.dynamodb.client, applicationName))].map(([shardId, c]) => [shardId, positionKey(c)]));
          return JSON.stringify(checkpoints) === JSON.stringify(expectedCheckpoints);
        },
        { timeoutMs: 20_000, intervalMs: 100, description: 'every shard checkpointed at its last record' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; checkpoints ${JSON.stringify(checkpoints)}, expected ${JSON.stringify(expectedCheckpoints)}`);
      });
    } finally {
      await worker.shutdown();
      await pipeline.shutdown();
    }
    expect(failureSink.records).toEqual([]);
    expect(emitFailures).toBe(0);
    const ids = Array.from({ length: RECORDS }, (_, id) => id);

    // S3: every object read back; one line per record, no record twice.
    const lines: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await stack.s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'orders/', ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        expect(object.Key).toMatch(new RegExp(`^orders/\\d{4}/\\d{2}/\\d{2}/${streamName}-shardId-\\d+-\\d+-\\d+-\\d+-\\d+\\.jsonl$`));
        const body = await (await stack.s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }))).Body!.transformToString();
        expect(body.endsWith('\n')).toBe(true);
        lines.push(...body.slice(0, -1).split('\n'));
      }
      continuationToken = page.NextContinuationToken;
    } while (continuationToken !== undefined);
    expect(lines).toHaveLength(RECORDS);
    expect(lines.map((line) => (JSON.parse(line) as Order).id).sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(lines)).toEqual(new Set(produced.map((p) => p.data)));

    // PostgreSQL: one row per record, keyed by the position the producer was told.
    const rows = (await pool.query<{ id: number; name: string; sequence_number: string; sub_sequence_number: number }>('SELECT id, name, sequence_number, sub_sequence_number FROM orders ORDER BY id')).rows;
    expect(rows).toEqual(produced.map((p, id) => ({ id, name: `order-${id}`, sequence_number: p.sequenceNumber, sub_sequence_number: p.subSequenceNumber })));

    // DynamoDB: one item per id, every attribute of the record.
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await stack.dynamodb.client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey, ConsistentRead: true }));
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && Object.keys(startKey).length > 0);
    expect(items.sort((a, b) => (a.id as number) - (b.id as number))).toEqual(produced.map((p) => JSON.parse(p.data) as Order));
  }, 45_000);
});
