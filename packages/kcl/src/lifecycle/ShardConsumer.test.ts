import { aggregate } from '@kinesis-toolkit/aggregation';
import { AwsRequestError, InvalidArgumentError, ManualClock } from '@kinesis-toolkit/core';
import { FakeKinesis, RecordingLogger, kinesisRecord, sdkError } from '../../test/FakeKinesis';
import { resolveWorkerOptions, type WorkerOptions } from '../config/WorkerOptions';
import { LeaseHandle } from '../coordinator/LeaseHandle';
import { ShardProcessingError } from '../errors';
import { InMemoryLeaseStore } from '../leases/InMemoryLeaseStore';
import type { Lease } from '../leases/Lease';
import type { LeaseCallOptions } from '../leases/LeaseStore';
import { LeaseStoreError } from '../leases/errors';
import { newLease } from '../leases/newLease';
import type { ProcessRecordsInput, RecordProcessor } from '../processor/RecordProcessor';
import { ShardConsumer } from './ShardConsumer';

// ShardConsumer's own logic: a real LeaseHandle on an in-memory store, a scripted Kinesis client
// and a ManualClock (no server; the Worker integration tests run it against kinesalite).

const SHARD = 'shardId-000000000001';

/** A processor that records what it is handed; checkpoints every batch unless told otherwise. */
class Processor implements RecordProcessor {
  readonly batches: ProcessRecordsInput[] = [];
  readonly calls: string[] = [];
  failures = 0;
  async initialize(): Promise<void> {
    this.calls.push('initialize');
  }
  async processRecords(input: ProcessRecordsInput): Promise<void> {
    this.calls.push('processRecords');
    if (this.failures > 0) {
      this.failures--;
      throw new Error('downstream unavailable');
    }
    this.batches.push(input);
    await input.checkpointer.checkpoint();
  }
  async shardEnded({ checkpointer }: Parameters<RecordProcessor['shardEnded']>[0]): Promise<void> {
    this.calls.push('shardEnded');
    await checkpointer.checkpoint();
  }
  leaseLost(): void {
    this.calls.push('leaseLost');
  }
  async shutdownRequested(_input?: Parameters<NonNullable<RecordProcessor['shutdownRequested']>>[0]): Promise<void> {
    this.calls.push('shutdownRequested');
  }
}

interface Setup {
  readonly clock: ManualClock;
  readonly store: InMemoryLeaseStore;
  readonly kinesis: FakeKinesis;
  readonly logger: RecordingLogger;
  readonly events: Array<[string, unknown]>;
  readonly fatal: Array<{ stage: string; error: unknown }>;
  readonly handle: LeaseHandle;
  readonly consumer: ShardConsumer;
}

async function consumerFor(
  processor: unknown,
  options: { lease?: Partial<Lease>; worker?: Partial<WorkerOptions>; store?: InMemoryLeaseStore; kinesis?: FakeKinesis } = {},
): Promise<Setup> {
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const store = options.store ?? new InMemoryLeaseStore();
  await store.ensureTable();
  await store.createLeaseIfNotExists({ ...newLease(SHARD, [], undefined), ...options.lease });
  const sentAt = clock.now();
  const taken = await store.takeLease((await store.getLease(SHARD))!, 'w1');
  const config = resolveWorkerOptions({
    streamName: 'stream',
    applicationName: 'app',
    workerId: 'w1',
    clock,
    logger,
    random: () => 0.5,
    failoverTimeMs: 300_000,
    idleTimeBetweenReadsMs: 1_000,
    parentShardPollIntervalMs: 500,
    processorFactory: () => processor as RecordProcessor,
    ...options.worker,
  });
  const events: Array<[string, unknown]> = [];
  const fatal: Array<{ stage: string; error: unknown }> = [];
  // As the worker does: a lost lease stops its consumer.
  const lostTo: { consumer?: ShardConsumer } = {};
  const handle = new LeaseHandle(taken, store, config, () => void lostTo.consumer?.leaseLost(), sentAt);
  const kinesis = options.kinesis ?? new FakeKinesis();
  kinesis.on('GetShardIterator', () => ({ ShardIterator: 'it-0' }));
  const consumer = new ShardConsumer(handle, {
    config,
    kinesis: kinesis.api(clock, { logger }),
    store,
    events: { emit: (name, ...args) => events.push([name, args[0]]) > 0 },
    onFatal: (_shardId, stage, error) => fatal.push({ stage, error }),
  });
  lostTo.consumer = consumer;
  return { clock, store, kinesis, logger, events, fatal, handle, consumer };
}

