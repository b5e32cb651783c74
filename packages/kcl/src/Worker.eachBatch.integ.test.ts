import { MergeShardsCommand, PutRecordsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import type { WorkerOptions } from './config/WorkerOptions';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import type { Batch } from './processor/BatchHandlerOptions';
import { KeyedProducer, activeWithOpenShards, isOpen, listShards } from '../test/KeyedProducer';
import { listShardRanges, partitionKeysIn } from '../test/partitionKeys';
import { useStackAndKinesisMock } from '../../../test/support/stackAndKinesisMock';

// eachBatch, eachRecord and worker.batches() against real protocol servers: kinesalite (and
// kinesis-mock, whose SplitShard/MergeShards answer ChildShards) with leases in dynalite. Nothing
// here has checkpoint code: the worker checkpoints.

const servers = useStackAndKinesisMock();

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.shutdown().catch(() => undefined)));
});

function newWorker(kinesisClient: KinesisClient, options: WorkerOptions): Worker {
  const worker = new Worker({
    kinesisClient,
    dynamoClient: servers.stack.dynamodb.client,
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: 3000,
    idleTimeBetweenReadsMs: 200,
    parentShardPollIntervalMs: 100,
    ...options,
  });
  workers.push(worker);
  return worker;
}

/** Failures a worker reported, for a diagnostic first assertion. */
function errorsOf(worker: Worker): string[] {
  const errors: string[] = [];
  worker.on('processorError', (error) => errors.push(`processorError: ${error.message}`));
  worker.on('shardError', (error) => errors.push(`shardError: ${error.message}`));
  worker.on('workerError', (error) => errors.push(`workerError: ${error.message}`));
  worker.on('leaseLost', ({ shardId }) => errors.push(`leaseLost: ${shardId}`));
  return errors;
}

/** Puts records `r${from}`… as KPL aggregates (grouped by key, as the producer does per shard). */
async function produce(kinesis: KinesisClient, streamName: string, from: number, count: number): Promise<void> {
  const byKey = new Map<string, { partitionKey: string; data: Buffer }[]>();
  for (let i = from; i < from + count; i++) {
    const partitionKey = `key-${i % 31}`;
    byKey.set(partitionKey, [...(byKey.get(partitionKey) ?? []), { partitionKey, data: Buffer.from(`r${i}`) }]);
  }
  const entries = [...byKey.values()].flatMap((group) => aggregate(group, { maxBytes: 1500 }));
  const out = await kinesis.send(new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })) }));
  expect(out.FailedRecordCount ?? 0).toBe(0);
}

const idOf = (data: Buffer) => Number(data.toString().slice(1));

