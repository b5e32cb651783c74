import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { KinesisToolkitError, type LogContext } from '@kinesis-toolkit/core';
import { FaultProxy, createDynamoDBClient, createKinesisClient, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import type { WorkerOptions } from './config/WorkerOptions';
import { WorkerFailedError } from './errors';
import type { RecordProcessor } from './processor/RecordProcessor';
import { RecordingLogger } from '../test/FakeKinesis';

// The worker behind the FaultProxy, in front of kinesalite and of dynalite: connection resets,
// latency and blackholes (bytes vanish, nothing answers). Nothing is lost, nothing hangs past its
// deadline, and leases move only as the failover rule says. Waits are bounded polls; the few
// "settles within" bounds are hang detectors far above the deadlines involved, not speed goals.

let stack: TestStack;
const closers: Array<() => unknown> = [];
beforeAll(() => {
  stack = getTestStack();
});
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});
afterAll(() => stack.destroy());

const FAILOVER_TIME_MS = 3000;
const RENEWAL_INTERVAL_MS = 1000;

/**
 * A proxy in front of `endpoint`. Its reset rate is applied with scripted randomness: with a rate
 * of 1/n set, exactly every n-th chunk is reset, so every run meets the same number of faults.
 */
async function proxyFor(endpoint: string, resetEvery = 0): Promise<FaultProxy> {
  const url = new URL(endpoint);
  let chunks = 0;
  const random = (): number => (resetEvery > 0 && ++chunks % resetEvery === 0 ? 0 : 0.999);
  const proxy = await FaultProxy.start({ target: { host: url.hostname, port: Number(url.port) }, random });
  closers.push(() => proxy.stop());
  return proxy;
}

function clientsThrough(proxies: { kinesis?: FaultProxy; dynamodb?: FaultProxy }): Pick<WorkerOptions, 'kinesisClient' | 'dynamoClient'> {
  // One SDK attempt: the worker's own deadlines and retries are the ones under test.
  const kinesisClient = proxies.kinesis ? createKinesisClient(proxies.kinesis.endpoint, { maxAttempts: 1 }) : stack.kinesis.client;
  const dynamoClient = proxies.dynamodb ? createDynamoDBClient(proxies.dynamodb.endpoint, { maxAttempts: 1 }) : stack.dynamodb.client;
  if (proxies.kinesis) closers.push(() => kinesisClient.destroy());
  if (proxies.dynamodb) closers.push(() => dynamoClient.destroy());
  return { kinesisClient, dynamoClient };
}

/** What a worker's processors saw, with the time of each delivery and each checkpoint outcome. */
class Deliveries {
  readonly records: Array<{ worker: string; shardId: string; id: number; at: number }> = [];
  readonly checkpointErrors: Array<{ worker: string; error: unknown; at: number }> = [];

  processor(worker: string, shardId: string): RecordProcessor {
    return {
      processRecords: async ({ records, checkpointer }) => {
        const at = Date.now();
        for (const record of records) this.records.push({ worker, shardId, id: Number(record.data.toString()), at });
        // A checkpoint that fails is recorded, not retried: the next owner re-reads from the last one that held.
        await checkpointer.checkpoint().catch((error: unknown) => this.checkpointErrors.push({ worker, error, at: Date.now() }));
      },
      shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
      shutdownRequested: async ({ checkpointer }) => checkpointer.checkpoint().catch(() => undefined),
    };
  }

  ids(worker?: string): number[] {
    return this.records.filter((r) => worker === undefined || r.worker === worker).map((r) => r.id);
  }
}

async function produce(streamName: string, from: number, count: number): Promise<void> {
  for (let start = from; start < from + count; start += 500) {
    const ids = Array.from({ length: Math.min(500, from + count - start) }, (_, i) => start + i);
    const out = await stack.kinesis.client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: ids.map((id) => ({ PartitionKey: `key-${id % 31}`, Data: Buffer.from(String(id)) })) }),
    );
    expect(out.FailedRecordCount ?? 0).toBe(0);
  }
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

function workerOptions(streamName: string, applicationName: string, workerId: string, deliveries: Deliveries, extra: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    streamName,
    applicationName,
    workerId,
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: FAILOVER_TIME_MS,
    leaseRenewalIntervalMs: RENEWAL_INTERVAL_MS,
    idleTimeBetweenReadsMs: 200,
    requestTimeoutMs: 1000,
    leaseRequestTimeoutMs: 300,
    processorFactory: (shardId) => deliveries.processor(workerId, shardId),
    kinesisClient: stack.kinesis.client,
    dynamoClient: stack.dynamodb.client,
    ...extra,
  };
}

