import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import {
  InvalidArgumentError,
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  rejectUnknownOptions,
  requireAwsClient,
  requireFunction,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
  resolveRandom,
  withoutUndefined,
  type Clock,
  type Logger,
  requireClock,
  requireLogger,
  requireMethods,
  requireArray,
  METRICS_LEVELS,
  type MetricsLevel,
  type MetricsRecorder,
} from '@kinesis-toolkit/core';
import { WIRE_PROTOCOLS, type WireProtocol } from '@kinesis-toolkit/wire';
import { BATCH_HANDLER_OPTION_NAMES, resolveBatchHandlerOptions, type BatchHandlerOptions } from '../processor/BatchHandlerOptions';
import { HandlerAdapter } from '../processor/HandlerAdapter';
import type { RecordProcessor } from '../processor/RecordProcessor';

/** Where a shard without a checkpoint starts. */
export type InitialPosition = 'LATEST' | 'TRIM_HORIZON' | { readonly timestamp: Date };

/**
 * Options of {@link Worker}; names and defaults follow the Java KCL's. Records go to one of
 * `eachBatch`, `eachRecord` or `processorFactory` — or, with none of them, to `worker.batches()`.
 */
export interface WorkerOptions extends BatchHandlerOptions {
  /** The stream to consume; give this or `streamARN`. */
  readonly streamName?: string;
  readonly streamARN?: string;
  /** The application: the lease table's name, shared by every worker of the application. */
  readonly applicationName: string;
  /**
   * Makes the record processor of a shard: the KCL's lifecycle, for full control (README,
   * "Advanced: the record processor"). Instead of `eachBatch` or `eachRecord`.
   */
  readonly processorFactory?: (shardId: string) => RecordProcessor;
  /** @defaultValue `new KinesisClient({ maxAttempts: 1 })` (the worker's own retry policy is the one retry layer) */
  readonly kinesisClient?: KinesisClient;
  /** @defaultValue `new DynamoDBClient({ maxAttempts: 1 })` */
  readonly dynamoClient?: DynamoDBClient;
  /** Where shards without a checkpoint start. @defaultValue 'LATEST' (as the KCL) */
  readonly initialPosition?: InitialPosition;
  /** This worker's name in the lease table. @defaultValue `${hostname}:${pid}:${random}` */
  readonly workerId?: string;
  /**
   * A lease not renewed for this long is expired and may be taken. A worker whose renewals cannot
   * get through stops processing a lease (drops it locally) `leaseRenewalIntervalMs` before that:
   * see "Leases" in the README. @defaultValue 10000
   */
  readonly failoverTimeMs?: number;
  /** How often held leases are renewed; at most failoverTimeMs / 3. @defaultValue failoverTimeMs / 3 */
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
  /** Most leases taken (asked for) from busier workers in one balancing round. @defaultValue 1 */
  readonly maxLeasesToStealAtOneTime?: number;
  /**
   * Balancing hands leases over gracefully (the KCL 3.x handoff): a worker short of leases asks a
   * busier one for a lease (`checkpointOwner` on the item), whose processor checkpoints in
   * `shutdownRequested` before it lets go — nothing is read twice. This is how long the owner is
   * given: a lease not handed over by then is taken anyway (its uncheckpointed records are read
   * again). A dead owner's leases are still taken after failoverTimeMs. 0 turns handoffs off:
   * balancing takes the lease at once, as the KCL 2.x. @defaultValue 30000
   */
  readonly gracefulLeaseHandoffTimeoutMs?: number;
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
  /**
   * The deadline of each attempt of each Kinesis call (GetRecords, GetShardIterator, ListShards,
   * DescribeStreamSummary, RegisterStreamConsumer, DescribeStreamConsumer) and of a SubscribeToShard
   * until the subscription is open: an attempt not answered by then is abandoned (its request
   * aborted) and counts as a transient failure. @defaultValue 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The deadline of each attempt of each lease-table (DynamoDB) call. Renewals and checkpoints are
   * also bounded by the lease-drop rule. @defaultValue 2000
   */
  readonly leaseRequestTimeoutMs?: number;
  /**
   * Fan-out: a subscription that delivers no event for this long is abandoned and a new one opened
   * after the last event (the service sends events, empty ones too, every few seconds). @defaultValue 30000
   */
  readonly subscriptionIdleTimeoutMs?: number;
  /**
   * Where the worker's metrics go: core's `MetricsRecorder`, with the sinks of your choice (EMF,
   * OpenTelemetry, CloudWatch), in the namespace `applicationName`, named as the Java KCL's.
   * Without it, no metric is computed at all. @defaultValue none
   */
  readonly metrics?: MetricsRecorder;
  /** Which metrics are published, as the KCL's `MetricsLevel`: `NONE`, `SUMMARY` or `DETAILED`. @defaultValue 'DETAILED' */
  readonly metricsLevel?: MetricsLevel;
  /**
   * The dimensions metrics are published with, as the KCL's `metricsEnabledDimensions`: `'ALL'`, or
   * some of `ShardId` and `WorkerIdentifier` (`Operation` always). @defaultValue 'ALL'
   */
  readonly metricsEnabledDimensions?: 'ALL' | readonly ('ShardId' | 'WorkerIdentifier')[];
  /** Where the worker logs (lines carry `component: 'kcl'`, the stream, the application, the worker and the shard). @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** @defaultValue Math.random */
  readonly random?: () => number;
}

