import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';

// A worker that starts AT_TIMESTAMP on shards that hold no record yet (a consumer started before
// its producer, as the demo does on a stream it did not create) must read the first records as
// soon as they come. The request deadline is set to an hour here: a GetShardIterator that never
// answers (kinesalite did that for AT_TIMESTAMP on an empty shard) would hold the shard that long.

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

it('a worker started AT_TIMESTAMP before any record delivers the records put afterwards, on every shard', async () => {
  const streamName = uniqueName('kcl-at-ts');
  await createStream(stack.kinesis.client, streamName, 2);
  const delivered = new Map<string, string>();
  const worker = new Worker({
    streamName,
    applicationName: uniqueName('kcl-at-ts-app'),
    kinesisClient: stack.kinesis.client,
    dynamoClient: stack.dynamodb.client,
    initialPosition: { timestamp: new Date(Date.now() - 60_000) },
    requestTimeoutMs: 3_600_000,
    idleTimeBetweenReadsMs: 200,
    processorFactory: (shardId) => ({
      processRecords: ({ records }) => {
        for (const record of records) delivered.set(record.data.toString('utf8'), shardId);
      },
      shardEnded: ({ checkpointer }) => checkpointer.checkpoint(),
    }),
  });
  const processing = new Set<string>();
  worker.on('leaseProcessing', ({ shardId }) => processing.add(shardId));
  try {
    await worker.start();
    // Both shards' consumers are reading (their first GetShardIterator on its way) before the first put.
    await waitFor(() => processing.size === 2, { timeoutMs: 10_000, description: 'both shards to be processed' });
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
    await stack.kinesis.client.send(new PutRecordsCommand({ StreamName: streamName, Records: ids.map((id) => ({ PartitionKey: id, Data: Buffer.from(id) })) }));
    await waitFor(() => ids.every((id) => delivered.has(id)), { timeoutMs: 15_000, description: 'every record to be delivered' }).catch((error: Error) => {
      throw new Error(`${error.message}: ${delivered.size} of ${ids.length} delivered, from ${[...new Set(delivered.values())].join(', ') || 'no shard'}`);
    });
    expect(new Set(delivered.values()).size).toBe(2);
  } finally {
    await worker.shutdown();
  }
}, 40_000);
