import { ListShardsCommand, PutRecordCommand, SplitShardCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { CliError } from '../CliError';
import { StreamReader, type ShardRecords, type StartPosition } from './StreamReader';

let stack: TestStack;
beforeAll(() => (stack = getTestStack()));
afterAll(() => stack.destroy());

async function put(client: KinesisClient, streamName: string, data: string, partitionKey = data) {
  return client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: partitionKey, Data: Buffer.from(data) }));
}

/** Runs a reader to completion and returns the batches it was handed, in order. */
async function readAll(streamName: string, start: StartPosition, extra: Partial<ConstructorParameters<typeof StreamReader>[0]> = {}) {
  const batches: ShardRecords[] = [];
  await new StreamReader({
    client: stack.kinesis.client,
    streamName,
    start,
    stopWhenCaughtUp: true,
    idlePollIntervalMs: 20,
    busyPollIntervalMs: 20,
    onRecords: (batch) => void batches.push(batch),
    ...extra,
  }).run();
  return batches;
}

const dataOf = (batches: readonly ShardRecords[]) => batches.flatMap((batch) => batch.records.map((record) => record.data.toString()));

describe('StreamReader (kinesalite)', () => {
  it('reads a split stream from TRIM_HORIZON: the parent to its end, then its children, every record once', async () => {
    const streamName = uniqueName('cli-reader-split');
    await createStream(stack.kinesis.client, streamName, 1);
    for (let i = 0; i < 5; i += 1) await put(stack.kinesis.client, streamName, `before-${i}`);
    await stack.kinesis.client.send(
      new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }),
    );
    await waitFor(
      async () => (await stack.kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
      { timeoutMs: 10_000, description: 'the split to finish' },
    );
    for (let i = 0; i < 10; i += 1) await put(stack.kinesis.client, streamName, `after-${i}`);

    const batches = await readAll(streamName, { type: 'TRIM_HORIZON' });

    const shards = batches.map((batch) => batch.shardId);
    const lastParentBatch = shards.lastIndexOf('shardId-000000000000');
    expect(shards.slice(0, lastParentBatch + 1).every((shardId) => shardId === 'shardId-000000000000')).toBe(true);
    expect(new Set(shards.slice(lastParentBatch + 1))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    const data = dataOf(batches);
    expect(data.slice(0, 5)).toEqual(['before-0', 'before-1', 'before-2', 'before-3', 'before-4']);
    expect([...data.slice(5)].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `after-${i}`).sort());
  });

  it('from LATEST skips what was there and, following, prints what comes after it started', async () => {
    const streamName = uniqueName('cli-reader-latest');
    await createStream(stack.kinesis.client, streamName, 2);
    await put(stack.kinesis.client, streamName, 'old');
    expect(await readAll(streamName, { type: 'LATEST' })).toEqual([]);

    const seen: string[] = [];
    const stop = new AbortController();
    const reading = new StreamReader({
      client: stack.kinesis.client,
      streamName,
      start: { type: 'LATEST' },
      idlePollIntervalMs: 20,
      signal: stop.signal,
      onRecords: ({ records }) => void seen.push(...records.map((record) => record.data.toString())),
    }).run();
    // The reader's iterators exist at some moment after run(): keep writing until it sees one.
    const written: string[] = [];
    await waitFor(
      async () => {
        const data = `new-${written.length}`;
        await put(stack.kinesis.client, streamName, data, 'one-key');
        written.push(data);
        return seen.length > 0;
      },
      { timeoutMs: 10_000, intervalMs: 50, description: 'the reader to see a record written after it started' },
    );
    await waitFor(() => seen.length === written.length - written.indexOf(seen[0] as string), { timeoutMs: 5_000, description: 'the rest of the records' });
    stop.abort();
    await reading;
    expect(seen).not.toContain('old');
    // From the first record it saw on, it saw every later one, in order (one partition key = one shard).
    expect(seen).toEqual(written.slice(written.indexOf(seen[0] as string)));
  });

  it('from AT_TIMESTAMP starts at the first record at or after the timestamp', async () => {
    const streamName = uniqueName('cli-reader-ts');
    await createStream(stack.kinesis.client, streamName, 1);
    await put(stack.kinesis.client, streamName, 'early');
    const [early] = (await readAll(streamName, { type: 'TRIM_HORIZON' }))[0]?.records ?? [];
    const earlyAt = (early?.approximateArrivalTimestamp as Date).getTime();
    // The next record must arrive in a later millisecond than the first.
    await waitFor(() => Date.now() > earlyAt + 2, { timeoutMs: 1_000, intervalMs: 1, description: 'the clock to move past the first record' });
    await put(stack.kinesis.client, streamName, 'late');
    const batches = await readAll(streamName, { type: 'AT_TIMESTAMP', timestamp: new Date(earlyAt + 1) });
    expect(dataOf(batches)).toEqual(['late']);
  });

  it('reads only the shards asked for, and rejects a shard the stream does not have', async () => {
    const streamName = uniqueName('cli-reader-shard');
    await createStream(stack.kinesis.client, streamName, 2);
    const { Shards = [] } = await stack.kinesis.client.send(new ListShardsCommand({ StreamName: streamName }));
    // A key for each shard: explicit hash keys at the two ends of the range.
    await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', ExplicitHashKey: '0', Data: Buffer.from('low') }));
    await stack.kinesis.client.send(
      new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', ExplicitHashKey: (2n ** 128n - 1n).toString(), Data: Buffer.from('high') }),
    );
    const upper = Shards.find((shard) => shard.HashKeyRange?.EndingHashKey === (2n ** 128n - 1n).toString())?.ShardId as string;
    expect(dataOf(await readAll(streamName, { type: 'TRIM_HORIZON' }, { shardIds: [upper] }))).toEqual(['high']);
    await expect(readAll(streamName, { type: 'TRIM_HORIZON' }, { shardIds: ['shardId-000000000099'] })).rejects.toThrow(CliError);
  });

  it("stops everything when onRecords says 'stop'", async () => {
    const streamName = uniqueName('cli-reader-stop');
    await createStream(stack.kinesis.client, streamName, 1);
    for (let i = 0; i < 3; i += 1) await put(stack.kinesis.client, streamName, `r${i}`);
    let calls = 0;
    // Without 'stop' this reader would follow the stream forever.
    await new StreamReader({
      client: stack.kinesis.client,
      streamName,
      start: { type: 'TRIM_HORIZON' },
      onRecords: () => {
        calls += 1;
        return 'stop';
      },
    }).run();
    expect(calls).toBe(1);
  });

  it("fails with core's AwsRequestError (code ResourceNotFoundException) for a stream that does not exist", async () => {
    await expect(readAll(uniqueName('cli-reader-missing'), { type: 'LATEST' })).rejects.toMatchObject({ name: 'AwsRequestError', code: 'ResourceNotFoundException', kind: 'fatal' });
  });
});