/** The complete, validated configuration a worker runs with. */
export interface ResolvedWorkerOptions
  extends Readonly<Required<Omit<WorkerOptions, 'streamName' | 'streamARN' | 'kinesisClient' | 'dynamoClient' | 'consumerName' | 'metrics' | (typeof BATCH_HANDLER_OPTION_NAMES)[number]>>> {
  readonly metrics: MetricsRecorder | undefined;
  /** The given factory, or the adapter's around eachBatch / eachRecord / batches(). */
  readonly processorFactory: (shardId: string) => RecordProcessor;
  /** Set unless a processorFactory was given: it runs eachBatch, eachRecord or batches() as record processors. */
  readonly handlerAdapter: HandlerAdapter | undefined;
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
  gracefulLeaseHandoffTimeoutMs: 30000,
  maxRecords: 10000,
  idleTimeBetweenReadsMs: 1000,
  maxPrefetchedBatches: 2,
  shardSyncIntervalMs: 60000,
  parentShardPollIntervalMs: 10000,
  requestTimeoutMs: 10000,
  leaseRequestTimeoutMs: 2000,
  subscriptionIdleTimeoutMs: 30000,
  retrievalMode: 'polling' as 'polling' | 'fanout',
  billingMode: 'PAY_PER_REQUEST' as 'PAY_PER_REQUEST' | 'PROVISIONED',
  wireProtocol: 'auto' as WireProtocol,
  metricsLevel: 'DETAILED' as MetricsLevel,
  metricsEnabledDimensions: 'ALL' as 'ALL' | readonly ('ShardId' | 'WorkerIdentifier')[],
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
});

const KNOWN = [
  'metrics',
  ...Object.keys(WORKER_DEFAULTS),
  'streamName',
  'streamARN',
  'applicationName',
  'processorFactory',
  ...BATCH_HANDLER_OPTION_NAMES,
  'kinesisClient',
  'dynamoClient',
  'workerId',
  'leaseRenewalIntervalMs',
  'leaseTakingIntervalMs',
  'consumerName',
];

const DAY_MS = 86_400_000;
// DynamoDB's table-name rule and Kinesis's consumer-name rule.
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;
const CONSUMER_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;

/**
 * Validates worker options once and fills in every default.
 * @throws InvalidArgumentError (a TypeError) naming the option: `name: expected …, got …`.
 */
