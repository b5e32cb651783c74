import { ListShardsCommand } from '@aws-sdk/client-kinesis';
import { AwsRequestError, ManualClock, MAX_HASH_KEY, classifyAwsError } from '@kinesis-toolkit/core';
import { InMemoryLeaseStore, LeaseStoreError, type LeaseStore } from '@kinesis-toolkit/kcl';
import type { LeaseLag } from '../leases/leaseView';
import { CallMeter } from './CallMeter';
import { DashboardMonitor } from './DashboardMonitor';
import { resolveDashboardOptions } from './DashboardOptions';
import type { DashboardSnapshot } from './DashboardSnapshot';
import type { ThroughputSample, ThroughputSource } from './ThroughputSource';
import { leaseOf } from '../../test/dashboardFixtures';

const T0 = 1_700_000_000_000;
const HALF = (MAX_HASH_KEY + 1n) / 2n;
const sdkShard = (id: string, from: bigint, to: bigint, extra: Record<string, unknown> = {}) => ({
  ShardId: id,
  HashKeyRange: { StartingHashKey: from.toString(), EndingHashKey: (to - 1n).toString() },
  SequenceNumberRange: { StartingSequenceNumber: '1' },
  ...extra,
});

/** A fake Kinesis client (not Kinesis) answering ListShards from `shards`. */
function fakeKinesis(shards: () => unknown[]) {
  return {
    send: async (command: unknown) => {
      if (command instanceof ListShardsCommand) return { Shards: shards() };
      throw new Error('unexpected command');
    },
  };
}

/** A throughput source that reports what it is told, once (then nothing). */
class FakeThroughput implements ThroughputSource {
  readonly measures = 'incoming' as const;
  readonly description = 'fake';
  next: ThroughputSample | undefined;
  sampled: string[][] = [];
  async sample(shards: readonly { shardId: string }[]): Promise<ThroughputSample> {
    this.sampled.push(shards.map((shard) => shard.shardId));
    const next = this.next ?? { observations: [], coverage: [], problems: [] };
    this.next = undefined;
    return next;
  }
}

