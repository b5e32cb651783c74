import { CreateTableCommand, DescribeTableCommand, ScanCommand, type BatchWriteItemCommandInput, type BatchWriteItemCommandOutput, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createDynamoDBClient, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { AwsRequestError } from '@kinesis-toolkit/core';
import { makeBatch, retryOf } from '../../../test/emitters/makeBatch';
import { FakeCheckpointer, at, record } from '../../../test/pipelineFakes';
import { InMemoryFailureSink } from '../../failures/InMemoryFailureSink';
import { createPipeline } from '../../pipeline/createPipeline';
import { EmitterError } from '../EmitterError';
import { DynamoDBEmitter, type DynamoDBItem } from './DynamoDBEmitter';

let stack: TestStack;
let dynamodb: DynamoDBClient;

beforeAll(() => {
  stack = getTestStack();
  dynamodb = stack.dynamodb.client;
});
afterAll(() => stack?.destroy());

async function createTable(): Promise<string> {
  const TableName = uniqueName('emitter');
  await dynamodb.send(
    new CreateTableCommand({
      TableName,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitFor(async () => (await dynamodb.send(new DescribeTableCommand({ TableName }))).Table?.TableStatus === 'ACTIVE', {
    timeoutMs: 10_000,
    intervalMs: 20,
    description: `table ${TableName} to be active`,
  });
  return TableName;
}

async function scan(TableName: string): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName, ConsistentRead: true }));
  return Items.map((item) => unmarshall(item)).sort((a, b) => String(a.pk).localeCompare(String(b.pk)) || Number(a.sk) - Number(b.sk));
}

/**
 * A client of its own whose BatchWriteItem requests pass through a fault: `unprocess(request, call)`
 * picks write requests to hold back — they are not sent to dynalite and come back as
 * UnprocessedItems, as DynamoDB does under load. Everything else reaches the real server.
 */
function faultyClient(unprocess: (requests: WriteRequest[], call: number) => WriteRequest[]): { client: DynamoDBClient; calls: number[] } {
  const calls: number[] = [];
  const client = createDynamoDBClient(stack.dynamodb.endpoint, { maxAttempts: 1 });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as BatchWriteItemCommandInput;
      const [tableName, requests] = Object.entries(input.RequestItems ?? {})[0]!;
      calls.push(requests.length);
      const held = unprocess(requests, calls.length);
      const sent = requests.filter((request) => !held.includes(request));
      const result = await next({ ...args, input: { ...input, RequestItems: { [tableName]: sent } } });
      const output = result.output as BatchWriteItemCommandOutput;
      if (held.length > 0) output.UnprocessedItems = { [tableName]: held };
      return result;
    },
    { step: 'initialize', name: 'unprocessedItemsFault' },
  );
  return { client, calls };
}

