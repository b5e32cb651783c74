import { PutRecordsCommand, SplitShardCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { createKinesisClient, createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';
import { useStackAndKinesisMock } from '../../../test/support/stackAndKinesisMock';

// Enhanced fan-out needs SubscribeToShard (and ChildShards), which kinesalite lacks: these tests
// run on kinesis-mock, with leases in dynalite.
const servers = useStackAndKinesisMock();

async function produce(kinesis: KinesisClient, streamName: string, from: number, count: number): Promise<void> {
  const users = Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${(from + i) % 17}`, data: Buffer.from(`r${from + i}`) }));
  const byKey = new Map<string, typeof users>();
  for (const user of users) byKey.set(user.partitionKey, [...(byKey.get(user.partitionKey) ?? []), user]);
  const entries = [...byKey.values()].flatMap((group) => aggregate(group, { maxBytes: 1000 }));
  const out = await kinesis.send(
    new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })) }),
  );
  expect(out.FailedRecordCount ?? 0).toBe(0);
}

const ids = (recorder: Recorder) => recorder.records.map((r) => Number(r.data.toString().slice(1)));

/** ListShards requests without a ShardFilter (how a worker lists a stream's children) sent through `client`, counted by an SDK middleware. */
function countUnfilteredListShards(client: KinesisClient): { count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ShardFilter?: unknown };
      if (context.commandName === 'ListShardsCommand' && input.ShardFilter === undefined) counter.count++;
      return next(args);
    },
    { step: 'initialize', name: 'countUnfilteredListShards' },
  );
  return counter;
}

describe('Worker with enhanced fan-out (kinesis-mock)', () => {
  it('delivers every record through SubscribeToShard, and finds the children of a split in ChildShards (not ListShards), parents first', async () => {
    const streamName = uniqueName('efo');
    await createStream(servers.mock.client, streamName, 2);
    await produce(servers.mock.client, streamName, 0, 300);
    const recorder = new Recorder();
    // The worker's own client, so that its ListShards calls (and only its) are counted.
    const workerClient = createKinesisClient(servers.mock.endpoint, { trustSelfSignedCertificate: true });
    const listings = countUnfilteredListShards(workerClient);
    const worker = new Worker({
      streamName,
      applicationName: uniqueName('app'),
      workerId: 'fan',
      retrievalMode: 'fanout',
      kinesisClient: workerClient,
      dynamoClient: servers.stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 3000,
      parentShardPollIntervalMs: 100,
      shardSyncIntervalMs: 600_000, // children must come from ChildShards, not a sync
      processorFactory: () => new RecordingProcessor(recorder, 'fan'),
    });
    const ended: Array<{ shardId: string; childShardIds: string[]; childShardsFrom: string }> = [];
    worker.on('shardEnded', (event) => ended.push(event));
    await worker.start();
    // The first shard sync listed the stream; from here on, any unfiltered ListShards is the fallback.
    const listingsAtStart = listings.count;
    await waitFor(() => recorder.records.length >= 300, { timeoutMs: 20_000, description: '300 records by fan-out' });

    await servers.mock.client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 126n).toString() }));
    await waitFor(async () => ((await servers.mock.client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? []).length === 4, {
      timeoutMs: 10_000,
      description: 'split done',
    });
    await produce(servers.mock.client, streamName, 300, 300);
    await waitFor(() => recorder.records.length >= 600, { timeoutMs: 30_000, description: '600 records across the split' });
    await worker.shutdown();
    workerClient.destroy();

    expect(new Set(ids(recorder)).size).toBe(600);
    expect(recorder.records).toHaveLength(600);
    expect(ended).toEqual([{ shardId: 'shardId-000000000000', childShardIds: ['shardId-000000000002', 'shardId-000000000003'], childShardsFrom: 'ChildShards' }]);
    expect({ listShardsWithoutFilterAfterStart: listings.count - listingsAtStart }).toEqual({ listShardsWithoutFilterAfterStart: 0 });
    const lifecycle = recorder.lifecycle;
    const parentEnded = lifecycle.indexOf('fan:shardId-000000000000:shardEnded');
    for (const child of ['shardId-000000000002', 'shardId-000000000003']) {
      expect(lifecycle.indexOf(`fan:${child}:initialize`)).toBeGreaterThan(parentEnded);
    }
  }, 60_000);
});
