import type { KinesisClient, Shard } from '@aws-sdk/client-kinesis';
import { resolveWorkerOptions, type InitialPosition } from '../config/WorkerOptions';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import { ShardSync } from './ShardSync';
import { KinesisApi } from '../retrieval/KinesisApi';

const HALF = (2n ** 127n).toString();
const TOP = (2n ** 128n - 1n).toString();

/** A stream whose shard 0 was split into 1 and 2, which were merged into 3. */
const RESHARDED: Shard[] = [
  { ShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: TOP }, SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '10' } },
  { ShardId: 'shardId-000000000001', ParentShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: '0', EndingHashKey: HALF }, SequenceNumberRange: { StartingSequenceNumber: '11', EndingSequenceNumber: '20' } },
  { ShardId: 'shardId-000000000002', ParentShardId: 'shardId-000000000000', HashKeyRange: { StartingHashKey: (2n ** 127n + 1n).toString(), EndingHashKey: TOP }, SequenceNumberRange: { StartingSequenceNumber: '12', EndingSequenceNumber: '21' } },
  { ShardId: 'shardId-000000000003', ParentShardId: 'shardId-000000000001', AdjacentParentShardId: 'shardId-000000000002', HashKeyRange: { StartingHashKey: '0', EndingHashKey: TOP }, SequenceNumberRange: { StartingSequenceNumber: '30' } },
];

function syncFor(store: InMemoryLeaseStore, initialPosition: InitialPosition) {
  const kinesis = { send: async () => ({ Shards: RESHARDED }) } as unknown as KinesisClient;
  const config = resolveWorkerOptions({
    streamName: 'stream',
    applicationName: 'app',
    initialPosition,
    processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }),
  });
  return new ShardSync(new KinesisApi({ client: kinesis, streamName: 'stream', streamARN: undefined, requestTimeoutMs: 1000, clock: config.clock, random: config.random, logger: config.logger }), store, config);
}

describe('ShardSync', () => {
  it('on a fresh table from TRIM_HORIZON, leases the whole lineage, children recording their parents', async () => {
    const store = new InMemoryLeaseStore();
    await store.ensureTable();
    const { created } = await syncFor(store, 'TRIM_HORIZON').sync();
    expect(created).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    const merged = await store.getLease('shardId-000000000003');
    expect([...merged!.parentShardIds].sort()).toEqual(['shardId-000000000001', 'shardId-000000000002']);
  });

  it('never leases a finished, cleaned-up parent again (it would be read a second time)', async () => {
    const store = new InMemoryLeaseStore();
    await store.ensureTable();
    const sync = syncFor(store, 'TRIM_HORIZON');
    await sync.sync();
    // Every parent read to its end; the merged child has progressed: cleanup deletes the parents.
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']) {
      const lease = (await store.getLease(shardId))!;
      const taken = await store.takeLease(lease, 'w1');
      await store.updateCheckpoint(taken, { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 });
    }
    const child = await store.takeLease((await store.getLease('shardId-000000000003'))!, 'w1');
    await store.updateCheckpoint(child, { sequenceNumber: '31', subSequenceNumber: 0 });

    const first = await sync.sync();
    expect(first.deleted.sort()).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    // ListShards still lists the closed parents (until the retention period ends): no new leases.
    const second = await sync.sync();
    expect(second.created).toEqual([]);
    const { leases } = await store.listLeases();
    expect(leases.map((lease) => lease.leaseKey)).toEqual(['shardId-000000000003']);
  });
});