export function resolveWorkerOptions(options: WorkerOptions): ResolvedWorkerOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, KNOWN);
  const given = withoutUndefined(options) as Partial<WorkerOptions>;
  if (given.streamName === undefined && given.streamARN === undefined) throw new InvalidArgumentError('streamName', 'a stream name (or a streamARN)', undefined);
  if (given.streamName !== undefined) requireString('streamName', given.streamName, { pattern: /^[a-zA-Z0-9_.-]{1,128}$/, expected: 'a stream name (1-128 of a-z A-Z 0-9 _ . -)' });
  if (given.streamARN !== undefined) requireString('streamARN', given.streamARN, { pattern: /^arn:aws[a-z-]*:kinesis:/, expected: 'a Kinesis stream ARN (arn:aws:kinesis:…)' });
  requireString('applicationName', given.applicationName, { pattern: TABLE_NAME, expected: 'a DynamoDB table name (3-255 of a-z A-Z 0-9 _ . -)' });
  const handlerAdapter = resolveConsumerForm(given, { clock: given.clock ?? WORKER_DEFAULTS.clock, logger: given.logger ?? WORKER_DEFAULTS.logger });
  if (given.kinesisClient !== undefined) requireAwsClient('kinesisClient', given.kinesisClient, 'a KinesisClient');
  if (given.dynamoClient !== undefined) requireAwsClient('dynamoClient', given.dynamoClient, 'a DynamoDBClient');
  const failoverTimeMs = requireInteger('failoverTimeMs', given.failoverTimeMs ?? WORKER_DEFAULTS.failoverTimeMs, 100, DAY_MS);
  const maxRenewalIntervalMs = Math.floor(failoverTimeMs / 3);
  const leaseRenewalIntervalMs = requireInteger(
    'leaseRenewalIntervalMs',
    given.leaseRenewalIntervalMs ?? maxRenewalIntervalMs,
    1,
    maxRenewalIntervalMs,
    `an integer in [1, ${maxRenewalIntervalMs}] (at most failoverTimeMs / 3, so a lease has a whole interval to renew before it is dropped)`,
  );
  const resolved = {
    ...WORKER_DEFAULTS,
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    leaseTakingIntervalMs: leaseRenewalIntervalMs,
    ...withoutHandlerOptions(given),
    processorFactory: handlerAdapter?.processorFactory ?? given.processorFactory,
    handlerAdapter,
    failoverTimeMs,
    leaseRenewalIntervalMs,
    consumerName: given.consumerName ?? given.applicationName,
    streamName: given.streamName,
    streamARN: given.streamARN,
    kinesisClient: given.kinesisClient,
    dynamoClient: given.dynamoClient,
    metrics: given.metrics === undefined ? undefined : requireMethods<MetricsRecorder>('metrics', given.metrics, ['namespace'], 'a MetricsRecorder'),
  } as ResolvedWorkerOptions;
  requireString('workerId', resolved.workerId, { maxLength: 1024 });
  requireInteger('leaseTakingIntervalMs', resolved.leaseTakingIntervalMs, 1, DAY_MS);
  requireInteger('maxLeasesForWorker', resolved.maxLeasesForWorker, 1, 2147483647);
  requireInteger('maxLeasesToStealAtOneTime', resolved.maxLeasesToStealAtOneTime, 0, 2147483647);
  requireInteger('gracefulLeaseHandoffTimeoutMs', resolved.gracefulLeaseHandoffTimeoutMs, 0, DAY_MS);
  requireInteger('maxRecords', resolved.maxRecords, 1, 10000);
  requireInteger('idleTimeBetweenReadsMs', resolved.idleTimeBetweenReadsMs, 200, DAY_MS);
  requireInteger('maxPrefetchedBatches', resolved.maxPrefetchedBatches, 1, 100);
  requireInteger('shardSyncIntervalMs', resolved.shardSyncIntervalMs, 100, DAY_MS);
  requireInteger('parentShardPollIntervalMs', resolved.parentShardPollIntervalMs, 10, DAY_MS);
  requireInteger('requestTimeoutMs', resolved.requestTimeoutMs, 1, 3_600_000);
  requireInteger('leaseRequestTimeoutMs', resolved.leaseRequestTimeoutMs, 1, 3_600_000);
  requireInteger('subscriptionIdleTimeoutMs', resolved.subscriptionIdleTimeoutMs, 1, 3_600_000);
  requireOneOf('retrievalMode', resolved.retrievalMode, ['polling', 'fanout'] as const);
  requireString('consumerName', resolved.consumerName, { pattern: CONSUMER_NAME, expected: '1-128 of a-z A-Z 0-9 _ . -' });
  requireOneOf('billingMode', resolved.billingMode, ['PAY_PER_REQUEST', 'PROVISIONED'] as const);
  requireOneOf('wireProtocol', resolved.wireProtocol, WIRE_PROTOCOLS);
  requireOneOf('metricsLevel', resolved.metricsLevel, METRICS_LEVELS);
  if (resolved.metricsEnabledDimensions !== 'ALL') {
    if (!Array.isArray(resolved.metricsEnabledDimensions)) throw new InvalidArgumentError('metricsEnabledDimensions', "'ALL' or an array of 'ShardId', 'WorkerIdentifier'", resolved.metricsEnabledDimensions);
    requireArray('metricsEnabledDimensions', resolved.metricsEnabledDimensions, (name, value) => requireOneOf(name, value, ['ShardId', 'WorkerIdentifier'] as const));
  }
  requireLogger('logger', resolved.logger);
  requireClock('clock', resolved.clock);
  resolveRandom('random', resolved.random);
  const position = resolved.initialPosition;
  const validPosition =
    position === 'LATEST' ||
    position === 'TRIM_HORIZON' ||
    (typeof position === 'object' && position !== null && position.timestamp instanceof Date && !Number.isNaN(position.timestamp.getTime()));
  if (!validPosition) throw new InvalidArgumentError('initialPosition', "'LATEST', 'TRIM_HORIZON' or { timestamp: Date }", position);
  return Object.freeze(resolved);
}

const CONSUMER_FORMS = ['eachBatch', 'eachRecord', 'processorFactory'] as const;

/**
 * Checks how records are consumed — at most one of eachBatch, eachRecord, processorFactory (none:
 * `worker.batches()`) — and builds the adapter for the simple forms.
 */
function resolveConsumerForm(given: Partial<WorkerOptions>, runtime: ConstructorParameters<typeof HandlerAdapter>[1]): HandlerAdapter | undefined {
  const forms = CONSUMER_FORMS.filter((name) => given[name] !== undefined);
  if (forms.length > 1) {
    throw new InvalidArgumentError(forms.join(' | '), 'one of eachBatch, eachRecord or processorFactory (or none, to iterate worker.batches())', forms.join(' and '));
  }
  if (given.processorFactory === undefined) return new HandlerAdapter(resolveBatchHandlerOptions(given), runtime);
  requireFunction('processorFactory', given.processorFactory);
  const misplaced = BATCH_HANDLER_OPTION_NAMES.find((name) => given[name] !== undefined);
  if (misplaced !== undefined) throw new InvalidArgumentError(misplaced, 'nothing with processorFactory (a record processor checkpoints and handles failures itself)', given[misplaced]);
  return undefined;
}

function withoutHandlerOptions(given: Partial<WorkerOptions>): Partial<WorkerOptions> {
  const rest: Record<string, unknown> = { ...given };
  for (const name of BATCH_HANDLER_OPTION_NAMES) delete rest[name];
  return rest;
}