describe.each([
  ['kinesis-mock: ChildShards', () => servers.mock.client],
  ['kinesalite: children from ListShards', () => servers.stack.kinesis.client],
])('eachBatch through a split and a merge (%s)', (_backend, client) => {
  it('needs no checkpoint code: parents end with SHARD_END, children start, nothing lost or repeated, per-key order kept', async () => {
    const kinesis = client();
    const streamName = uniqueName('each-reshard');
    await createStream(kinesis, streamName, 2);
    const [s0, s1] = await listShardRanges(kinesis, streamName);
    const splitAt = (BigInt(s0!.startingHashKey) + BigInt(s0!.endingHashKey) + 1n) / 2n;
    const s1Mid = (BigInt(s1!.startingHashKey) + BigInt(s1!.endingHashKey) + 1n) / 2n;
    const range = (from: bigint, to: bigint) => ({ startingHashKey: from.toString(), endingHashKey: to.toString() });
    // Keys in each quarter of the hash space, so that every shard of every generation gets records.
    const quarters = [range(BigInt(s0!.startingHashKey), splitAt - 1n), range(splitAt, BigInt(s0!.endingHashKey)), range(BigInt(s1!.startingHashKey), s1Mid - 1n), range(s1Mid, BigInt(s1!.endingHashKey))];
    const keys = quarters.flatMap((quarter, i) => partitionKeysIn(quarter, 4, `pk${i}`));

    const delivered: { shardId: string; key: string; n: number }[] = [];
    const ended: string[] = [];
    const worker = newWorker(kinesis, {
      streamName,
      applicationName: uniqueName('each-app'),
      eachBatch: async ({ shardId, records }) => {
        for (const record of records) {
          const [key, n] = record.data.toString().split(':');
          delivered.push({ shardId, key: key!, n: Number(n) });
        }
      },
    });
    const errors = errorsOf(worker);
    worker.on('shardEnded', ({ shardId }) => ended.push(shardId));
    await worker.start();
    const producer = new KeyedProducer(kinesis, streamName, keys);
    producer.start();
    const deliveredOn = (shardId: string) => delivered.filter((record) => record.shardId === shardId).length;
    try {
      await waitFor(() => deliveredOn(s0!.shardId) >= 10 && deliveredOn(s1!.shardId) >= 10, { timeoutMs: 15_000, description: 'records from both shards' });

      await kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: s0!.shardId, NewStartingHashKey: splitAt.toString() }));
      await waitFor(() => activeWithOpenShards(kinesis, streamName, 3), { timeoutMs: 15_000, description: 'split done' });
      const children = (await listShards(kinesis, streamName)).filter((shard) => shard.ParentShardId === s0!.shardId);
      expect(children).toHaveLength(2);
      const upper = children.find((shard) => BigInt(shard.HashKeyRange!.EndingHashKey!) + 1n === BigInt(s1!.startingHashKey))!;
      await waitFor(() => children.every((child) => deliveredOn(child.ShardId!) >= 5), { timeoutMs: 20_000, description: 'records from both children of the split' });

      await kinesis.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: upper.ShardId!, AdjacentShardToMerge: s1!.shardId }));
      await waitFor(() => activeWithOpenShards(kinesis, streamName, 2), { timeoutMs: 15_000, description: 'merge done' });
      const merged = (await listShards(kinesis, streamName)).find((shard) => shard.AdjacentParentShardId !== undefined && isOpen(shard))!;
      await waitFor(() => deliveredOn(merged.ShardId!) >= 10, { timeoutMs: 20_000, description: 'records from the merged shard' });
    } finally {
      await producer.stop();
    }
    await waitFor(() => delivered.length >= producer.total, { timeoutMs: 15_000, description: `all ${producer.total} records` });
    await worker.shutdown();

    expect(producer.errors).toEqual([]);
    expect(errors).toEqual([]);
    expect(delivered).toHaveLength(producer.total);
    for (const key of keys) {
      expect({ key, got: delivered.filter((record) => record.key === key).map((record) => record.n) }).toEqual({ key, got: producer.produced.get(key) });
    }
    // The three parents (shard 0, its upper child, shard 1) ended: SHARD_END was checkpointed for each.
    const parents = [s0!.shardId, s1!.shardId, (await listShards(kinesis, streamName)).find((shard) => shard.ParentShardId === s0!.shardId && shard.ShardId !== undefined && !isOpen(shard))!.ShardId!];
    expect([...ended].sort()).toEqual([...parents].sort());
    const store = new DynamoDBLeaseStore(servers.stack.dynamodb.client, { tableName: worker.config.applicationName });
    for (const parent of parents) expect((await store.getLease(parent))?.checkpoint.sequenceNumber ?? 'deleted').toMatch(/^(SHARD_END|deleted)$/);
  }, 90_000);
});

