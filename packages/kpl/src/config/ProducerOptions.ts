import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { MAX_RECORD_BYTES } from '@kinesis-toolkit/aggregation';
import {
  InvalidArgumentError,
  KPL_NAMESPACE,
  METRICS_GRANULARITIES,
  METRICS_LEVELS,
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  rejectUnknownOptions,
  requireAwsClient,
  requireBoolean,
  requireInteger,
  requireObject,
  requireOneOf,
  requireString,
  resolveRandom,
  resolveRetryOptions,
  withoutUndefined,
  type Clock,
  type Logger,
  type RetryOptions as CoreRetryOptions,
  requireClock,
  requireLogger,
  requireMethods,
  type MetricsGranularity,
  type MetricsLevel,
  type MetricsRecorder,
} from '@kinesis-toolkit/core';
import { WIRE_PROTOCOLS, type WireProtocol } from '@kinesis-toolkit/wire';

const MiB = 1024 * 1024;

/**
 * Backoff between attempts of a record (and between failed ListShards calls): core's full-jitter
 * exponential backoff. A producer retries until each record's `recordTtlMs`, not a number of
 * attempts, so core's `maxAttempts` is not an option here.
 */
export type RetryOptions = Pick<CoreRetryOptions, 'baseDelayMs' | 'maxDelayMs'>;

/**
 * Options of {@link KinesisProducer}. Every field but the stream is optional; names and
 * defaults follow the KPL's (`RecordMaxBufferedTime` → `recordMaxBufferedTimeMs`, …).
 */
