import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createStream } from '../helpers/createStream';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';

// The local Kinesis answers GetShardIterator AT_TIMESTAMP as Kinesis does when the shard holds no
// record at or after the timestamp (kinesalite alone never answers then). Each request has its own
// deadline here, so a hang fails the test at once instead of running into jest's timeout.

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const SHARD = 'shardId-000000000000';
const ANSWER_WITHIN_MS = 5_000;

async function iteratorAt(kinesis: KinesisClient, streamName: string, timestamp: Date): Promise<string> {
  const out = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: SHARD, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: timestamp }), {
    abortSignal: AbortSignal.timeout(ANSWER_WITHIN_MS),
  });
  return out.ShardIterator!;
}

async function dataFrom(kinesis: KinesisClient, iterator: string): Promise<string[]> {
  const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
  return (out.Records ?? []).map((record) => Buffer.from(record.Data!).toString('utf8'));
}

const put = (kinesis: KinesisClient, streamName: string, data: string) => kinesis.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from(data) }));

describe('the local Kinesis: GetShardIterator AT_TIMESTAMP', () => {
  it('answers on an empty shard, with an iterator that reads the records put after it', async () => {
    const streamName = uniqueName('at-ts-empty');
    await createStream(stack.kinesis.client, streamName, 1);
    const iterator = await iteratorAt(stack.kinesis.client, streamName, new Date(Date.now() - 60_000));
    await put(stack.kinesis.client, streamName, 'first');
    expect(await dataFrom(stack.kinesis.client, iterator)).toEqual(['first']);
  });

  it('answers when every record is older than the timestamp: it reads only the records put after it', async () => {
    const streamName = uniqueName('at-ts-older');
    await createStream(stack.kinesis.client, streamName, 1);
    await put(stack.kinesis.client, streamName, 'old');
    const after = Date.now() + 1;
    await waitFor(() => Date.now() > after, { timeoutMs: 1000, intervalMs: 1, description: 'the clock to pass the old record' });
    const iterator = await iteratorAt(stack.kinesis.client, streamName, new Date(after));
    await put(stack.kinesis.client, streamName, 'new');
    expect(await dataFrom(stack.kinesis.client, iterator)).toEqual(['new']);
  });

  it('still starts at the first record at or after the timestamp when there is one', async () => {
    const streamName = uniqueName('at-ts-found');
    await createStream(stack.kinesis.client, streamName, 1);
    await put(stack.kinesis.client, streamName, 'a');
    await put(stack.kinesis.client, streamName, 'b');
    const iterator = await iteratorAt(stack.kinesis.client, streamName, new Date(Date.now() - 60_000));
    expect(await dataFrom(stack.kinesis.client, iterator)).toEqual(['a', 'b']);
  });
});
