import { once } from 'node:events';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  MergeShardsCommand,
  SplitShardCommand,
  type KinesisClient,
  type ListShardsCommandInput,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { listAllShards } from '@kinesis-toolkit/core';
import { createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { KinesisProducer } from './KinesisProducer';
import { checkKeyOrder, keyedData, type KeyOrderReport } from '../test/keyOrder';
import { readAlongLineage } from '../test/readStream';
import { useStackAndKinesisMock } from '../../../test/support/stackAndKinesisMock';

// Per-key order with preserveOrder while the stream reshards, on both emulators: kinesalite
// (SplitShard and MergeShards, no ChildShards) and kinesis-mock (both, with ChildShards). Records
// are read back as a lineage-following consumer reads them: parents before children, only
// records inside their shard's range.
const servers = useStackAndKinesisMock();

const listShards = (client: KinesisClient, streamName: string): Promise<Shard[]> =>
  listAllShards<Shard>((input) => client.send(new ListShardsCommand(input as ListShardsCommandInput)), { streamName });

const isOpen = (shard: Shard): boolean => shard.SequenceNumberRange?.EndingSequenceNumber === undefined;
const start = (shard: Shard): bigint => BigInt(shard.HashKeyRange!.StartingHashKey!);
const end = (shard: Shard): bigint => BigInt(shard.HashKeyRange!.EndingHashKey!);

/** Open shards, ordered by hash range, once the stream is ACTIVE with `count` of them. */
async function openShards(client: KinesisClient, streamName: string, count: number): Promise<Shard[]> {
  return waitFor(
    async () => {
      const { StreamDescriptionSummary: summary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      if (summary?.StreamStatus !== 'ACTIVE') return undefined;
      const open = (await listShards(client, streamName)).filter(isOpen).sort((a, b) => (start(a) < start(b) ? -1 : 1));
      return open.length === count ? open : undefined;
    },
    { timeoutMs: 15_000, description: `${streamName}: ACTIVE with ${count} open shards` },
  );
}

async function split(client: KinesisClient, streamName: string, shard: Shard): Promise<void> {
  const middle = (start(shard) + end(shard) + 1n) / 2n;
  await client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: shard.ShardId!, NewStartingHashKey: middle.toString() }));
}

/**
 * Puts `total` records round-robin over `keys` (data `key#n`) as fast as the producer's
 * backpressure allows — or, with `pauseMs`, pausing that long every 100 puts (pacing, so that
 * records are acknowledged before an early event) — starting `events[i]` (not awaited:
 * production goes on) before put #i, and waiting for `gates[i]` (production holds) before put #i.
 */
async function produce(
  producer: KinesisProducer,
  keys: readonly string[],
  total: number,
  events: ReadonlyMap<number, (progress: { acknowledged: number }) => Promise<void>> = new Map(),
  pauseMs = 0,
  gates: ReadonlyMap<number, () => Promise<void>> = new Map(),
) {
  const errors: string[] = [];
  const progress = { acknowledged: 0 };
  const acknowledged = (): void => void progress.acknowledged++;
  const running: Promise<void>[] = [];
  const counts = new Map(keys.map((key) => [key, 0]));
  for (let i = 0; i < total; i++) {
    const event = events.get(i);
    if (event !== undefined) running.push(event(progress));
    const gate = gates.get(i);
    if (gate !== undefined) await gate();
    if (!producer.hasCapacity) await once(producer, 'drain');
    const key = keys[i % keys.length]!;
    const n = counts.get(key)!;
    counts.set(key, n + 1);
    producer.put({ partitionKey: key, data: Buffer.from(keyedData(key, n)) }).then(acknowledged, (error: Error) => errors.push(`${key}#${n}: ${error.message}`));
    if (i % 100 === 99) await (pauseMs > 0 ? sleep(pauseMs) : nextTurn());
  }
  await Promise.all(running);
  await producer.close();
  return { errors, counts };
}