/** Resolves with how the promise settled; fails if it has not within `boundMs` (a hang detector). */
async function settlesWithin<T>(promise: Promise<T>, boundMs: number, what: string): Promise<{ value?: T; error?: unknown }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  await waitFor(() => outcome !== undefined, { timeoutMs: boundMs, intervalMs: 20, description: `${what} to settle (it hangs)` });
  return outcome!;
}

describe('Worker with DynamoDB behind the FaultProxy', () => {
  it('start() against a blackholed lease table rejects once its attempts have passed their deadlines (WorkerFailedError, DEADLINE_EXCEEDED)', async () => {
    const streamName = uniqueName('kcl-dyn-hole');
    await createStream(stack.kinesis.client, streamName, 1);
    const dynamodb = await proxyFor(stack.dynamodb.endpoint);
    dynamodb.setBlackhole(true);
    const worker = new Worker(workerOptions(streamName, uniqueName('app'), 'w1', new Deliveries(), clientsThrough({ dynamodb })));
    const startedAt = Date.now();
    const { error } = await settlesWithin(worker.start(), 20_000, 'start()');
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect(error).toMatchObject({ reason: 'DEADLINE_EXCEEDED' });
    // It waited for its three attempts' deadlines (300 ms each), not for something else.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3 * 300);
    expect(dynamodb.stats.bytesDropped.upstream).toBeGreaterThan(0);
  });

  it('cut off from the table, a worker drops its leases before another may take them; its checkpoints into the blackhole return; shutdown() finishes; nothing is lost', async () => {
    const streamName = uniqueName('kcl-dyn-cut');
    const applicationName = uniqueName('app');
    await createStream(stack.kinesis.client, streamName, 2);
    await produce(streamName, 0, 100);
    const dynamodb = await proxyFor(stack.dynamodb.endpoint);
    const deliveries = new Deliveries();
    const a = new Worker(workerOptions(streamName, applicationName, 'a', deliveries, clientsThrough({ dynamodb })));
    closers.push(() => a.shutdown());
    const droppedAt = new Map<string, number>();
    a.on('leaseLost', ({ shardId }) => droppedAt.set(shardId, Date.now()));
    await a.start();
    await waitFor(() => a.heldShards.length === 2 && deliveries.ids('a').length >= 100, { timeoutMs: 15_000, description: 'a holds both leases and delivered 100' });

    dynamodb.setBlackhole(true);
    const cutAt = Date.now();
    // Another worker, with a working connection to the table, starts at once. It does not steal
    // (balancing moves a live worker's lease at once, by design): it takes only expired leases.
    const b = new Worker(workerOptions(streamName, applicationName, 'b', deliveries, { maxLeasesToStealAtOneTime: 0 }));
    closers.push(() => b.shutdown());
    const takenAt = new Map<string, number>();
    b.on('leaseTaken', ({ shardId, previousOwner }) => previousOwner === 'a' && takenAt.set(shardId, Date.now()));
    await b.start();
    await produce(streamName, 100, 100);

    await waitFor(() => droppedAt.size === 2, { timeoutMs: 15_000, description: 'a to drop both leases' });
    await waitFor(() => takenAt.size === 2, { timeoutMs: 15_000, description: 'b to take both leases from a' });
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
      // The failover rule: a stopped processing the shard before b could take it.
      expect({ shardId, droppedBeforeTaken: droppedAt.get(shardId)! < takenAt.get(shardId)! }).toEqual({ shardId, droppedBeforeTaken: true });
      // And b took it only once the counter had not moved for failoverTimeMs (minus a renewal round of slack).
      expect(takenAt.get(shardId)! - cutAt).toBeGreaterThanOrEqual(FAILOVER_TIME_MS - RENEWAL_INTERVAL_MS);
      const lastByA = Math.max(0, ...deliveries.records.filter((r) => r.worker === 'a' && r.shardId === shardId).map((r) => r.at));
      expect(lastByA).toBeLessThanOrEqual(droppedAt.get(shardId)!);
    }
    // A checkpoint sent into the blackhole came back with a typed error; it did not hang.
    expect(deliveries.checkpointErrors.filter((e) => e.worker === 'a').length).toBeGreaterThan(0);
    expect(deliveries.checkpointErrors.every((e) => e.error instanceof KinesisToolkitError)).toBe(true);
    // shutdown() of the cut-off worker finishes, although the table still does not answer.
    const { error } = await settlesWithin(a.shutdown(), 15_000, "a's shutdown()");
    expect(error).toBeUndefined();

    await waitFor(() => range(0, 200).every((id) => deliveries.ids().includes(id)), { timeoutMs: 20_000, description: 'every record delivered by a or b' });
    await b.shutdown();
  }, 60_000);

  it('through latency and connection resets on the table, the worker keeps its leases and delivers every record', async () => {
    const streamName = uniqueName('kcl-dyn-flaky');
    await createStream(stack.kinesis.client, streamName, 2);
    const dynamodb = await proxyFor(stack.dynamodb.endpoint, 20);
    const deliveries = new Deliveries();
    const worker = new Worker(workerOptions(streamName, uniqueName('app'), 'w1', deliveries, clientsThrough({ dynamodb })));
    closers.push(() => worker.shutdown());
    const lost: string[] = [];
    worker.on('leaseLost', ({ shardId }) => lost.push(shardId));
    await worker.start();
    await waitFor(() => worker.heldShards.length === 2, { timeoutMs: 15_000, description: 'both leases' });
    dynamodb.setLatency({ upstreamMs: 25, downstreamMs: 25 });
    dynamodb.setResetRate(0.05); // every 20th chunk
    await produce(streamName, 0, 600);
    await waitFor(() => range(0, 600).every((id) => deliveries.ids().includes(id)) && dynamodb.stats.resets >= 3, { timeoutMs: 30_000, description: 'every record, through 3 resets' });
    expect(lost).toEqual([]);
    expect(worker.heldShards).toHaveLength(2);
    dynamodb.reset();
  }, 45_000);
});

