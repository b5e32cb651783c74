import { ManualClock } from '@kinesis-toolkit/core';
import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import { KinesisProducer } from '../src/KinesisProducer';
import type { ProducerOptions } from '../src/config/ProducerOptions';
import type { ProducerMetric, ShardMapRefreshedEvent } from '../src/events/ProducerEvents';
import { FakeKinesisClient, type FakeKinesisClientOptions } from './FakeKinesisClient';

/** A producer on a {@link ManualClock}, talking to a {@link FakeKinesisClient}. */
export interface Harness {
  readonly clock: ManualClock;
  readonly fake: FakeKinesisClient;
  readonly producer: KinesisProducer;
  readonly metrics: ProducerMetric[];
  readonly refreshes: ShardMapRefreshedEvent[];
}

export interface HarnessOptions extends Omit<ProducerOptions, 'clock' | 'kinesisClient'> {
  /** Options of the fake client (its clock is the harness's). */
  readonly fake?: Omit<FakeKinesisClientOptions, 'clock'>;
  /** Prepares the fake before the producer starts (scripts for the first ListShards, …). */
  readonly beforeStart?: (fake: FakeKinesisClient) => void;
  /** Collect `metric` events. @defaultValue false */
  readonly collectMetrics?: boolean;
  /** Let the first ListShards answer before returning. @defaultValue true */
  readonly waitForShardMap?: boolean;
}

/** Starts a producer with a deterministic clock and jitter (random 0.5 unless given). */
export async function startProducer(options: HarnessOptions = {}): Promise<Harness> {
  const { fake: fakeOptions, beforeStart, collectMetrics = false, waitForShardMap = true, ...producerOptions } = options;
  const clock = new ManualClock();
  const fake = new FakeKinesisClient({ ...fakeOptions, clock });
  beforeStart?.(fake);
  const producer = new KinesisProducer({
    streamName: 'test-stream',
    random: () => 0.5,
    ...producerOptions,
    clock,
    kinesisClient: fake.asClient(),
  });
  const metrics: ProducerMetric[] = [];
  const refreshes: ShardMapRefreshedEvent[] = [];
  if (collectMetrics) producer.on('metric', (metric) => metrics.push(metric));
  producer.on('shardMapRefreshed', (event) => refreshes.push(event));
  if (waitForShardMap) {
    await clock.advance(fake.latencyMs);
    if (producer.shardMap === undefined) throw new Error('startProducer: the first ListShards did not answer');
  }
  return { clock, fake, producer, metrics, refreshes };
}

/** The state of a promise, readable without awaiting it. */
export interface Tracked<T> {
  readonly promise: Promise<T>;
  settled: boolean;
  value?: T;
  error?: Error;
  /** The clock's reading when it settled. */
  settledAt?: number;
}

export function track<T>(promise: Promise<T>, clock?: { now(): number }): Tracked<T> {
  const state: Tracked<T> = { promise, settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value, settledAt: clock?.now() }),
    (error: Error) => Object.assign(state, { settled: true, error, settledAt: clock?.now() }),
  );
  return state;
}

/** A user record with a string payload. */
export function rec(partitionKey: string, data: string | number = partitionKey, explicitHashKey?: string) {
  return { partitionKey, data: Buffer.from(typeof data === 'number' ? 'x'.repeat(data) : data), explicitHashKey };
}

/** Partition keys (`prefix-i`) whose MD5 hash key lies in [start, end], the first `count` found. */
export function keysInRange(start: bigint, end: bigint, count: number, prefix = 'key'): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    const key = `${prefix}-${i}`;
    const hash = hashKeyOf(key);
    if (hash >= start && hash <= end) keys.push(key);
  }
  return keys;
}

/** Partition keys that route to a shard of the fake. */
export function keysForShard(fake: FakeKinesisClient, shardId: string, count: number, prefix = 'key'): string[] {
  const shard = fake.shard(shardId);
  return keysInRange(shard.startingHashKey, shard.endingHashKey, count, prefix);
}