/** GetRecords answers: these batches in order, then nothing new (caught up) forever. */
function pages(kinesis: FakeKinesis, ...batches: Array<ReturnType<typeof kinesisRecord>[]>): void {
  let page = 0;
  kinesis.on('GetRecords', () => ({ Records: batches[page++] ?? [], NextShardIterator: `it-${page}`, MillisBehindLatest: 0 }));
}

describe('ShardConsumer', () => {
  it('hands a legal 1 MiB aggregate of 174,758 empty sub-records to the processor in one batch', async () => {
    const users = Array.from({ length: 200_000 }, () => ({ partitionKey: 'k', data: Buffer.alloc(0) }));
    const [big] = aggregate(users, { maxBytes: 1024 * 1024 });
    expect(big!.data.length).toBeLessThanOrEqual(1024 * 1024);
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    pages(kinesis, [{ SequenceNumber: '100', Data: big!.data, PartitionKey: big!.partitionKey }]);
    const { clock, fatal, consumer, store } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    expect(fatal).toEqual([]);
    expect(processor.batches).toHaveLength(1);
    expect(processor.batches[0]!.records).toHaveLength(big!.userRecordCount);
    expect(big!.userRecordCount).toBe(174_758);
    expect(processor.batches[0]!.records.at(-1)).toMatchObject({ sequenceNumber: '100', subSequenceNumber: 174_757 });
    expect((await store.getLease(SHARD))!.checkpoint).toEqual({ sequenceNumber: '100', subSequenceNumber: 174_757 });
    await consumer.shutdown();
  });

  it.each<[string, unknown, string]>([
    ['without shardEnded', { processRecords: () => undefined }, 'processor.shardEnded'],
    ['without processRecords', { shardEnded: () => undefined }, 'processor.processRecords'],
    ['with a leaseLost that is not a function', { processRecords: () => undefined, shardEnded: () => undefined, leaseLost: 'no' }, 'processor.leaseLost'],
    ['that is not an object', undefined, 'processorFactory(shardId)'],
  ])('refuses a processor %s when it is created, before any callback runs, naming what is wrong', async (_what, processor, argument) => {
    const kinesis = new FakeKinesis();
    pages(kinesis, [kinesisRecord('1')]);
    const { clock, fatal, consumer } = await consumerFor(processor, { kinesis });
    await consumer.done;
    await clock.advance(0);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.stage).toBe('initialize');
    expect(fatal[0]!.error).toBeInstanceOf(InvalidArgumentError);
    expect(fatal[0]!.error).toMatchObject({ argument, context: { shardId: SHARD } });
    expect(kinesis.callsOf('GetRecords')).toHaveLength(0);
  });

  it('hands the same batch again after a backoff when the processor throws, reporting each failure with its attempt', async () => {
    const processor = new Processor();
    processor.failures = 2;
    const kinesis = new FakeKinesis();
    pages(kinesis, [kinesisRecord('1'), kinesisRecord('2')]);
    const { clock, events, consumer } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    expect(processor.batches).toHaveLength(0);
    // Backoff 0.5 × 100 ms, then 0.5 × 200 ms.
    await clock.advance(150);
    expect(processor.batches.map((b) => b.records.map((r) => r.sequenceNumber))).toEqual([['1', '2']]);
    const errors = events.filter(([name]) => name === 'processorError').map(([, error]) => error as ShardProcessingError);
    expect(errors.map((error) => error.context['attempt'])).toEqual([1, 2]);
    expect(errors[0]!.message).toBe(`${SHARD}: processRecords failed (attempt 1; retrying): downstream unavailable`);
    await consumer.shutdown();
  });

  it('hands no batch over once the lease is dropped (no renewal got through): the processor hears leaseLost', async () => {
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    let page = 0;
    kinesis.on('GetRecords', () => ({ Records: [kinesisRecord(String(++page))], NextShardIterator: 'next', MillisBehindLatest: 0 }));
    const { clock, consumer, handle, store } = await consumerFor(processor, { kinesis, worker: { failoverTimeMs: 3_000, leaseRenewalIntervalMs: 1_000, idleTimeBetweenReadsMs: 500 } });
    // Renewals do not happen here (no coordinator), and the checkpoints stop: hang them.
    store.updateCheckpoint = (_lease: Lease, _position: unknown, _pending?: unknown, options?: LeaseCallOptions) =>
      new Promise((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)));
    await clock.advance(1_999);
    const delivered = processor.batches.length;
    expect(handle.held).toBe(true);
    await clock.advance(1);
    await consumer.done;
    expect(handle.held).toBe(false);
    await clock.advance(5_000);
    expect(processor.batches).toHaveLength(delivered);
    expect(processor.calls.at(-1)).toBe('leaseLost');
    expect(consumer.state).toBe('Done');
  });

  it('stops on a fatal read (AccessDeniedException): reports it once, lets the processor checkpoint, releases the lease', async () => {
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    kinesis.on('GetRecords', () => Promise.reject(sdkError('AccessDeniedException')));
    const { clock, fatal, consumer, store } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    await consumer.done;
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.stage).toBe('read');
    expect(fatal[0]!.error).toBeInstanceOf(AwsRequestError);
    expect(fatal[0]!.error).toMatchObject({ code: 'AccessDeniedException' });
    expect(processor.calls).toEqual(['initialize', 'shutdownRequested']);
    expect((await store.getLease(SHARD))!.leaseOwner).toBeUndefined();
    await clock.advance(60_000);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(1);
  });

  it("waits for its parent's SHARD_END, polling every parentShardPollIntervalMs, logging failed reads with their count", async () => {
    const store = new InMemoryLeaseStore();
    await store.ensureTable();
    await store.createLeaseIfNotExists(newLease('shardId-000000000000', [], undefined, { sequenceNumber: '5', subSequenceNumber: 0 }));
    const realGet = store.getLease.bind(store);
    let failures = 1;
    store.getLease = async (key: string, options?: LeaseCallOptions) => {
      if (key === 'shardId-000000000000' && failures-- > 0) throw new LeaseStoreError('getLease', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true);
      return realGet(key, options);
    };
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    pages(kinesis, [kinesisRecord('1')]);
    const { clock, consumer, logger } = await consumerFor(processor, { kinesis, store, lease: { parentShardIds: ['shardId-000000000000'] } });
    await clock.advance(2_000);
    expect(processor.calls).toEqual([]);
    expect(logger.at('warn')[0]?.context).toMatchObject({ stage: 'getLease(shardId-000000000000)', consecutiveFailures: 1 });
    const parent = await store.takeLease((await realGet('shardId-000000000000'))!, 'other');
    await store.updateCheckpoint(parent, { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 });
    await clock.advance(500);
    expect(processor.calls.slice(0, 2)).toEqual(['initialize', 'processRecords']);
    await consumer.shutdown();
  });

  it('at the end of a shard without ChildShards, finds the children with ListShards, creates their leases, then asks for SHARD_END', async () => {
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    kinesis.on('GetRecords', () => ({ Records: [kinesisRecord('3')], NextShardIterator: undefined, MillisBehindLatest: 0 }));
    kinesis.on('ListShards', () => ({
      Shards: [
        { ShardId: SHARD, HashKeyRange: { StartingHashKey: '0', EndingHashKey: '100' } },
        { ShardId: 'shardId-000000000002', ParentShardId: SHARD, HashKeyRange: { StartingHashKey: '0', EndingHashKey: '50' } },
        { ShardId: 'shardId-000000000003', ParentShardId: SHARD, HashKeyRange: { StartingHashKey: '51', EndingHashKey: '100' } },
      ],
    }));
    const { clock, consumer, events, store } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    await consumer.done;
    expect(processor.calls).toEqual(['initialize', 'processRecords', 'shardEnded']);
    expect(events.find(([name]) => name === 'shardEnded')?.[1]).toEqual({
      shardId: SHARD,
      childShardIds: ['shardId-000000000002', 'shardId-000000000003'],
      childShardsFrom: 'ListShards',
    });
    expect((await store.getLease('shardId-000000000002'))?.parentShardIds).toEqual([SHARD]);
    expect((await store.getLease(SHARD))).toMatchObject({ checkpoint: { sequenceNumber: 'SHARD_END' }, leaseOwner: undefined });
  });

  it('takes the children from ChildShards when the last answer has them (no ListShards)', async () => {
    const processor = new Processor();
    const kinesis = new FakeKinesis();
    kinesis.on('GetRecords', () => ({
      Records: [],
      NextShardIterator: undefined,
      MillisBehindLatest: 0,
      ChildShards: [{ ShardId: 'shardId-000000000004', ParentShards: [SHARD, 'shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '9' } }],
    }));
    const { clock, consumer, events } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    await consumer.done;
    expect(events.find(([name]) => name === 'shardEnded')?.[1]).toMatchObject({ childShardIds: ['shardId-000000000004'], childShardsFrom: 'ChildShards' });
    expect(kinesis.callsOf('ListShards')).toHaveLength(0);
  });
});

describe('ShardConsumer — handOff (another worker asked for the lease)', () => {
  /** Checkpoints only when asked to finish, as a processor that batches its checkpoints does. */
  class CheckpointsOnShutdown extends Processor {
    override async processRecords(input: ProcessRecordsInput): Promise<void> {
      this.calls.push('processRecords');
      this.batches.push(input);
    }
    override async shutdownRequested({ checkpointer }: Parameters<NonNullable<RecordProcessor['shutdownRequested']>>[0]): Promise<void> {
      this.calls.push('shutdownRequested');
      await checkpointer.checkpoint();
    }
  }

  it('stops fetching, lets the processor checkpoint in shutdownRequested, then lets go: the lease is the asker’s, at that checkpoint', async () => {
    const processor = new CheckpointsOnShutdown();
    const kinesis = new FakeKinesis();
    pages(kinesis, [kinesisRecord('100'), kinesisRecord('101')]);
    const { clock, store, consumer, events } = await consumerFor(processor, { kinesis });
    await clock.advance(0);
    expect(processor.batches).toHaveLength(1);
    // w2 asks for it (the coordinator hears of it at a renewal and tells the consumer).
    await store.initiateGracefulHandoff((await store.getLease(SHARD))!, 'w2');
    const fetchesBefore = kinesis.callsOf('GetRecords').length;
    await consumer.handOff();
    await clock.advance(5_000);
    expect(processor.calls).toEqual(['initialize', 'processRecords', 'shutdownRequested']);
    expect(kinesis.callsOf('GetRecords').length).toBe(fetchesBefore);
    expect(consumer.state).toBe('Done');
    const lease = (await store.getLease(SHARD))!;
    expect(lease).toMatchObject({ leaseOwner: 'w2', checkpoint: { sequenceNumber: '101', subSequenceNumber: 0 }, ownerSwitchesSinceCheckpoint: 1 });
    expect(lease.checkpointOwner).toBeUndefined();
    expect(events.map(([name]) => name)).not.toContain('leaseLost');
  });
});
