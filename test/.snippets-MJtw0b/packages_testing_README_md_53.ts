import { GetRecordsCommand, GetShardIteratorCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';

let stack: TestStack;
beforeAll(() => { stack = getTestStack(); });
afterAll(() => stack.destroy());

it('reads what it wrote', async () => {
  const kinesis = stack.kinesis.client;
  const StreamName = uniqueName('orders');                     // e.g. orders-m3k2x9qa-1f3-0
  await createStream(kinesis, StreamName, 1);                  // resolves once ACTIVE
  const { ShardId } = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('x') }));
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const records = await waitFor(
    async () => {
      const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      return Records.length > 0 && Records;                    // falsy = not yet; an empty array would be truthy
    },
    { timeoutMs: 5_000, description: 'the record on the stream' },
  );
  expect(records).toHaveLength(1);
});
export {};