function expectInOrder(report: KeyOrderReport, errors: readonly string[]): void {
  expect({ errors: errors.slice(0, 5), inversions: report.inversions.slice(0, 5), missing: report.missing.slice(0, 5) }).toEqual({
    errors: [],
    inversions: [],
    missing: [],
  });
}

describe.each([
  ['kinesalite', () => servers.stack.kinesis.client],
  ['kinesis-mock', () => servers.mock.client],
] as const)('KinesisProducer with preserveOrder while the stream reshards (%s)', (_server, clientOf) => {
  it("the issue's case: 1 shard, 4,000 puts over 10 keys, SplitShard at put #800 — 0 violations, 0 lost along the lineage", async () => {
    const client = clientOf();
    const streamName = uniqueName('kpl-order-split');
    await createStream(client, streamName, 1);
    const [parent] = await openShards(client, streamName, 1);
    const producer = new KinesisProducer({ streamName, kinesisClient: client, preserveOrder: true, recordMaxBufferedTimeMs: 20 });
    const keys = Array.from({ length: 10 }, (_, i) => `key-${i}`);
    // 100 puts every 10 ms; the split waits (production going on) until the parent has stored records.
    let splitDone: Promise<unknown> = Promise.resolve();
    const splitOnceSomeStored = async (progress: { acknowledged: number }) => {
      splitDone = (async () => {
        await waitFor(() => progress.acknowledged > 0, { timeoutMs: 10_000, description: 'a record acknowledged before the split' });
        await split(client, streamName, parent!);
        await openShards(client, streamName, 2);
      })();
      await splitDone;
    };
    // The last 800 puts wait for the children to open, so that both of them receive records
    // however slowly the server completes the split.
    const { errors, counts } = await produce(producer, keys, 4000, new Map([[800, splitOnceSomeStored]]), 10, new Map([[3200, () => splitDone.then(() => undefined)]]));

    const read = await readAlongLineage(client, streamName);
    expect(read.shards).toHaveLength(3);
    const report = checkKeyOrder(read.records, counts);
    expectInOrder(report, errors);
    // The split happened while records flowed: the parent and both children hold some.
    for (const shard of read.shards) expect({ shardId: shard.ShardId, holds: read.records.some((record) => record.shardId === shard.ShardId) }).toEqual({ shardId: shard.ShardId, holds: true });
  }, 60_000);

  it('split, then merge, while producing at full speed over 40 keys — 0 inversions, 0 lost along each lineage', async () => {
    const client = clientOf();
    const streamName = uniqueName('kpl-order-reshard');
    await createStream(client, streamName, 2);
    const [s0, s1] = await openShards(client, streamName, 2);
    const producer = new KinesisProducer({ streamName, kinesisClient: client, preserveOrder: true, shardMapRefreshIntervalMs: 1000 });
    const keys = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    let splitDone!: Promise<void>;
    const events = new Map<number, () => Promise<void>>([
      [2000, () => (splitDone = split(client, streamName, s0!))],
      [
        9000,
        async () => {
          await splitDone;
          // The split's upper child is adjacent to the other original shard: merge them.
          const open = await openShards(client, streamName, 3);
          const upper = open.find((shard) => end(shard) + 1n === start(s1!))!;
          await client.send(new MergeShardsCommand({ StreamName: streamName, ShardToMerge: upper.ShardId!, AdjacentShardToMerge: s1!.ShardId! }));
          await openShards(client, streamName, 2);
        },
      ],
    ]);
    const { errors, counts } = await produce(producer, keys, 16_000, events);

    const read = await readAlongLineage(client, streamName);
    // Two originals, two split children, one merge child.
    expect(read.shards).toHaveLength(5);
    const report = checkKeyOrder(read.records, counts);
    expectInOrder(report, errors);
    const merged = read.shards.find((shard) => shard.AdjacentParentShardId !== undefined)!;
    expect(read.records.some((record) => record.shardId === merged.ShardId)).toBe(true);
  }, 90_000);
});
