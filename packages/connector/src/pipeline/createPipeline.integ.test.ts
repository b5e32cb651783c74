import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Worker } from '@kinesis-toolkit/kcl';
import { KinesisProducer, type PutResult } from '@kinesis-toolkit/kpl';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import type { EmitBatch, EmitResult, Emitter } from '../emitters/Emitter';
import { StringTransformer } from '../transformers/StringTransformer';
import { createPipeline } from './createPipeline';
import { comparePositions } from './positions';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

/** Keeps what it is asked to write; throws on the first `failFirst` emits of each shard (a sink that is down, then recovers). */
class FlakyMemoryEmitter implements Emitter<string> {
  readonly written: { item: string; shardId: string; sequenceNumber: string; subSequenceNumber: number }[] = [];
  readonly emitsByShard = new Map<string, number>();
  constructor(private readonly failFirst: number) {}

  async emit(batch: EmitBatch<string>): Promise<EmitResult<string>> {
    const emits = (this.emitsByShard.get(batch.shardId) ?? 0) + 1;
    this.emitsByShard.set(batch.shardId, emits);
    if (emits <= this.failFirst) throw new Error('sink down');
    batch.items.forEach((item, i) => this.written.push({ item, shardId: batch.shardId, ...batch.sources[i]! }));
    return { failed: [] };
  }
}

describe('createPipeline on a Worker against kinesalite and dynalite', () => {
  it('emits every produced record exactly once through sink failures, and checkpoints the last emitted record of each shard', async () => {
    const streamName = uniqueName('conn');
    const applicationName = uniqueName('conn-app');
    await createStream(stack.kinesis.client, streamName, 2);
    const producer = new KinesisProducer({ streamName, kinesisClient: stack.kinesis.client, recordMaxBufferedTimeMs: 50 });
    const count = 600;
    const results: PutResult[] = await Promise.all(Array.from({ length: count }, (_, i) => producer.put({ partitionKey: `key-${i % 41}`, data: Buffer.from(String(i)) })));
    await producer.close();

    // Enough failures that each shard's first batch exhausts its 3 attempts with no failure sink:
    // processRecords throws, the worker delivers the same records again, and the pipeline must
    // resume that batch without buffering the records twice.
    const emitter = new FlakyMemoryEmitter(4);
    const pipeline = createPipeline({
      streamName,
      transformer: new StringTransformer(),
      emitter,
      buffer: { maxRecords: 100, maxAgeMs: 300 },
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    });
    let exhausted = 0;
    pipeline.on('retriesExhausted', () => exhausted++);
    const worker = new Worker({
      streamName,
      applicationName,
      workerId: 'w1',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 3000,
      idleTimeBetweenReadsMs: 200,
      shardSyncIntervalMs: 1000,
      processorFactory: pipeline,
    });
    await worker.start();
    try {
      await waitFor(() => emitter.written.length >= count, { timeoutMs: 20_000, description: `${count} records emitted` });
    } finally {
      await worker.shutdown();
      await pipeline.shutdown();
    }

    const ids = emitter.written.map((w) => Number(w.item));
    expect(ids).toHaveLength(count);
    expect(new Set(ids).size).toBe(count);
    expect([...emitter.emitsByShard.values()].every((emits) => emits > 4)).toBe(true);
    expect(exhausted).toBeGreaterThanOrEqual(2);

    // The lease table holds, per shard, the last record put there (all of it was emitted).
    const lastPut = new Map<string, PutResult>();
    for (const result of results) {
      const previous = lastPut.get(result.shardId);
      if (previous === undefined || comparePositions(result, previous) > 0) lastPut.set(result.shardId, result);
    }
    const table = await stack.dynamodb.client.send(new ScanCommand({ TableName: applicationName, ConsistentRead: true }));
    const checkpoints = Object.fromEntries((table.Items ?? []).map((item) => [item.leaseKey!.S!, `${item.checkpoint!.S}/${item.checkpointSubSequenceNumber?.N ?? '0'}`]));
    expect(checkpoints).toEqual(Object.fromEntries([...lastPut].map(([shardId, r]) => [shardId, `${r.sequenceNumber}/${r.subSequenceNumber}`])));
  }, 30_000);
});