export interface ProducerOptions {
  /** The stream to write to; give this or `streamARN`. */
  readonly streamName?: string;
  /** The stream's ARN; give this or `streamName`. */
  readonly streamARN?: string;
  /**
   * The SDK v3 client to send with. Give it `maxAttempts: 1`: the producer retries records
   * itself (until their TTL), so SDK retries would only multiply attempts.
   * @defaultValue `new KinesisClient(SDK_CLIENT_DEFAULTS)` — `maxAttempts: 1`, the default credential chain and region
   */
  readonly kinesisClient?: KinesisClient;
  /** Longest a record waits in a buffer before it is sent. @defaultValue 100 */
  readonly recordMaxBufferedTimeMs?: number;
  /** Pack user records into KPL aggregates, per predicted shard. @defaultValue true */
  readonly aggregationEnabled?: boolean;
  /** Most user records in one aggregate. @defaultValue 4294967295 */
  readonly aggregationMaxCount?: number;
  /** Largest aggregate, in bytes; a record larger than this is sent alone. Up to 1 MiB. @defaultValue 51200 */
  readonly aggregationMaxBytes?: number;
  /** Most Kinesis records in one PutRecords request (1–500). @defaultValue 500 */
  readonly collectionMaxCount?: number;
  /** Largest PutRecords request, data plus partition keys, in bytes (up to 10 MiB). @defaultValue 5242880 */
  readonly collectionMaxBytes?: number;
  /** Largest user record, data plus partition key, in bytes (streams may raise it up to 10 MiB). @defaultValue 1048576 */
  readonly maxRecordBytes?: number;
  /** Per-shard send rate, as a percentage of the shard limits (1,000 records/s and 1 MiB/s). @defaultValue 150 */
  readonly rateLimitPercent?: number;
  /** A record not acknowledged this long after `put()` fails with `RecordExpiredError`. @defaultValue 30000 */
  readonly recordTtlMs?: number;
  /** Fail throttled records at once instead of retrying them. @defaultValue false */
  readonly failIfThrottled?: boolean;
  /** A PutRecords or ListShards request not answered in this time is aborted and retried. @defaultValue 6000 */
  readonly requestTimeoutMs?: number;
  /** Most PutRecords requests in flight at once. @defaultValue 24 */
  readonly maxConcurrentRequests?: number;
  /**
   * `put()` waits while this many user records are unsettled. 50,000 keeps a single process at full
   * speed (it covers about 0.2 s of buffering and round trip at 200 k records/s) while bounding the
   * heap: each outstanding record costs about 1 KiB live and several times that in garbage
   * between collections, whatever its size.
   * @defaultValue 50000
   */
  readonly maxOutstandingRecords?: number;
  /** `put()` waits while this many bytes (data plus partition keys) are unsettled. @defaultValue 134217728 */
  readonly maxOutstandingBytes?: number;
  /** Backoff between attempts of a record and between failed ListShards calls. @defaultValue `{ baseDelayMs: 100, maxDelayMs: 5000 }` */
  readonly retry?: RetryOptions;
  /** Refresh the shard map this often, besides on wrong-shard results and resharding. @defaultValue 60000 */
  readonly shardMapRefreshIntervalMs?: number;
  /**
   * Deliver the records of each partition key to the stream in `put()` order, across retries,
   * throttling, wrong-shard answers, shard-map changes, splits and merges: a key's record is sent
   * only once every earlier one of the key is acknowledged (or in the same Kinesis record), so one
   * Kinesis record per key is out at a time. Other keys do not wait; a hot key sends one aggregate
   * per round trip.
   * @defaultValue false
   */
  readonly preserveOrder?: boolean;
  /**
   * How PutRecords goes over the wire (@kinesis-toolkit/wire): `'cbor'` as the AWS SDK for Java
   * sends it (records as bytes, no base64 in JSON text), `'json'` the SDK's own, `'auto'` CBOR to AWS
   * endpoints and JSON to any other (emulators). Put on `kinesisClient`, which it then belongs to.
   * @defaultValue 'auto'
   */
  readonly wireProtocol?: WireProtocol;
  /**
   * Where the producer's metrics go: core's `MetricsRecorder`, with the sinks of your choice (EMF,
   * OpenTelemetry, CloudWatch). Without it, no metric is computed at all.
   * @defaultValue none
   */
  readonly metrics?: MetricsRecorder;
  /** Which metrics are published, as the KPL's `MetricsLevel`: `NONE`, `SUMMARY` or `DETAILED`. @defaultValue 'DETAILED' */
  readonly metricsLevel?: MetricsLevel;
  /** Per stream and per shard as well as overall, as the KPL's `MetricsGranularity`: `GLOBAL`, `STREAM` or `SHARD`. @defaultValue 'SHARD' */
  readonly metricsGranularity?: MetricsGranularity;
  /** The CloudWatch namespace of the metrics, as the KPL's `MetricsNamespace`. @defaultValue 'KinesisProducerLibrary' */
  readonly metricsNamespace?: string;
  /** Where the producer logs (lines carry `component: 'kpl'` and the stream). @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** The time source for buffers, buckets, backoff and TTLs. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Randomness for backoff jitter, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
}

/** The complete, validated configuration a producer runs with. */
export interface ResolvedProducerOptions
  extends Readonly<Required<Omit<ProducerOptions, 'streamName' | 'streamARN' | 'kinesisClient' | 'retry' | 'metrics'>>> {
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
  readonly kinesisClient: KinesisClient | undefined;
  readonly metrics: MetricsRecorder | undefined;
  readonly retry: Readonly<Required<RetryOptions>>;
}


/** Every default in one place (the README's option table is checked against it). */
export const PRODUCER_DEFAULTS = Object.freeze({
  recordMaxBufferedTimeMs: 100,
  aggregationEnabled: true,
  aggregationMaxCount: 4294967295,
  aggregationMaxBytes: 51200,
  collectionMaxCount: 500,
  collectionMaxBytes: 5 * MiB,
  maxRecordBytes: MAX_RECORD_BYTES,
  rateLimitPercent: 150,
  recordTtlMs: 30000,
  failIfThrottled: false,
  requestTimeoutMs: 6000,
  maxConcurrentRequests: 24,
  maxOutstandingRecords: 50000,
  maxOutstandingBytes: 128 * MiB,
  retry: Object.freeze({ baseDelayMs: 100, maxDelayMs: 5000 }),
  shardMapRefreshIntervalMs: 60000,
  preserveOrder: false,
  wireProtocol: 'auto' as WireProtocol,
  metricsLevel: 'DETAILED' as MetricsLevel,
  metricsGranularity: 'SHARD' as MetricsGranularity,
  metricsNamespace: KPL_NAMESPACE,
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
});

const KNOWN_OPTIONS = [...Object.keys(PRODUCER_DEFAULTS), 'streamName', 'streamARN', 'kinesisClient', 'metrics'];

type Range = readonly [min: number, max: number];
const INTEGER_RANGES = {
  recordMaxBufferedTimeMs: [0, 3_600_000],
  aggregationMaxCount: [1, 4294967295],
  aggregationMaxBytes: [64, MiB],
  collectionMaxCount: [1, 500],
  collectionMaxBytes: [52224, 10 * MiB],
  maxRecordBytes: [1, 10 * MiB],
  rateLimitPercent: [1, 1_000_000],
  recordTtlMs: [100, Number.MAX_SAFE_INTEGER],
  requestTimeoutMs: [100, 600_000],
  maxConcurrentRequests: [1, 256],
  maxOutstandingRecords: [1, Number.MAX_SAFE_INTEGER],
  maxOutstandingBytes: [1, Number.MAX_SAFE_INTEGER],
  shardMapRefreshIntervalMs: [1000, Number.MAX_SAFE_INTEGER],
} as const satisfies Record<string, Range>;
type IntegerOption = keyof typeof INTEGER_RANGES;


/**
 * Validates producer options once and fills in every default, with core's validators.
 * @throws `InvalidArgumentError` (a `TypeError`) naming the option: `name: expected …, got …`.
 */
export function resolveProducerOptions(options: ProducerOptions): ResolvedProducerOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, KNOWN_OPTIONS);
  const streamName = options.streamName === undefined ? undefined : requireString('streamName', options.streamName);
  const streamARN = options.streamARN === undefined ? undefined : requireString('streamARN', options.streamARN);
  if (streamName === undefined && streamARN === undefined) throw new InvalidArgumentError('streamName', 'a stream name (or a streamARN)', undefined);
  const kinesisClient = options.kinesisClient === undefined ? undefined : requireAwsClient<KinesisClient>('kinesisClient', options.kinesisClient, 'a KinesisClient');
  const integers = {} as Record<IntegerOption, number>;
  for (const [name, [min, max]] of Object.entries(INTEGER_RANGES) as [IntegerOption, Range][]) {
    integers[name] = requireInteger(name, options[name] ?? PRODUCER_DEFAULTS[name], min, max);
  }
  if (integers.maxRecordBytes > MAX_RECORD_BYTES && integers.collectionMaxBytes < integers.maxRecordBytes + 256) {
    throw new InvalidArgumentError('collectionMaxBytes', `an integer of at least maxRecordBytes + 256 (${integers.maxRecordBytes + 256}), to hold one record of maxRecordBytes`, integers.collectionMaxBytes);
  }
  let retry: Readonly<Required<RetryOptions>> = PRODUCER_DEFAULTS.retry;
  if (options.retry !== undefined) {
    rejectUnknownOptions('retry', requireObject('retry', options.retry), Object.keys(PRODUCER_DEFAULTS.retry));
    const { baseDelayMs, maxDelayMs } = resolveRetryOptions({ ...PRODUCER_DEFAULTS.retry, ...withoutUndefined(options.retry) }, 'retry');
    retry = Object.freeze({ baseDelayMs, maxDelayMs });
  }
  return Object.freeze({
    ...integers,
    streamName,
    streamARN,
    kinesisClient,
    aggregationEnabled: requireBoolean('aggregationEnabled', options.aggregationEnabled ?? PRODUCER_DEFAULTS.aggregationEnabled),
    failIfThrottled: requireBoolean('failIfThrottled', options.failIfThrottled ?? PRODUCER_DEFAULTS.failIfThrottled),
    preserveOrder: requireBoolean('preserveOrder', options.preserveOrder ?? PRODUCER_DEFAULTS.preserveOrder),
    wireProtocol: requireOneOf('wireProtocol', options.wireProtocol ?? PRODUCER_DEFAULTS.wireProtocol, WIRE_PROTOCOLS),
    retry,
    metrics: options.metrics === undefined ? undefined : requireMethods<MetricsRecorder>('metrics', options.metrics, ['namespace'], 'a MetricsRecorder'),
    metricsLevel: requireOneOf('metricsLevel', options.metricsLevel ?? PRODUCER_DEFAULTS.metricsLevel, METRICS_LEVELS),
    metricsGranularity: requireOneOf('metricsGranularity', options.metricsGranularity ?? PRODUCER_DEFAULTS.metricsGranularity, METRICS_GRANULARITIES),
    metricsNamespace: requireString('metricsNamespace', options.metricsNamespace ?? PRODUCER_DEFAULTS.metricsNamespace, { maxLength: 255 }),
    logger: requireLogger('logger', options.logger ?? PRODUCER_DEFAULTS.logger),
    clock: requireClock('clock', options.clock ?? PRODUCER_DEFAULTS.clock),
    random: resolveRandom('random', options.random),
  });
}