describe('DynamoDBEmitter against dynalite', () => {
  it('writes every item in requests of at most 25, reading the key schema itself', async () => {
    const tableName = await createTable();
    const { client, calls } = faultyClient(() => []);
    const emitter = new DynamoDBEmitter({ client, tableName });
    const items = Array.from({ length: 60 }, (_, index) => ({ pk: `user-${index % 7}`, sk: index, payload: { n: index, tags: ['a'] }, skip: undefined }));

    await expect(emitter.emit(makeBatch(items))).resolves.toEqual({ failed: [] });
    client.destroy();

    expect(calls).toEqual([25, 25, 10]);
    expect(await scan(tableName)).toEqual(
      items.map(({ skip: _skip, ...item }) => item).sort((a, b) => a.pk.localeCompare(b.pk) || a.sk - b.sk),
    );
  });

  it('returns UnprocessedItems as failed after one request (no retry of its own); emitting them again writes them, and re-emission changes nothing', async () => {
    const tableName = await createTable();
    // The first request holds back half of it.
    const { client, calls } = faultyClient((requests, call) => (call === 1 ? requests.slice(0, Math.ceil(requests.length / 2)) : []));
    const emitter = new DynamoDBEmitter({ client, tableName, keyAttributes: ['pk', 'sk'] });
    const items = Array.from({ length: 10 }, (_, index) => ({ pk: 'p', sk: index }));
    const batch = makeBatch(items);

    const first = await emitter.emit(batch);
    expect(first).toEqual({ failed: items.slice(0, 5) });
    expect(calls).toEqual([10]);
    await expect(emitter.emit(retryOf(batch, [0, 1, 2, 3, 4]))).resolves.toEqual({ failed: [] });
    expect(calls).toEqual([10, 5]);
    await expect(emitter.emit(batch)).resolves.toEqual({ failed: [] });
    client.destroy();
    expect(await scan(tableName)).toEqual(items);
  });

  it('returns exactly the items left unprocessed, and the items with their keys after them', async () => {
    const tableName = await createTable();
    const stubborn = (requests: WriteRequest[]) => requests.filter((request) => request.PutRequest?.Item?.sk?.N === '3');
    const { client } = faultyClient(stubborn);
    const emitter = new DynamoDBEmitter({ client, tableName, keyAttributes: ['pk', 'sk'] });
    const items = [
      { pk: 'p', sk: 1, v: 'first' },
      { pk: 'p', sk: 3, v: 'old' },
      { pk: 'p', sk: 2, v: 'x' },
      { pk: 'p', sk: 3, v: 'new' },
      { pk: 'p', sk: 4, v: 'y' },
    ];

    const result = await emitter.emit(makeBatch(items));
    client.destroy();

    expect(result.failed).toEqual([items[1], items[3]]);
    expect(result.failed[0]).toBe(items[1]);
    expect(await scan(tableName)).toEqual([items[0], items[2], items[4]]);
  });

  it("rejects the items DynamoDB refuses (dynalite's real ValidationException), never to be retried, and writes the rest", async () => {
    const tableName = await createTable();
    const emitter = new DynamoDBEmitter({ client: dynamodb, tableName, keyAttributes: ['pk', 'sk'] });
    const wrongKeyType = { pk: 'p', sk: 'not a number' };
    const noKey = { sk: 9 };
    const items = [{ pk: 'p', sk: 1 }, wrongKeyType, { pk: 'p', sk: 2 }, noKey, { pk: 'p', sk: 3 }];

    const result = await emitter.emit(makeBatch(items));

    expect(result.failed).toEqual([]);
    expect(result.rejected?.map((entry) => entry.item)).toEqual([noKey, wrongKeyType]);
    for (const { error } of result.rejected ?? []) expect(error).toMatchObject({ code: 'InvalidItem', retryable: false });
    expect(result.rejected?.[1]?.error.cause).toBeInstanceOf(AwsRequestError);
    expect(result.rejected?.[1]?.error.cause).toMatchObject({ code: 'ValidationException', kind: 'fatal' });
    expect(await scan(tableName)).toEqual([{ pk: 'p', sk: 1 }, { pk: 'p', sk: 2 }, { pk: 'p', sk: 3 }]);
  });

  it('in a pipeline, sends the refused item to the failure sink after one attempt and checkpoints past it', async () => {
    const tableName = await createTable();
    const { client, calls } = faultyClient(() => []);
    const sink = new InMemoryFailureSink();
    const checkpointer = new FakeCheckpointer();
    const pipeline = createPipeline<string, DynamoDBItem>({
      transformer: { toItem: (record) => record.data.toString(), toEmittable: (sk) => ({ pk: 'p', sk: sk === 'bad' ? 'not a number' : Number(sk) }) },
      emitter: new DynamoDBEmitter({ client, tableName, keyAttributes: ['pk', 'sk'] }),
      failureSink: sink,
      buffer: { maxRecords: 3 },
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await pipeline('shard-1').processRecords(checkpointer.input([record(1, '1'), record(2, 'bad'), record(3, '3')]));
    client.destroy();
    // One request for the batch, then the halves and quarters that found the bad item: no retry of it.
    expect(calls).toEqual([3, 2, 1, 1, 1]);
    expect(sink.records.map((r) => [Buffer.from(r.rawData, 'base64').toString(), r.attemptsMade, r.errorCode])).toEqual([['bad', 1, 'InvalidItem']]);
    expect(await scan(tableName)).toEqual([{ pk: 'p', sk: 1 }, { pk: 'p', sk: 3 }]);
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });

  it('writes attribute maps as they are with itemsAreMarshalled', async () => {
    const tableName = await createTable();
    const emitter = new DynamoDBEmitter({ client: dynamodb, tableName, itemsAreMarshalled: true });
    await emitter.emit(makeBatch([{ pk: { S: 'm' }, sk: { N: '1' }, set: { SS: ['a', 'b'] } }]));
    expect(await scan(tableName)).toEqual([{ pk: 'm', sk: 1, set: new Set(['a', 'b']) }]);
  });

  it('throws a non-retryable DynamoDBWriteFailed for a missing table', async () => {
    const emitter = new DynamoDBEmitter({ client: dynamodb, tableName: 'no-such-table-kt' });
    const error = await emitter.emit(makeBatch([{ pk: 'a', sk: 1 }])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'DynamoDBWriteFailed', retryable: false, context: { tableName: 'no-such-table-kt' } });
    expect((error as Error).cause).toMatchObject({ code: 'ResourceNotFoundException', kind: 'fatal', attempts: 1 });
  });
});
