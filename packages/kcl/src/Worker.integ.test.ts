import { PutRecordsCommand, SplitShardCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import type { WorkerOptions } from './config/WorkerOptions';
import { ShardEndNotCheckpointedError } from './errors';
import { InMemoryLeaseStore } from './leases/InMemoryLeaseStore';
import { LeaseStoreError } from './leases/errors';
import type { Lease } from './leases/Lease';
import { Recorder, RecordingProcessor, type RecordingOptions } from '../test/RecordingProcessor';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

/** Puts `count` records (aggregated, like a KPL producer) with ids from `from`. */
async function produce(kinesis: KinesisClient, streamName: string, from: number, count: number, keys = 53): Promise<void> {
  const users = Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${(from + i) % keys}`, data: Buffer.from(`r${from + i}`) }));
  // Group by key so each aggregate's sub-records share a shard (as the producer does per shard).
  const byKey = new Map<string, typeof users>();
  for (const user of users) byKey.set(user.partitionKey, [...(byKey.get(user.partitionKey) ?? []), user]);
  const entries = [...byKey.values()].flatMap((group) => aggregate(group, { maxBytes: 2000 }));
  for (let i = 0; i < entries.length; i += 500) {
    const out = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: entries.slice(i, i + 500).map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })),
      }),
    );
    expect(out.FailedRecordCount ?? 0).toBe(0);
  }
}

function workerFor(streamName: string, applicationName: string, recorder: Recorder, name: string, extra: Partial<WorkerOptions> = {}, processor: RecordingOptions = {}): Worker {
  return new Worker({
    streamName,
    applicationName,
    workerId: name,
    kinesisClient: stack.kinesis.client,
    dynamoClient: stack.dynamodb.client,
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: 1500,
    idleTimeBetweenReadsMs: 200,
    shardSyncIntervalMs: 1000,
    parentShardPollIntervalMs: 100,
    processorFactory: () => new RecordingProcessor(recorder, name, processor),
    ...extra,
  });
}

const ids = (recorder: Recorder) => recorder.records.map((r) => Number(r.data.toString().slice(1)));

describe('Worker against kinesalite and dynalite', () => {
  it('takes every shard, delivers every user record once in shard order, and checkpoints', async () => {
    const streamName = uniqueName('kcl');
    await createStream(stack.kinesis.client, streamName, 4);
    await produce(stack.kinesis.client, streamName, 0, 2000);
    const recorder = new Recorder();
    const worker = workerFor(streamName, uniqueName('app'), recorder, 'w1');
    await worker.start();
    await waitFor(() => recorder.records.length >= 2000, { timeoutMs: 20_000, description: '2000 records' });
    expect(worker.heldShards).toHaveLength(4);
    await worker.shutdown();
    expect(new Set(ids(recorder)).size).toBe(2000);
    expect(recorder.records).toHaveLength(2000);
    // Within a shard, positions strictly increase.
    for (const shardRecords of groupBy(recorder.records, (r) => r.shardId).values()) {
      for (let i = 1; i < shardRecords.length; i++) {
        const [a, b] = [shardRecords[i - 1]!, shardRecords[i]!];
        expect(BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) || (a.sequenceNumber === b.sequenceNumber && a.subSequenceNumber < b.subSequenceNumber)).toBe(true);
      }
    }
  }, 30_000);

  it('resumes exactly after its checkpoints, sub-sequence numbers included', async () => {
    const streamName = uniqueName('kcl-resume');
    const app = uniqueName('app');
    await createStream(stack.kinesis.client, streamName, 1);
    await produce(stack.kinesis.client, streamName, 0, 300, 1); // one key: big aggregates
    const first = new Recorder();
    // Checkpoint only some way into the records: a processor that checkpoints the 100th record.
    const worker = new Worker({
      streamName,
      applicationName: app,
      workerId: 'w1',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => ({
        processRecords: async ({ records, checkpointer }) => {
          for (const r of records) first.records.push({ ...r, shardId: 's', worker: 'w1' });
          const hundredth = first.records[99];
          if (hundredth && first.records.length - records.length < 100) await checkpointer.checkpoint(hundredth);
        },
        shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
      }),
    });
    await worker.start();
    await waitFor(() => first.records.length >= 300, { timeoutMs: 10_000, description: 'first pass' });
    await worker.shutdown();
    const checkpointed = first.records[99]!;
    expect(checkpointed.subSequenceNumber).toBeGreaterThan(0); // mid-aggregate

    const second = new Recorder();
    const again = workerFor(streamName, app, second, 'w2', {}, { checkpointEachBatch: false, checkpointAtShutdown: false });
    await again.start();
    await waitFor(() => second.records.length >= 200, { timeoutMs: 10_000, description: 'second pass' });
    await again.shutdown();
    expect(ids(second)).toEqual(ids(first).slice(100));
    expect(second.initialized[0]!.startingSequenceNumber).toEqual({ sequenceNumber: checkpointed.sequenceNumber, subSequenceNumber: checkpointed.subSequenceNumber });
  }, 30_000);

  it('spreads leases over two workers and hands over on graceful shutdown without duplicates', async () => {
    const streamName = uniqueName('kcl-two');
    const app = uniqueName('app');
    await createStream(stack.kinesis.client, streamName, 6);
    const recorder = new Recorder();
    const a = workerFor(streamName, app, recorder, 'a');
    const b = workerFor(streamName, app, recorder, 'b');
    await a.start();
    await b.start();
    await waitFor(() => a.heldShards.length === 3 && b.heldShards.length === 3, { timeoutMs: 15_000, description: 'leases spread 3/3' });
    await produce(stack.kinesis.client, streamName, 0, 1200);
    await waitFor(() => recorder.records.length >= 1200, { timeoutMs: 15_000, description: 'first 1200' });

    const released: string[] = [];
    b.on('leaseTaken', ({ shardId, previousOwner }) => previousOwner === undefined && released.push(shardId));
    const heldByA = a.heldShards;
    await a.shutdown();
    // Released leases have no owner: b takes them as unowned (at its next round, not after expiry;
    // how fast is a benchmark figure: npm run bench -- kcl, "SIGTERM").
    await waitFor(() => b.heldShards.length === 6, { timeoutMs: 15_000, description: 'b takes all six' });
    expect(released.sort()).toEqual(heldByA);
    await produce(stack.kinesis.client, streamName, 1200, 600);
    await waitFor(() => recorder.records.length >= 1800, { timeoutMs: 15_000, description: 'all 1800' });
    await b.shutdown();
    expect(recorder.records).toHaveLength(1800); // no duplicates: a checkpointed at shutdown
    expect(new Set(ids(recorder)).size).toBe(1800);
    // a handed three leases over to b when b started (balancing: shutdownRequested, then handed over)
    // and released the other three at its shutdown; no lease was lost on the way.
    expect(recorder.lifecycle.filter((l) => l.startsWith('a:') && l.endsWith('shutdownRequested'))).toHaveLength(6);
    expect(recorder.lifecycle.filter((l) => l.endsWith('leaseLost'))).toEqual([]);
  }, 40_000);

  it('retries a batch whose processor throws, never skipping it', async () => {
    const streamName = uniqueName('kcl-throw');
    await createStream(stack.kinesis.client, streamName, 1);
    await produce(stack.kinesis.client, streamName, 0, 50);
    const recorder = new Recorder();
    const errors: string[] = [];
    const worker = workerFor(streamName, uniqueName('app'), recorder, 'w', {}, { failFirstBatches: 2 });
    worker.on('processorError', (error) => errors.push(error.message));
    await worker.start();
    await waitFor(() => recorder.records.length >= 50, { timeoutMs: 10_000, description: 'records after retries' });
    await worker.shutdown();
    expect(errors.filter((m) => /processRecords failed \(attempt [12]; retrying\): injected failure/.test(m))).toHaveLength(2);
    expect(ids(recorder).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  }, 20_000);

  it('starts children only after the parent checkpointed SHARD_END, and reports a processor that forgets to', async () => {
    const streamName = uniqueName('kcl-split');
    const app = uniqueName('app');
    await createStream(stack.kinesis.client, streamName, 1);
    await produce(stack.kinesis.client, streamName, 0, 200);
    const kinesis = stack.kinesis.client;
    await kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (1n << 127n).toString() }));
    await waitFor(async () => ((await kinesis.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? []).length === 3, { timeoutMs: 5000 });
    await produce(kinesis, streamName, 200, 200);

    // First a processor that forgets to checkpoint at shard end: the children must not start.
    const forgetful = new Recorder();
    const errors: unknown[] = [];
    const w1 = workerFor(streamName, app, forgetful, 'forgetful', {}, { checkpointAtShardEnd: false, checkpointAtShutdown: false });
    w1.on('processorError', (error) => errors.push(error));
    await w1.start();
    await waitFor(() => errors.some((e) => e instanceof ShardEndNotCheckpointedError), { timeoutMs: 10_000, description: 'forgotten shard end reported' });
    expect(forgetful.records.every((r) => r.shardId === 'shardId-000000000000')).toBe(true);
    expect(ids(forgetful).length).toBe(200);
    await w1.shutdown();

    // Then a correct one: the parent finishes, then both children, every record once.
    const recorder = new Recorder();
    const w2 = workerFor(streamName, app, recorder, 'good');
    await w2.start();
    await waitFor(() => recorder.records.length >= 200, { timeoutMs: 15_000, description: 'children delivered' });
    await w2.shutdown();
    expect(new Set([...ids(forgetful), ...ids(recorder)]).size).toBe(400);
    const parentEnded = recorder.lifecycle.indexOf('good:shardId-000000000000:shardEnded');
    const childStarts = recorder.lifecycle.filter((l) => /shardId-00000000000[12]:initialize/.test(l)).map((l) => recorder.lifecycle.indexOf(l));
    expect(parentEnded).toBeGreaterThanOrEqual(0);
    expect(childStarts).toHaveLength(2);
    for (const start of childStarts) expect(start).toBeGreaterThan(parentEnded);
  }, 40_000);
});

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

describe('Worker cut off from its lease table', () => {
  it('stops processing a shard whose lease it cannot renew (the lease-drop rule; its timing is unit-tested on a ManualClock)', async () => {
    let unreachable = false;
    class FlakyStore extends InMemoryLeaseStore {
      override async renewLease(lease: Lease): Promise<Lease> {
        if (unreachable) throw new LeaseStoreError('renewLease', new Error('connect ECONNREFUSED'), true);
        return super.renewLease(lease);
      }
      override async takeLease(lease: Lease, newOwner: string): Promise<Lease> {
        if (unreachable) throw new LeaseStoreError('takeLease', new Error('connect ECONNREFUSED'), true);
        return super.takeLease(lease, newOwner);
      }
    }
    const streamName = uniqueName('kcl-cutoff');
    await createStream(stack.kinesis.client, streamName, 1);
    const recorder = new Recorder();
    const worker = new Worker(
      {
        streamName,
        applicationName: uniqueName('app'),
        workerId: 'cut',
        kinesisClient: stack.kinesis.client,
        initialPosition: 'TRIM_HORIZON',
        failoverTimeMs: 600,
        idleTimeBetweenReadsMs: 200,
        processorFactory: () => new RecordingProcessor(recorder, 'cut'),
      },
      { leaseStore: new FlakyStore() },
    );
    const lost: string[] = [];
    worker.on('leaseLost', ({ shardId }) => lost.push(shardId));
    await worker.start();
    await waitFor(() => worker.heldShards.length === 1, { timeoutMs: 5000, description: 'lease taken' });
    unreachable = true;
    await waitFor(() => lost.length === 1, { timeoutMs: 5000, description: 'lease dropped locally' });
    expect(worker.heldShards).toEqual([]);
    expect(recorder.lifecycle).toContain('cut:shardId-000000000000:leaseLost');
    unreachable = false;
    await worker.shutdown();
  }, 20_000);
});
