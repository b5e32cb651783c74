import { MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';
import { listShardRanges, partitionKeysIn } from '../test/partitionKeys';
import { KeyedProducer, activeWithOpenShards, isOpen, listShards } from '../test/KeyedProducer';
import { useStackAndKinesisMock } from '../../../test/support/stackAndKinesisMock';

// Resharding needs ChildShards (fan-out) and a faithful SplitShard/MergeShards: these tests run on
// kinesis-mock, with leases in dynalite.

/**
 * The bound of every wait below. It only stops a hung test: kinesis-mock answers one request at a
 * time, so each read of the worker queues behind the producer's 20 concurrent puts — on a loaded
 * machine (≈0.5 s a request) a read took ≈10 s, and the first records of a shard came after more
 * than the 10 s the waits used to allow, with the worker reading steadily all along.
 */
const HANG_BOUND_MS = 60_000;
const servers = useStackAndKinesisMock();

describe.each(['polling', 'fanout'] as const)('Worker resharding under load (kinesis-mock, %s)', (retrievalMode) => {
  let worker: Worker | undefined;
  let producer: KeyedProducer | undefined;
  afterEach(async () => {
    await producer?.stop().catch(() => undefined);
    await worker?.shutdown().catch(() => undefined);
    producer = undefined;
    worker = undefined;
  });

  it('split and merge under load: parents finish before children, per-key order preserved along each lineage, nothing lost', async () => {
    const streamName = uniqueName('reshard');
    await createStream(servers.mock.client, streamName, 2);
    const [s0, s1] = await listShardRanges(servers.mock.client, streamName);
    // Adjacent, covering the hash space (kinesis-mock's split point is not exactly 2^127).
    expect(BigInt(s0!.endingHashKey) + 1n).toBe(BigInt(s1!.startingHashKey));
    const splitAt = (BigInt(s0!.startingHashKey) + BigInt(s0!.endingHashKey) + 1n) / 2n;
    const s1Mid = (BigInt(s1!.startingHashKey) + BigInt(s1!.endingHashKey) + 1n) / 2n;

    // 5 keys in each quarter of the hash space, so every shard of every generation gets records:
    // the two halves of shard 0 are the split's children; shard 1 is split in two only to spread keys.
    const range = (from: bigint, to: bigint) => ({ startingHashKey: from.toString(), endingHashKey: to.toString() });
    const quarters = [
      range(BigInt(s0!.startingHashKey), splitAt - 1n),
      range(splitAt, BigInt(s0!.endingHashKey)),
      range(BigInt(s1!.startingHashKey), s1Mid - 1n),
      range(s1Mid, BigInt(s1!.endingHashKey)),
    ];
    const keys = quarters.flatMap((q, i) => partitionKeysIn(q, 5, `pk${i}`));
    expect(new Set(keys).size).toBe(20);

    const recorder = new Recorder();
    const ended: string[] = [];
    const errors: string[] = [];
    worker = new Worker({
      streamName,
      applicationName: uniqueName('app'),
      workerId: 'rs',
      retrievalMode,
      kinesisClient: servers.mock.client,
      dynamoClient: servers.stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 3000,
      parentShardPollIntervalMs: 100,
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(recorder, 'rs'),
    });
    worker.on('shardEnded', ({ shardId }) => ended.push(shardId));
    worker.on('processorError', (error) => errors.push(`processorError: ${String(error)}`));
    worker.on('shardError', (error) => errors.push(`shardError: ${String(error)}`));
    worker.on('leaseLost', ({ shardId }) => errors.push(`leaseLost: ${shardId}`));
    worker.on('recordsOutOfRange', ({ shardId, records }) => errors.push(`recordsOutOfRange: ${shardId} ${records.length}`));
    await worker.start();

    producer = new KeyedProducer(servers.mock.client, streamName, keys);
    producer.start();
    const deliveredOn = (shardId: string) => recorder.records.filter((r) => r.shardId === shardId).length;

    // Phase 1: both original shards flowing.
    await waitFor(() => deliveredOn(s0!.shardId) >= 20 && deliveredOn(s1!.shardId) >= 20, {
      timeoutMs: HANG_BOUND_MS,
      description: 'records from both original shards',
    });

    // Phase 2: split shard 0 at 2^126, keep producing.
    await servers.mock.client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: s0!.shardId, NewStartingHashKey: splitAt.toString() }));
    await waitFor(() => activeWithOpenShards(servers.mock.client, streamName, 3), { timeoutMs: HANG_BOUND_MS, description: 'split done: 3 open shards' });
    const afterSplit = await listShards(servers.mock.client, streamName);
    const splitChildren = afterSplit.filter((s) => s.ParentShardId === s0!.shardId);
    expect(splitChildren).toHaveLength(2);
    // The upper child is adjacent to shard 1.
    const upper = splitChildren.find((s) => BigInt(s.HashKeyRange!.EndingHashKey!) + 1n === BigInt(s1!.startingHashKey))!;
    const lower = splitChildren.find((s) => s !== upper)!;
    expect(upper).toBeDefined();
    await waitFor(() => deliveredOn(upper.ShardId!) >= 10 && deliveredOn(lower.ShardId!) >= 10, {
      timeoutMs: HANG_BOUND_MS,
      description: 'records from both children of the split',
    });

    // Phase 3: merge the upper child with shard 1 (lineage 0 → upper → merged, and 1 → merged).
    await servers.mock.client.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: upper.ShardId!, AdjacentShardToMerge: s1!.shardId }));
    await waitFor(() => activeWithOpenShards(servers.mock.client, streamName, 2), { timeoutMs: HANG_BOUND_MS, description: 'merge done: 2 open shards' });
    const merged = (await listShards(servers.mock.client, streamName)).find((s) => s.AdjacentParentShardId !== undefined && isOpen(s))!;
    expect(merged).toBeDefined();
    expect([merged.ParentShardId, merged.AdjacentParentShardId].sort()).toEqual([upper.ShardId!, s1!.shardId].sort());
    await waitFor(() => deliveredOn(merged.ShardId!) >= 20, { timeoutMs: HANG_BOUND_MS, description: 'records from the merged shard' });

    // Phase 4: stop producing, drain.
    await producer.stop();
    const producedTotal = producer.total;
    await waitFor(() => recorder.records.length >= producedTotal, {
      timeoutMs: HANG_BOUND_MS,
      description: `all ${producedTotal} produced records delivered`,
    });
    await worker.shutdown();

    // Diagnostics first, so a failure says why.
    expect(producer.errors).toEqual([]);
    expect(errors).toEqual([]);

    // Nothing lost, nothing twice (one worker, checkpoint per batch, no restart: no replay).
    const delivered = new Map<string, number[]>();
    for (const record of recorder.records) {
      const [key, n] = record.data.toString().split(':');
      delivered.set(key!, [...(delivered.get(key!) ?? []), Number(n)]);
    }
    expect(recorder.records).toHaveLength(producedTotal);
    for (const key of keys) {
      const got = delivered.get(key) ?? [];
      // Per-key order along the lineage: strictly increasing in delivery order (no gaps either).
      expect({ key, got }).toEqual({ key, got: producer.produced.get(key) });
    }

    // The stream's history: 2 originals, 2 split children, 1 merge child.
    const allShards = await listShards(servers.mock.client, streamName);
    expect(allShards).toHaveLength(5);
    const byId = new Map(allShards.map((s) => [s.ShardId!, s]));

    // Parents finish before children: each child's initialize after every parent's shardEnded.
    expect(ended.sort()).toEqual([s0!.shardId, s1!.shardId, upper.ShardId!].sort());
    const lifecycle = recorder.lifecycle;
    for (const child of [lower, upper, merged]) {
      const init = lifecycle.indexOf(`rs:${child.ShardId}:initialize`);
      expect(init).toBeGreaterThanOrEqual(0);
      for (const parent of [child.ParentShardId, child.AdjacentParentShardId].filter((p): p is string => p !== undefined)) {
        expect(byId.has(parent)).toBe(true);
        const parentEnded = lifecycle.indexOf(`rs:${parent}:shardEnded`);
        expect({ child: child.ShardId, parent, parentEnded: parentEnded >= 0, before: parentEnded < init }).toEqual({
          child: child.ShardId,
          parent,
          parentEnded: true,
          before: true,
        });
      }
    }
    // Every shard initialised exactly once (no lease churn).
    for (const shard of allShards) expect(lifecycle.filter((e) => e === `rs:${shard.ShardId}:initialize`)).toHaveLength(1);
    // A shard that ended is not "lost": its processor hears shardEnded last.
    expect(lifecycle.filter((e) => e.endsWith(":leaseLost"))).toEqual([]);
  }, 6 * HANG_BOUND_MS);
});