describe('DashboardMonitor (fake Kinesis client, in-memory lease store)', () => {
  let clock: ManualClock;
  let store: InMemoryLeaseStore;
  let shards: unknown[];
  let throughput: FakeThroughput;
  let lags: Map<string, LeaseLag>;
  let monitor: DashboardMonitor;
  const make = (leaseStore: LeaseStore = store) =>
    new DashboardMonitor(resolveDashboardOptions({ streamName: 'st', applicationName: 'app', clock, refreshIntervalMs: 1_000, throughputIntervalMs: 5_000, failoverTimeMs: 3_000 }), {
      kinesis: fakeKinesis(() => shards),
      leaseStore,
      lagProbe: async (item) => lags.get(item.leaseKey) ?? { kind: 'unknown', why: 'no answer' },
      throughputSource: throughput,
      callMeter: new CallMeter(clock),
    });

  beforeEach(async () => {
    clock = new ManualClock(T0);
    store = new InMemoryLeaseStore();
    await store.ensureTable();
    shards = [sdkShard('shardId-000000000000', 0n, HALF, { SequenceNumberRange: { StartingSequenceNumber: '1', EndingSequenceNumber: '9' } }), sdkShard('shardId-000000000001', HALF, 2n * HALF), sdkShard('shardId-000000000002', 0n, HALF, { ParentShardId: 'shardId-000000000000' })];
    await store.createLeaseIfNotExists(leaseOf('shardId-000000000000', 'w1', 4, 'SHARD_END'));
    await store.createLeaseIfNotExists(leaseOf('shardId-000000000001', 'w1', 7));
    await store.createLeaseIfNotExists(leaseOf('shardId-000000000002', 'w2', 3));
    await store.createLeaseIfNotExists(leaseOf('shardId-000000000099', undefined, 1));
    throughput = new FakeThroughput();
    lags = new Map([['shardId-000000000001', { kind: 'behind', millisBehindLatest: 1_200 }]]);
  });
  afterEach(() => monitor?.close());

  it('joins the lineage, the leases, their lag and the workers into one snapshot', async () => {
    monitor = make();
    await monitor.start();
    await monitor.refresh(); // the lag probes started by the first read have answered by now
    const snapshot = monitor.snapshot();
    expect(snapshot).toMatchObject({ streamName: 'st', applicationName: 'app', takenAtMs: T0, shardsReadAtMs: T0, leasesReadAtMs: T0, columns: 2, problems: [] });
    expect(snapshot.shards.map((s) => [s.shardId, s.open, s.generation, s.lease?.owner, s.lease?.lag?.kind])).toEqual([
      ['shardId-000000000000', false, 0, 'w1', 'ended'],
      ['shardId-000000000001', true, 0, 'w1', 'behind'],
      ['shardId-000000000002', true, 1, 'w2', 'unknown'],
    ]);
    expect(snapshot.shards[1]!.lease!.lag).toEqual({ kind: 'behind', millisBehindLatest: 1_200, why: null, measuredAtMs: T0, checkpoint: '100' });
    expect(snapshot.edges).toEqual([{ from: 'shardId-000000000000', to: 'shardId-000000000002' }]);
    expect(snapshot.orphanLeases.map((l) => l.leaseKey)).toEqual(['shardId-000000000099']);
    expect(snapshot.workers.map((w) => [w.workerId, w.leaseKeys.length])).toEqual([['w1', 2], ['w2', 1]]);
    // Only calls through clients the meter wrapped are counted; these fakes were not wrapped.
    expect(snapshot.calls).toEqual([]);
  });

  it('publishes a new snapshot after each scheduled read, showing a takeover', async () => {
    monitor = make();
    const seen: DashboardSnapshot[] = [];
    monitor.subscribe((snapshot) => seen.push(snapshot));
    await monitor.start();
    const owner = (snapshot: DashboardSnapshot) => snapshot.shards.find((s) => s.shardId === 'shardId-000000000002')!.lease!.owner;
    expect(owner(seen.at(-1)!)).toBe('w2');
    const held = (await store.getLease('shardId-000000000002'))!;
    await store.takeLease(held, 'w1');
    await clock.advance(1_000);
    expect(owner(seen.at(-1)!)).toBe('w1');
    expect(seen.at(-1)!.takenAtMs).toBe(T0 + 1_000);
    expect(seen.at(-1)!.workers.find((w) => w.workerId === 'w2')?.state).toBe('gone');
  });

  it('samples throughput on its own schedule, from the first listing on, into the snapshot', async () => {
    monitor = make();
    throughput.next = { observations: [{ shardId: 'shardId-000000000001', atMs: T0 + 1, records: 2, userRecords: 20, bytes: 300 }], coverage: [{ shardId: 'shardId-000000000001', fromMs: T0, untilMs: T0 + 10_000 }], problems: [] };
    await monitor.start();
    expect(throughput.sampled).toEqual([['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']]);
    await clock.advance(10_000);
    expect(throughput.sampled).toHaveLength(3);
    const view = monitor.snapshot().shards.find((s) => s.shardId === 'shardId-000000000001')!.throughput!;
    expect(view.buckets).toEqual([{ startMs: T0, records: 2, userRecords: 20, bytes: 300 }]);
    expect(monitor.snapshot().throughput).toEqual({ source: 'tail', measures: 'incoming', description: 'fake', bucketMs: 10_000, windowMs: 300_000 });
  });

  it('keeps the last good data and shows a missing lease table as a problem until it reads again', async () => {
    let missing = false;
    const flaky = Object.assign(Object.create(store) as LeaseStore, {
      listLeases: async () => {
        if (!missing) return store.listLeases();
        const sdkError = Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
        const aws = new AwsRequestError(sdkError, classifyAwsError(sdkError), { service: 'DynamoDB', operation: 'Scan', attempts: 1 });
        throw new LeaseStoreError('listLeases', aws, false);
      },
    });
    monitor = make(flaky);
    await monitor.start();
    missing = true;
    await clock.advance(1_000);
    const snapshot = monitor.snapshot();
    expect(snapshot.problems).toEqual([{ source: 'leases', message: 'lease table "app" not found — has a worker of this application started yet?', sinceMs: T0 + 1_000 }]);
    expect(snapshot.leasesReadAtMs).toBe(T0);
    expect(snapshot.shards[1]!.lease?.owner).toBe('w1');
    missing = false;
    await clock.advance(1_000);
    expect(monitor.snapshot().problems).toEqual([]);
  });

  it('stops reading after close()', async () => {
    monitor = make();
    await monitor.start();
    const reads = throughput.sampled.length;
    await monitor.close();
    await clock.advance(60_000);
    expect(throughput.sampled).toHaveLength(reads);
  });
});
