import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DeleteStreamCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError, KinesisToolkitError } from '@kinesis-toolkit/core';
import { createKinesisClient, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import type { WorkerOptions } from './config/WorkerOptions';
import { InvalidCheckpointError, ShardFailedError, WorkerFailedError, WorkerStateError } from './errors';
import type { RecordProcessor } from './processor/RecordProcessor';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';

// Fatal errors surface: start() rejects with a typed error (and leaves no lease table behind), a
// running worker emits shardError / workerError and stops, arguments of any type get typed errors,
// and a legal aggregate of tiny records goes through. Public API only, on kinesalite and dynalite.

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const checkpointing = (onRecords: (count: number) => void = () => undefined): RecordProcessor => ({
  processRecords: async ({ records, checkpointer }) => {
    onRecords(records.length);
    await checkpointer.checkpoint();
  },
  shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
});

function options(streamName: string, extra: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    streamName,
    applicationName: uniqueName('app'),
    workerId: 'w1',
    kinesisClient: stack.kinesis.client,
    dynamoClient: stack.dynamodb.client,
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: 1500,
    idleTimeBetweenReadsMs: 200,
    processorFactory: () => checkpointing(),
    ...extra,
  };
}

async function tableExists(tableName: string): Promise<boolean> {
  return stack.dynamodb.client.send(new DescribeTableCommand({ TableName: tableName })).then(
    () => true,
    (error: Error) => {
      if (error.name === 'ResourceNotFoundException') return false;
      throw error;
    },
  );
}

/** Collects a worker's failure events. */
function failures(worker: Worker): { shard: ShardFailedError[]; worker: WorkerFailedError[] } {
  const seen = { shard: [] as ShardFailedError[], worker: [] as WorkerFailedError[] };
  worker.on('shardError', (error) => seen.shard.push(error));
  worker.on('workerError', (error) => seen.worker.push(error));
  return seen;
}

describe('Worker.start() fails with a typed error, and leaves nothing behind', () => {
  it('rejects with WorkerFailedError (ResourceNotFoundException) on a stream that does not exist, creating no lease table', async () => {
    const config = options(uniqueName('missing'));
    const worker = new Worker(config);
    const error = await worker.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect(error).toMatchObject({ reason: 'ResourceNotFoundException', retryable: false, context: { streamName: config.streamName, workerId: 'w1' } });
    expect((error as Error).message).toContain('DescribeStreamSummary failed with ResourceNotFoundException');
    expect(await tableExists(config.applicationName)).toBe(false);
  });

  it('rejects with WorkerFailedError (AccessDeniedException) when access is denied (a stub endpoint answering AccessDeniedException: the emulators have no IAM)', async () => {
    const server: Server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'AccessDeniedException' });
        response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'User: arn:aws:iam::000000000000:user/test is not authorized to perform: kinesis:DescribeStreamSummary' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const denied = createKinesisClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { maxAttempts: 1 });
    try {
      const config = options(uniqueName('denied'), { kinesisClient: denied });
      const error = await new Worker(config).start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerFailedError);
      expect(error).toMatchObject({ reason: 'AccessDeniedException' });
      expect(await tableExists(config.applicationName)).toBe(false);
    } finally {
      denied.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('start() twice is a WorkerStateError; bad clients are refused at construction', async () => {
    const streamName = uniqueName('twice');
    await createStream(stack.kinesis.client, streamName, 1);
    const worker = new Worker(options(streamName));
    await worker.start();
    const again = await worker.start().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(WorkerStateError);
    expect(again).toBeInstanceOf(KinesisToolkitError);
    await worker.shutdown();
    expect(() => new Worker(options(streamName, { kinesisClient: {} as never }))).toThrow(InvalidArgumentError);
    expect(() => new Worker(options(streamName, { dynamoClient: {} as never }))).toThrow('dynamoClient: expected a DynamoDBClient');
  });
});

