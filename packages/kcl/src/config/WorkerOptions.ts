import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';
import { WIRE_PROTOCOLS, type WireProtocol } from '@kinesis-toolkit/wire';
import type { RecordProcessor } from '../processor/RecordProcessor';

/** Where a shard without a checkpoint starts. */
export type InitialPosition = 'LATEST' | 'TRIM_HORIZON' | { readonly timestamp: Date };

/** Options of {@link Worker}; names and defaults follow the Java KCL's. */
export interface WorkerOptions {
  /** The stream to consume; give this or `streamARN`. */
  readonly streamName?: string;
  readonly streamARN?: string;
  /** The application: the lease table's name, shared by every worker of the application. */
  readonly applicationName: string;
  /** Makes the record processor of a shard. */
  readonly processorFactory: (shardId: string) => RecordProcessor;
  /** @defaultValue `new KinesisClient({})` */
  readonly kinesisClient?: KinesisClient;
  /** @defaultValue `new DynamoDBClient({})` */
  readonly dynamoClient?: DynamoDBClient;
  /** Where shards without a checkpoint start. @defaultValue 'LATEST' (as the KCL) */
  readonly initialPosition?: InitialPosition;
  /** This worker's name in the lease table. @defaultValue `${hostname}:${pid}:${random}` */
  readonly workerId?: string;
  /** A lease not renewed for this long is expired and may be taken. @defaultValue 10000 */
  readonly failoverTimeMs?: number;
  /** How often held leases are renewed. @defaultValue failoverTimeMs / 3 */
  readonly leaseRenewalIntervalMs?: number;
  /**
   * How often the lease table is scanned for expired leases and balance. Each scan reads the
   * whole table: raising this cuts DynamoDB reads (the Java KCL scans every 2 × failover) at the
   * cost of takeover time — a dead worker's leases are taken within failoverTimeMs plus up to two
   * of these intervals. @defaultValue leaseRenewalIntervalMs
   */
  readonly leaseTakingIntervalMs?: number;
  /** Most leases this worker holds. @defaultValue 2147483647 */
  readonly maxLeasesForWorker?: number;
  /** Most leases stolen from busier workers in one balancing round. @defaultValue 1 */
  readonly maxLeasesToStealAtOneTime?: number;
  /** GetRecords `Limit`. @defaultValue 10000 */
  readonly maxRecords?: number;
  /** Pause between GetRecords calls once a shard is caught up (≥ 200: 5 calls/s per shard). @defaultValue 1000 */
  readonly idleTimeBetweenReadsMs?: number;
  /** GetRecords batches fetched ahead of the processor, per shard. @defaultValue 2 */
  readonly maxPrefetchedBatches?: number;
  /** How often the shard list is synced into leases. @defaultValue 60000 */
  readonly shardSyncIntervalMs?: number;
  /** How often a child shard checks whether its parents have finished. @defaultValue 10000 */
  readonly parentShardPollIntervalMs?: number;
  /**
   * How records are read: `polling` (GetRecords, shared 2 MiB/s per shard) or `fanout`
   * (enhanced fan-out, SubscribeToShard: a dedicated 2 MiB/s per shard for this application).
   * @defaultValue 'polling'
   */
  readonly retrievalMode?: 'polling' | 'fanout';
  /** The enhanced fan-out consumer to register (or reuse). @defaultValue applicationName */
  readonly consumerName?: string;
  /** Lease table billing. @defaultValue 'PAY_PER_REQUEST' */
  readonly billingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  /**
   * How GetRecords and GetShardIterator go over the wire (@kinesis-toolkit/wire): `'cbor'` as the
   * AWS SDK for Java sends them (records as bytes, no JSON or base64 to decode), `'json'` the SDK's
   * own, `'auto'` CBOR to AWS endpoints and JSON to any other (emulators). Put on `kinesisClient`,
   * which it then belongs to. @defaultValue 'auto'
   */
  readonly wireProtocol?: WireProtocol;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

/** The complete, validated configuration a worker runs with. */
export interface ResolvedWorkerOptions
  extends Readonly<Required<Omit<WorkerOptions, 'streamName' | 'streamARN' | 'kinesisClient' | 'dynamoClient' | 'consumerName'>>> {
  readonly consumerName: string;
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
  readonly kinesisClient: KinesisClient | undefined;
  readonly dynamoClient: DynamoDBClient | undefined;
}

/** Every default in one place (the README's option table is checked against it). */
export const WORKER_DEFAULTS = Object.freeze({
  initialPosition: 'LATEST' as InitialPosition,
  failoverTimeMs: 10000,
  maxLeasesForWorker: 2147483647,
  maxLeasesToStealAtOneTime: 1,
  maxRecords: 10000,
  idleTimeBetweenReadsMs: 1000,
  maxPrefetchedBatches: 2,
  shardSyncIntervalMs: 60000,
  parentShardPollIntervalMs: 10000,
  retrievalMode: 'polling' as 'polling' | 'fanout',
  billingMode: 'PAY_PER_REQUEST' as 'PAY_PER_REQUEST' | 'PROVISIONED',
  wireProtocol: 'auto' as WireProtocol,
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
});

const KNOWN = new Set([
  ...Object.keys(WORKER_DEFAULTS),
  'streamName',
  'streamARN',
  'applicationName',
  'processorFactory',
  'kinesisClient',
  'dynamoClient',
  'workerId',
  'leaseRenewalIntervalMs',
  'leaseTakingIntervalMs',
  'consumerName',
]);

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

/**
 * Validates worker options once and fills in every default.
 * @throws TypeError naming the option, what was expected and what came.
 */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`options: expected an object, got ${show(options)}`);
  for (const name of Object.keys(options)) if (!KNOWN.has(name)) throw new TypeError(`${name}: not a worker option`);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const failoverTimeMs = (given.failoverTimeMs as number | undefined) ?? WORKER_DEFAULTS.failoverTimeMs;
  const leaseRenewalIntervalMs = (given.leaseRenewalIntervalMs as number | undefined) ?? Math.max(1, Math.floor(failoverTimeMs / 3));
  const resolved = {
    ...WORKER_DEFAULTS,
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseRenewalIntervalMs,
    leaseTakingIntervalMs: leaseRenewalIntervalMs,
    ...given,
    consumerName: options.consumerName ?? options.applicationName,
    streamName: options.streamName,
    streamARN: options.streamARN,
    kinesisClient: options.kinesisClient,
    dynamoClient: options.dynamoClient,
  } as ResolvedWorkerOptions;
  if (resolved.streamName === undefined && resolved.streamARN === undefined) throw new TypeError('streamName: expected a stream name or a streamARN, got neither');
  for (const name of ['applicationName', 'workerId'] as const) {
    if (typeof resolved[name] !== 'string' || resolved[name] === '') throw new TypeError(`${name}: expected a non-empty string, got ${show(resolved[name])}`);
  }
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(resolved.applicationName)) {
    throw new TypeError(`applicationName: must be a valid DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -), got ${show(resolved.applicationName)}`);
  }
  if (typeof resolved.processorFactory !== 'function') throw new TypeError(`processorFactory: expected a function (shardId) => processor, got ${show(resolved.processorFactory)}`);
  integer('failoverTimeMs', resolved.failoverTimeMs, 100, 86_400_000);
  integer('leaseRenewalIntervalMs', resolved.leaseRenewalIntervalMs, 1, resolved.failoverTimeMs - 1);
  integer('leaseTakingIntervalMs', resolved.leaseTakingIntervalMs, 1, 86_400_000);
  integer('maxLeasesForWorker', resolved.maxLeasesForWorker, 1, 2147483647);
  integer('maxLeasesToStealAtOneTime', resolved.maxLeasesToStealAtOneTime, 0, 2147483647);
  integer('maxRecords', resolved.maxRecords, 1, 10000);
  integer('idleTimeBetweenReadsMs', resolved.idleTimeBetweenReadsMs, 200, 86_400_000);
  integer('maxPrefetchedBatches', resolved.maxPrefetchedBatches, 1, 100);
  if (!WIRE_PROTOCOLS.includes(resolved.wireProtocol)) {
    throw new TypeError(`wireProtocol: expected one of ${WIRE_PROTOCOLS.map((p) => `'${p}'`).join(', ')}, got ${show(resolved.wireProtocol)}`);
  }
  integer('shardSyncIntervalMs', resolved.shardSyncIntervalMs, 100, 86_400_000);
  integer('parentShardPollIntervalMs', resolved.parentShardPollIntervalMs, 10, 86_400_000);
  if (resolved.retrievalMode !== 'polling' && resolved.retrievalMode !== 'fanout') {
    throw new TypeError(`retrievalMode: expected 'polling' or 'fanout', got ${show(resolved.retrievalMode)}`);
  }
  if (typeof resolved.consumerName !== 'string' || !/^[a-zA-Z0-9_.-]{1,128}$/.test(resolved.consumerName)) {
    throw new TypeError(`consumerName: expected 1-128 of a-z A-Z 0-9 _ . -, got ${show(resolved.consumerName)}`);
  }
  if (resolved.billingMode !== 'PAY_PER_REQUEST' && resolved.billingMode !== 'PROVISIONED') {
    throw new TypeError(`billingMode: expected 'PAY_PER_REQUEST' or 'PROVISIONED', got ${show(resolved.billingMode)}`);
  }
  const position = resolved.initialPosition;
  const validPosition =
    position === 'LATEST' || position === 'TRIM_HORIZON' || (typeof position === 'object' && position !== null && position.timestamp instanceof Date && !Number.isNaN(position.timestamp.getTime()));
  if (!validPosition) throw new TypeError(`initialPosition: expected 'LATEST', 'TRIM_HORIZON' or { timestamp: Date }, got ${show(position)}`);
  return Object.freeze(resolved);
}
