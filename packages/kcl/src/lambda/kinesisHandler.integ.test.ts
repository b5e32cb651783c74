import { GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-kinesis';
import { KinesisProducer } from '@kinesis-toolkit/kpl';
import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { runMapping, type EventRecordInput } from '../../test/LambdaEvents';
import { kinesisHandler } from './kinesisHandler';

// kinesisHandler on what our KPL really wrote: records put by KinesisProducer (aggregated) into
// kinesalite, read back with GetRecords, and turned into Lambda events field by field. The
// event-source mapping is a stand-in implementing the Lambda developer guide's partial batch
// response rules (test/LambdaEvents.ts): no Lambda runs here.

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

async function readShard(streamName: string): Promise<_Record[]> {
  const kinesis = stack.kinesis.client;
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (let page = 0; iterator !== undefined && page < 20; page++) {
    const out = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator }));
    records.push(...(out.Records ?? []));
    if ((out.Records ?? []).length === 0) break;
    iterator = out.NextShardIterator;
  }
  return records;
}

describe('kinesisHandler on records our KPL wrote (kinesalite; the mapping is a stand-in)', () => {
  it('a user record that fails inside a KPL aggregate is reported by the aggregate’s sequence number; the retry loses nothing and repeats only that aggregate’s earlier sub-records', async () => {
    const streamName = uniqueName('lambda');
    await createStream(stack.kinesis.client, streamName, 1);
    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, recordMaxBufferedTimeMs: 50, aggregationMaxCount: 25 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => producer.put({ partitionKey: `customer-${i % 7}`, data: Buffer.from(`order-${i}`) })));
    await producer.close();
    const kinesisRecords = await readShard(streamName);
    expect(kinesisRecords.length).toBeLessThan(200); // aggregated
    const events: EventRecordInput[] = kinesisRecords.map((record) => ({ data: record.Data!, partitionKey: record.PartitionKey!, sequenceNumber: record.SequenceNumber! }));

    // The user record to fail: one in the middle of an aggregate (sub-sequence number > 0).
    const victim = results.find((result) => result.subSequenceNumber === 3)!;
    const victimIndex = results.indexOf(victim);
    const victimName = `order-${victimIndex}`;
    const handed: string[] = [];
    let failed = false;
    const handler = kinesisHandler({
      eachRecord: ({ record }) => {
        const name = record.data.toString();
        handed.push(name);
        if (name === victimName && !failed) {
          failed = true;
          throw new Error('database unavailable');
        }
      },
    });
    const invocations = await runMapping(events, handler, { batchSize: 1000 });

    expect(invocations.map((invocation) => invocation.outcome)).toEqual(['partial', 'success']);
    expect(invocations[0]!.response).toEqual({ batchItemFailures: [{ itemIdentifier: victim.sequenceNumber }] });
    expect(invocations[1]!.firstSequenceNumber).toBe(victim.sequenceNumber);
    // Nothing lost: every order was handed over; the repeats are exactly the aggregate's sub-records 0..3.
    const counts = new Map<string, number>();
    for (const name of handed) counts.set(name, (counts.get(name) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(Array.from({ length: 200 }, (_, i) => `order-${i}`).sort());
    const repeated = [...counts.entries()].filter(([, count]) => count > 1).map(([name]) => name);
    const sameAggregate = results
      .map((result, i) => ({ result, name: `order-${i}` }))
      .filter(({ result }) => result.sequenceNumber === victim.sequenceNumber && result.subSequenceNumber <= 3)
      .map(({ name }) => name);
    expect(repeated.sort()).toEqual(sameAggregate.sort());
    expect(sameAggregate).toHaveLength(4);
  }, 30_000);
});