describe('a running Worker surfaces fatal errors as events and stops', () => {
  it('a processor without shardEnded: refused when created, naming shardEnded (shardError, then workerError); nothing is processed', async () => {
    const streamName = uniqueName('no-shard-end');
    await createStream(stack.kinesis.client, streamName, 1);
    await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('x') }));
    let processed = 0;
    const worker = new Worker(options(streamName, { processorFactory: () => ({ processRecords: () => void processed++ }) as unknown as RecordProcessor }));
    const seen = failures(worker);
    await worker.start();
    await waitFor(() => seen.worker.length === 1, { timeoutMs: 10_000, description: 'workerError' });
    expect(seen.shard).toHaveLength(1);
    expect(seen.shard[0]!.cause).toBeInstanceOf(InvalidArgumentError);
    expect(seen.shard[0]!.cause).toMatchObject({ argument: 'processor.shardEnded', context: { shardId: 'shardId-000000000000' } });
    expect(seen.worker[0]!.reason).toBe('INVALID_ARGUMENT');
    await worker.shutdown();
    expect(processed).toBe(0);
  });

  it('the stream deleted under a running worker: workerError (ResourceNotFoundException), and the worker shuts down', async () => {
    const streamName = uniqueName('deleted');
    await createStream(stack.kinesis.client, streamName, 2);
    const worker = new Worker(options(streamName));
    const seen = failures(worker);
    await worker.start();
    await waitFor(() => worker.heldShards.length === 2, { timeoutMs: 10_000, description: 'both leases taken' });
    await stack.kinesis.client.send(new DeleteStreamCommand({ StreamName: streamName }));
    await waitFor(() => seen.worker.length === 1, { timeoutMs: 20_000, description: 'workerError after the stream was deleted' });
    expect(seen.worker[0]!.reason).toBe('ResourceNotFoundException');
    await worker.shutdown();
    expect(worker.heldShards).toEqual([]);
  });

  it('the lease table deleted under a running worker: workerError (ResourceNotFoundException from DynamoDB), and the worker shuts down', async () => {
    const streamName = uniqueName('table-gone');
    await createStream(stack.kinesis.client, streamName, 1);
    const config = options(streamName);
    const worker = new Worker(config);
    const seen = failures(worker);
    await worker.start();
    await waitFor(() => worker.heldShards.length === 1, { timeoutMs: 10_000, description: 'lease taken' });
    await stack.dynamodb.client.send(new DeleteTableCommand({ TableName: config.applicationName }));
    await waitFor(() => seen.worker.length === 1, { timeoutMs: 20_000, description: 'workerError after the table was deleted' });
    expect(seen.worker[0]!.reason).toBe('ResourceNotFoundException');
    expect((seen.worker[0]!.cause as Error).message).toContain(`on table ${config.applicationName}`);
    await worker.shutdown();
  });
});

describe('checkpoint arguments of any type', () => {
  it('checkpoint(123), checkpoint(null), checkpoint({ sequenceNumber: "abc" }) and a NaN sub-sequence number are InvalidCheckpointErrors naming the argument', async () => {
    const streamName = uniqueName('bad-checkpoints');
    await createStream(stack.kinesis.client, streamName, 1);
    await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('x') }));
    const caught: unknown[] = [];
    let good = false;
    const worker = new Worker(
      options(streamName, {
        processorFactory: () => ({
          processRecords: async ({ records, checkpointer }) => {
            const attempts: Array<() => Promise<unknown>> = [
              () => checkpointer.checkpoint(123 as never),
              () => checkpointer.checkpoint(null as never),
              () => checkpointer.checkpoint({ sequenceNumber: 'abc' } as never),
              () => checkpointer.checkpoint(records[0]!.sequenceNumber, Number.NaN),
              () => checkpointer.prepareCheckpoint(undefined, 0, 'state' as never),
            ];
            for (const attempt of attempts) caught.push(await attempt().then(() => 'accepted', (error: unknown) => error));
            await checkpointer.checkpoint();
            good = true;
          },
          shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
        }),
      }),
    );
    await worker.start();
    await waitFor(() => good, { timeoutMs: 10_000, description: 'the batch' });
    await worker.shutdown();
    expect(caught.map((error) => (error instanceof InvalidCheckpointError ? error.argument : error))).toEqual([
      'position',
      'position',
      'position.sequenceNumber',
      'subSequenceNumber',
      'state',
    ]);
  });
});

describe('a legal aggregate of tiny records', () => {
  it('1 MiB of 174,758 empty sub-records in one Kinesis record: every one delivered, the last checkpointed', async () => {
    const streamName = uniqueName('tiny-agg');
    await createStream(stack.kinesis.client, streamName, 1);
    const [big] = aggregate(
      Array.from({ length: 200_000 }, () => ({ partitionKey: 'k', data: Buffer.alloc(0) })),
      { maxBytes: 1024 * 1024 },
    );
    const out = await stack.kinesis.client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: [{ PartitionKey: big!.partitionKey, ExplicitHashKey: big!.explicitHashKey, Data: big!.data }] }),
    );
    expect(out.FailedRecordCount ?? 0).toBe(0);
    let delivered = 0;
    const config = options(streamName, { processorFactory: () => checkpointing((count) => (delivered += count)) });
    const worker = new Worker(config);
    const seen = failures(worker);
    await worker.start();
    await waitFor(() => delivered >= big!.userRecordCount, { timeoutMs: 20_000, description: `${big!.userRecordCount} sub-records` });
    await worker.shutdown();
    expect(delivered).toBe(174_758);
    expect(seen).toEqual({ shard: [], worker: [] });
    const lease = await new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: config.applicationName }).getLease('shardId-000000000000');
    expect(lease?.checkpoint.subSequenceNumber).toBe(174_757);
  }, 40_000);
});
