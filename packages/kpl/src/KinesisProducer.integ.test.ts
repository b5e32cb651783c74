import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import { AwsRequestError } from '@kinesis-toolkit/core';
import { KinesisProducer } from './KinesisProducer';
import { PutFailedError } from './errors/PutFailedError';
import { readStream } from '../test/readStream';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const payload = (i: number) => Buffer.from(`record-${i}-${'x'.repeat(i % 50)}`);

describe('KinesisProducer against kinesalite', () => {
  it('settles every put with its shard and sequence number, and every record is readable in the right shard', async () => {
    const streamName = uniqueName('kpl');
    await createStream(stack.kinesis.client, streamName, 4);
    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, recordMaxBufferedTimeMs: 50 });
    const count = 5000;
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) => producer.put({ partitionKey: `key-${i % 397}`, data: payload(i) })),
    );
    await producer.close();

    expect(results).toHaveLength(count);
    const stored = await readStream(stack.kinesis.client, streamName);
    expect(stored.outOfRange).toEqual([]);
    expect(stored.records).toHaveLength(count);
    // Far fewer Kinesis records than user records: aggregation happened.
    expect(stored.kinesisRecords).toBeLessThan(count / 10);
    const byPosition = new Map(stored.records.map((r) => [`${r.sequenceNumber}/${r.subSequenceNumber}`, r]));
    results.forEach((result, i) => {
      const found = byPosition.get(`${result.sequenceNumber}/${result.subSequenceNumber}`);
      expect(found?.data).toEqual(payload(i));
      expect(found?.shardId).toBe(result.shardId);
      expect(result.attempts).toHaveLength(1);
    });
    // Every record sits in the shard that owns its hash key.
    for (const record of stored.records) {
      const shard = stored.shards.find((s) => s.ShardId === record.shardId)!;
      const key = hashKeyOf(record.partitionKey);
      expect(key >= BigInt(shard.HashKeyRange!.StartingHashKey!) && key <= BigInt(shard.HashKeyRange!.EndingHashKey!)).toBe(true);
    }
  });

  it('routes by explicit hash key and sends single records when aggregation is off', async () => {
    const streamName = uniqueName('kpl-ehk');
    await createStream(stack.kinesis.client, streamName, 2);
    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, aggregationEnabled: false });
    const low = await producer.put({ partitionKey: 'a', data: Buffer.from('low'), explicitHashKey: '0' });
    const high = await producer.put({ partitionKey: 'a', data: Buffer.from('high'), explicitHashKey: ((1n << 128n) - 1n).toString() });
    await producer.close();
    expect(low.shardId).toBe('shardId-000000000000');
    expect(high.shardId).toBe('shardId-000000000001');
    expect(low.aggregated).toBe(false);
    expect(low.subSequenceNumber).toBe(0);
  });

  it('rejects every put at once with a typed, non-retryable error when the stream does not exist', async () => {
    // A TTL far beyond the test's timeout: the puts must fail on ListShards' answer, not expire.
    const producer = new KinesisProducer({ streamName: uniqueName('missing'), kinesisClient: stack.kinesis.client, recordTtlMs: 600_000 });
    const puts = Array.from({ length: 20 }, (_, i) => producer.put({ partitionKey: `k${i}`, data: Buffer.from('x') }));
    const outcomes = await Promise.allSettled(puts);
    await producer.close();
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const error = (outcome as PromiseRejectedResult).reason as PutFailedError;
      expect(error).toBeInstanceOf(PutFailedError);
      expect(error.errorCode).toBe('ResourceNotFoundException');
      expect(error.retryable).toBe(false);
      expect(error.attempts).toEqual([]); // never sent: ListShards said the stream is missing
      expect(error.cause).toBeInstanceOf(AwsRequestError);
      expect(error.cause).toMatchObject({ operation: 'ListShards', kind: 'fatal' });
    }
  }, 20_000);

  it('Lambda pattern: flush() before the handler returns sends everything put during it', async () => {
    const streamName = uniqueName('kpl-lambda');
    await createStream(stack.kinesis.client, streamName, 1);
    // A long buffer time: without flush() nothing would be sent before the handler returns.
    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, recordMaxBufferedTimeMs: 60_000 });
    const handler = async (event: { items: string[] }) => {
      for (const item of event.items) void producer.put({ partitionKey: item, data: Buffer.from(item) });
      await producer.flush();
      return producer.outstandingRecords;
    };
    expect(await handler({ items: ['a', 'b', 'c'] })).toBe(0);
    expect(await handler({ items: ['d', 'e'] })).toBe(0);
    const stored = await readStream(stack.kinesis.client, streamName);
    expect(stored.records.map((r) => r.data.toString()).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    await producer.close();
  });
});
