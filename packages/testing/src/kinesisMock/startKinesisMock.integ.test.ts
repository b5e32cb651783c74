import {
  DescribeStreamConsumerCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  ListStreamsCommand,
  PutRecordCommand,
  RegisterStreamConsumerCommand,
  SplitShardCommand,
  SubscribeToShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../aws/clientConfig';
import { CLIENT_KINDS, clientOfKind, expectedOutcome, exerciseKinesis, handlerName } from '../front/fixtures/kinesisCalls';
import { createStream } from '../helpers/createStream';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';
import { startKinesisMock, type KinesisMock } from './startKinesisMock';

async function waitUntilActive(client: KinesisClient, streamName: string): Promise<void> {
  const { DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
  await waitFor(
    async () =>
      (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
    { timeoutMs: 10_000, intervalMs: 20, description: `${streamName} to be ACTIVE again` },
  );
}

async function listShards(client: KinesisClient, streamName: string, filter?: ListShardsCommand['input']['ShardFilter']): Promise<Shard[]> {
  const { Shards } = await client.send(new ListShardsCommand({ StreamName: streamName, ShardFilter: filter }));
  return Shards ?? [];
}

describe('startKinesisMock', () => {
  let mock: KinesisMock;

  beforeAll(async () => {
    mock = await startKinesisMock();
  });
  afterAll(() => mock?.stop());

  it('answers on plain HTTP (behind the HTTP/2 + HTTP/1.1 front) with the returned client', async () => {
    expect(mock.endpoint).toBe(mock.httpEndpoint);
    expect(mock.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.startupMs).toBeGreaterThan(0);
    await expect(mock.client.send(new ListStreamsCommand({}))).resolves.toHaveProperty('StreamNames');
  });

  it('answers on its TLS port to a client that trusts the self-signed certificate, and only to that one', async () => {
    const trusting = createKinesisClient(mock.httpsEndpoint, { trustSelfSignedCertificate: true, maxAttempts: 1 });
    const strict = createKinesisClient(mock.httpsEndpoint, { maxAttempts: 1 });
    try {
      await expect(trusting.send(new ListStreamsCommand({}))).resolves.toHaveProperty('StreamNames');
      await expect(strict.send(new ListStreamsCommand({}))).rejects.toThrow(/self[- ]signed certificate/i);
    } finally {
      trusting.destroy();
      strict.destroy();
    }
  });

  it('reshards with UpdateShardCount, and GetRecords on a closed parent returns its ChildShards', async () => {
    const streamName = uniqueName('mock-reshard');
    await createStream(mock.client, streamName, 1);
    await mock.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'pk', Data: Buffer.from('before the split') }));
    await mock.client.send(new UpdateShardCountCommand({ StreamName: streamName, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
    await waitUntilActive(mock.client, streamName);

    const shards = await listShards(mock.client, streamName);
    expect(shards).toHaveLength(3);
    const parent = shards.find((shard) => shard.ShardId === 'shardId-000000000000')!;
    const children = shards.filter((shard) => shard.ParentShardId === parent.ShardId);
    expect(children).toHaveLength(2);
    expect(parent.SequenceNumberRange?.EndingSequenceNumber).toBeDefined();

    const { ShardIterator } = await mock.client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: parent.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const page = await mock.client.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records?.map((r) => Buffer.from(r.Data!).toString())).toEqual(['before the split']);
    // The end of a closed shard: no next iterator, and the children to go on with.
    expect(page.NextShardIterator).toBeUndefined();
    expect(page.ChildShards?.map((child) => child.ShardId).sort()).toEqual(children.map((child) => child.ShardId).sort());
    expect(page.ChildShards?.every((child) => child.ParentShards?.includes(parent.ShardId!))).toBe(true);
  });

  it('splits a shard with SplitShard and filters ListShards with ShardFilter', async () => {
    const streamName = uniqueName('mock-split');
    await createStream(mock.client, streamName, 2);
    const [first] = await listShards(mock.client, streamName);
    const start = BigInt(first!.HashKeyRange!.StartingHashKey!);
    const end = BigInt(first!.HashKeyRange!.EndingHashKey!);
    await mock.client.send(
      new SplitShardCommand({ StreamName: streamName, ShardToSplit: first!.ShardId, NewStartingHashKey: String((start + end) / 2n) }),
    );
    await waitUntilActive(mock.client, streamName);

    const all = await listShards(mock.client, streamName);
    expect(all.map((shard) => shard.ShardId)).toEqual([
      'shardId-000000000000',
      'shardId-000000000001',
      'shardId-000000000002',
      'shardId-000000000003',
    ]);
    const open = await listShards(mock.client, streamName, { Type: 'AT_LATEST' });
    expect(open.map((shard) => shard.ShardId)).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    const after = await listShards(mock.client, streamName, { Type: 'AFTER_SHARD_ID', ShardId: 'shardId-000000000001' });
    expect(after.map((shard) => shard.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
  });

  it('delivers a record to an enhanced fan-out consumer through SubscribeToShard', async () => {
    const streamName = uniqueName('mock-efo');
    const summary = await createStream(mock.client, streamName, 1);
    const { Consumer } = await mock.client.send(
      new RegisterStreamConsumerCommand({ StreamARN: summary.StreamARN, ConsumerName: uniqueName('consumer') }),
    );
    await waitFor(
      async () =>
        (await mock.client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }))).ConsumerDescription
          ?.ConsumerStatus === 'ACTIVE',
      { timeoutMs: 10_000, intervalMs: 20, description: 'the consumer to be ACTIVE' },
    );
    const subscription = await mock.client.send(
      new SubscribeToShardCommand({
        ConsumerARN: Consumer!.ConsumerARN,
        ShardId: 'shardId-000000000000',
        StartingPosition: { Type: 'TRIM_HORIZON' },
      }),
    );
    const put = await mock.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'pk', Data: Buffer.from('fan-out!') }));

    const received: string[] = [];
    let continuationSequenceNumber: string | undefined;
    for await (const event of subscription.EventStream!) {
      const shardEvent = event.SubscribeToShardEvent;
      if (shardEvent === undefined) continue;
      continuationSequenceNumber = shardEvent.ContinuationSequenceNumber;
      received.push(...(shardEvent.Records ?? []).map((record) => Buffer.from(record.Data!).toString()));
      if (received.length > 0) break;
    }
    expect(received).toEqual(['fan-out!']);
    expect(continuationSequenceNumber).toBe(put.SequenceNumber);
  });

  describe.each(CLIENT_KINDS)('to a %s', (kind) => {
    let client: KinesisClient;
    beforeAll(() => {
      client = clientOfKind(kind, mock.endpoint);
    });
    afterAll(() => client.destroy());

    it('serves every operation the toolkit sends to kinesalite, 1 MiB bodies both ways (kinesis-mock is slow with larger ones)', async () => {
      expect(handlerName(client)).toBe(kind === 'default client (HTTP/2)' ? 'NodeHttp2Handler' : 'NodeHttpHandler');
      await expect(exerciseKinesis(client, uniqueName('mock-front'), 256 * 1024)).resolves.toEqual(expectedOutcome(256 * 1024));
    });

    it('serves UpdateShardCount and ListShards filters', async () => {
      const streamName = uniqueName('mock-front-reshard');
      await createStream(client, streamName, 1);
      await client.send(new UpdateShardCountCommand({ StreamName: streamName, TargetShardCount: 2, ScalingType: 'UNIFORM_SCALING' }));
      await waitUntilActive(client, streamName);
      expect(await listShards(client, streamName, { Type: 'AT_LATEST' })).toHaveLength(2);
    });

    it('keeps a SubscribeToShard response open for seconds and delivers records put meanwhile, in order', async () => {
      const streamName = uniqueName('mock-front-efo');
      const summary = await createStream(client, streamName, 1);
      const { Consumer } = await client.send(new RegisterStreamConsumerCommand({ StreamARN: summary.StreamARN, ConsumerName: uniqueName('consumer') }));
      await waitFor(
        async () => (await client.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }))).ConsumerDescription?.ConsumerStatus === 'ACTIVE',
        { timeoutMs: 10_000, intervalMs: 20, description: 'the consumer to be ACTIVE' },
      );
      const abort = new AbortController();
      const subscription = await client.send(
        new SubscribeToShardCommand({ ConsumerARN: Consumer!.ConsumerARN, ShardId: 'shardId-000000000000', StartingPosition: { Type: 'TRIM_HORIZON' } }),
        { abortSignal: abort.signal },
      );
      const received: string[] = [];
      let events = 0;
      try {
        // One record per event seen, so the response stays open across several of kinesis-mock's ~1 s pushes.
        for await (const event of subscription.EventStream!) {
          if (event.SubscribeToShardEvent === undefined) continue;
          events += 1;
          received.push(...(event.SubscribeToShardEvent.Records ?? []).map((record) => Buffer.from(record.Data!).toString()));
          if (received.length >= 3) break;
          await client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'pk', Data: Buffer.from(`r${events}`) }));
        }
      } finally {
        abort.abort();
      }
      expect(received).toEqual(['r1', 'r2', 'r3']);
      expect(events).toBeGreaterThanOrEqual(4);
    });
  });

  it('stops: the process is gone and its port refuses connections', async () => {
    const own = await startKinesisMock();
    const probe = createKinesisClient(own.endpoint, { maxAttempts: 1 });
    try {
      await own.stop();
      await own.stop();
      await expect(probe.send(new ListStreamsCommand({}))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      probe.destroy();
    }
  });
});