describe('eachBatch, eachRecord and batches() against kinesalite and dynalite', () => {
  it('on shutdown checkpoints the last completed batch; the next worker resumes right after it', async () => {
    const streamName = uniqueName('each-shutdown');
    const applicationName = uniqueName('each-app');
    await createStream(servers.stack.kinesis.client, streamName, 1);
    await produce(servers.stack.kinesis.client, streamName, 0, 600);
    const first: number[] = [];
    // Only shutdown checkpoints (thresholds never reached); the third batch is cut short by the signal.
    let batches = 0;
    let cutShort: Batch | undefined;
    const worker = newWorker(servers.stack.kinesis.client, {
      streamName,
      applicationName,
      maxRecords: 5,
      autoCheckpoint: { everyRecords: 1_000_000 },
      eachBatch: async (batch) => {
        if (++batches === 3) {
          cutShort = batch;
          await new Promise((_resolve, reject) => batch.signal.addEventListener('abort', () => reject(batch.signal.reason), { once: true }));
        }
        for (const record of batch.records) first.push(idOf(record.data));
      },
    });
    await worker.start();
    await waitFor(() => cutShort !== undefined, { timeoutMs: 10_000, description: 'the third batch running' });
    await worker.shutdown();
    expect(cutShort!.signal.aborted).toBe(true);
    expect(first.length).toBeGreaterThan(0);

    const second: number[] = [];
    const next = newWorker(servers.stack.kinesis.client, { streamName, applicationName, eachRecord: async ({ record }) => void second.push(idOf(record.data)) });
    await next.start();
    await waitFor(() => first.length + second.length >= 600, { timeoutMs: 20_000, description: 'the rest read by the next worker' });
    await next.shutdown();
    // Exactly after the last completed batch: nothing lost, nothing of the first worker's read again.
    expect([...first, ...second].sort((a, b) => a - b)).toEqual(Array.from({ length: 600 }, (_, i) => i));
  }, 40_000);

  it('retries a throwing batch; the lease table’s checkpoint never passes it', async () => {
    const streamName = uniqueName('each-retry');
    const applicationName = uniqueName('each-app');
    await createStream(servers.stack.kinesis.client, streamName, 1);
    await produce(servers.stack.kinesis.client, streamName, 0, 50);
    const store = new DynamoDBLeaseStore(servers.stack.dynamodb.client, { tableName: applicationName });
    const checkpointsWhileFailing: string[] = [];
    let failuresLeft = 3;
    let firstFailing: string | undefined;
    const seen = new Set<number>();
    const worker = newWorker(servers.stack.kinesis.client, {
      streamName,
      applicationName,
      maxRecords: 3,
      eachBatch: async ({ records }) => {
        if (seen.size > 0 && failuresLeft > 0) {
          failuresLeft--;
          firstFailing ??= records[0]!.sequenceNumber;
          checkpointsWhileFailing.push((await store.getLease(worker.heldShards[0]!))!.checkpoint.sequenceNumber);
          throw new Error('downstream unavailable');
        }
        for (const record of records) seen.add(idOf(record.data));
      },
    });
    const errors = errorsOf(worker);
    await worker.start();
    await waitFor(() => seen.size >= 50, { timeoutMs: 20_000, description: 'every record' });
    await worker.shutdown();
    expect(errors.filter((error) => error.startsWith('processorError'))).toHaveLength(3);
    // Before and during the failures, the checkpoint sat before the failing batch.
    for (const checkpoint of checkpointsWhileFailing) expect(BigInt(checkpoint)).toBeLessThan(BigInt(firstFailing!));
  }, 40_000);

  it('worker.batches(): every record once in shard order; break shuts the worker down, checkpoints what was done and releases the leases', async () => {
    const streamName = uniqueName('each-iterate');
    const applicationName = uniqueName('each-app');
    await createStream(servers.stack.kinesis.client, streamName, 2);
    await produce(servers.stack.kinesis.client, streamName, 0, 400);
    const worker = newWorker(servers.stack.kinesis.client, { streamName, applicationName, maxRecords: 20 });
    const seen: { shardId: string; id: number; sequenceNumber: string; subSequenceNumber: number }[] = [];
    for await (const batch of worker.batches()) {
      for (const record of batch.records) seen.push({ shardId: batch.shardId, id: idOf(record.data), sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber });
      if (seen.length >= 400) {
        await batch.checkpoint(); // this one is done too
        break;
      }
    }
    expect(seen.map((record) => record.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i));
    for (const shardId of new Set(seen.map((record) => record.shardId))) {
      const positions = seen.filter((record) => record.shardId === shardId);
      for (let i = 1; i < positions.length; i++) {
        const [a, b] = [positions[i - 1]!, positions[i]!];
        expect(BigInt(a.sequenceNumber) < BigInt(b.sequenceNumber) || (a.sequenceNumber === b.sequenceNumber && a.subSequenceNumber < b.subSequenceNumber)).toBe(true);
      }
    }
    const store = new DynamoDBLeaseStore(servers.stack.dynamodb.client, { tableName: applicationName });
    const { leases } = await store.listLeases();
    expect(leases.map((lease) => lease.leaseOwner)).toEqual([undefined, undefined]);
    // Each shard checkpointed at its last record seen.
    for (const lease of leases) {
      const last = seen.filter((record) => record.shardId === lease.leaseKey).at(-1)!;
      expect(lease.checkpoint).toEqual({ sequenceNumber: last.sequenceNumber, subSequenceNumber: last.subSequenceNumber });
    }
  }, 40_000);
});