describe('Worker with Kinesis behind the FaultProxy', () => {
  it('through connection resets and latency, delivers every record exactly once, in shard order', async () => {
    const streamName = uniqueName('kcl-kin-flaky');
    await createStream(stack.kinesis.client, streamName, 2);
    await produce(streamName, 0, 1000);
    const kinesis = await proxyFor(stack.kinesis.endpoint, 7);
    kinesis.setLatency({ upstreamMs: 10, downstreamMs: 10 });
    kinesis.setResetRate(1 / 7); // every 7th chunk
    const deliveries = new Deliveries();
    const worker = new Worker(workerOptions(streamName, uniqueName('app'), 'w1', deliveries, { ...clientsThrough({ kinesis }), maxRecords: 100 }));
    closers.push(() => worker.shutdown());
    // start() itself goes through the resets: its calls are retried.
    await worker.start();
    await waitFor(() => deliveries.records.length >= 1000, { timeoutMs: 40_000, description: '1000 records' });
    await worker.shutdown();
    expect(kinesis.stats.resets).toBeGreaterThan(0);
    expect([...deliveries.ids()].sort((x, y) => x - y)).toEqual(range(0, 1000));
    for (const shardId of ['shardId-000000000000', 'shardId-000000000001']) {
      const ids = deliveries.records.filter((r) => r.shardId === shardId).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
  }, 60_000);

  it('a blackholed Kinesis: reads are abandoned at their deadline and retried (logged with the count), records flow once it heals, shutdown() finishes during one', async () => {
    const streamName = uniqueName('kcl-kin-hole');
    await createStream(stack.kinesis.client, streamName, 1);
    const kinesis = await proxyFor(stack.kinesis.endpoint);
    const deliveries = new Deliveries();
    const logger = new RecordingLogger();
    const worker = new Worker(workerOptions(streamName, uniqueName('app'), 'w1', deliveries, { ...clientsThrough({ kinesis }), logger }));
    closers.push(() => worker.shutdown());
    await worker.start();
    await produce(streamName, 0, 50);
    await waitFor(() => deliveries.records.length >= 50, { timeoutMs: 10_000, description: 'the first 50' });

    kinesis.setBlackhole(true);
    const deadlines = (): LogContext[] => logger.at('warn').map((line) => line.context).filter((context) => context['code'] === 'DEADLINE_EXCEEDED');
    await waitFor(() => deadlines().length >= 2, { timeoutMs: 15_000, description: 'two GetRecords deadlines' });
    expect(deadlines().map((context) => context['consecutiveFailures']).slice(0, 2)).toEqual([1, 2]);
    await produce(streamName, 50, 50);
    kinesis.setBlackhole(false);
    await waitFor(() => deliveries.records.length >= 100, { timeoutMs: 20_000, description: 'the next 50, once healed' });
    expect([...deliveries.ids()].sort((x, y) => x - y)).toEqual(range(0, 100));

    kinesis.setBlackhole(true);
    await waitFor(() => deadlines().length >= 3, { timeoutMs: 15_000, description: 'a read in the blackhole again' });
    const { error } = await settlesWithin(worker.shutdown(), 15_000, 'shutdown() during a Kinesis blackhole');
    expect(error).toBeUndefined();
  }, 60_000);
});
