import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { MAX_RECORD_BYTES } from '@kinesis-toolkit/aggregation';
import { NOOP_LOGGER, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';
import { WIRE_PROTOCOLS, type WireProtocol } from '@kinesis-toolkit/wire';

const MiB = 1024 * 1024;

/** Backoff between attempts of a record: full-jitter exponential, capped. */
export interface RetryOptions {
  /** The first retry waits up to this long. @defaultValue 100 */
  readonly baseDelayMs?: number;
  /** No wait is longer than this. @defaultValue 5000 */
  readonly maxDelayMs?: number;
}

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
   * @defaultValue `new KinesisClient({ maxAttempts: 1 })` (default credential chain and region)
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
  /** Backoff between attempts. @defaultValue `{ baseDelayMs: 100, maxDelayMs: 5000 }` */
  readonly retry?: RetryOptions;
  /** Refresh the shard map this often, besides on wrong-shard results and resharding. @defaultValue 60000 */
  readonly shardMapRefreshIntervalMs?: number;
  /**
   * Deliver the records of each partition key to the stream in `put()` order, even across retries,
   * by keeping one Kinesis record per shard in flight. Lowers throughput per shard.
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
  /** Where the producer logs. @defaultValue a no-op logger */
  readonly logger?: Logger;
  /** The time source for buffers, buckets, backoff and TTLs. @defaultValue the system clock */
  readonly clock?: Clock;
  /** Randomness for backoff jitter, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
}

/** The complete, validated configuration a producer runs with. */
export interface ResolvedProducerOptions
  extends Readonly<Required<Omit<ProducerOptions, 'streamName' | 'streamARN' | 'kinesisClient' | 'retry'>>> {
  readonly streamName: string | undefined;
  readonly streamARN: string | undefined;
  readonly kinesisClient: KinesisClient | undefined;
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
  logger: NOOP_LOGGER,
  clock: SYSTEM_CLOCK,
  random: Math.random,
});

const KNOWN_OPTIONS = new Set([...Object.keys(PRODUCER_DEFAULTS), 'streamName', 'streamARN', 'kinesisClient']);

type Range = readonly [min: number, max: number];
const INTEGER_RANGES: Record<string, Range> = {
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
};

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkInteger(name: string, value: unknown, [min, max]: Range): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer from ${min} to ${max}, got ${describe(value)}`);
  }
}

function checkBoolean(name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean, got ${describe(value)}`);
}

function withoutUndefined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/**
 * Validates producer options once and fills in every default.
 * @throws TypeError naming the option, what was expected and what came.
 */
export function resolveProducerOptions(options: ProducerOptions): ResolvedProducerOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`options: expected an object, got ${describe(options)}`);
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw new TypeError(`${name}: not a producer option (known: ${[...KNOWN_OPTIONS].join(', ')})`);
  }
  if (options.retry !== undefined && (options.retry === null || typeof options.retry !== 'object')) {
    throw new TypeError(`retry: expected an object like { baseDelayMs, maxDelayMs }, got ${describe(options.retry)}`);
  }
  const client = options.kinesisClient as { send?: unknown } | undefined;
  if (client !== undefined && (client === null || typeof client.send !== 'function')) {
    throw new TypeError('kinesisClient: expected an AWS SDK v3 KinesisClient (an object with send())');
  }
  const given = withoutUndefined(options);
  const resolved = {
    ...PRODUCER_DEFAULTS,
    ...given,
    retry: Object.freeze({ ...PRODUCER_DEFAULTS.retry, ...withoutUndefined(options.retry ?? {}) }),
    streamName: options.streamName,
    streamARN: options.streamARN,
    kinesisClient: options.kinesisClient,
  };
  if (resolved.streamName === undefined && resolved.streamARN === undefined) {
    throw new TypeError('streamName: expected a stream name or a streamARN, got neither');
  }
  for (const [name, value] of [['streamName', resolved.streamName], ['streamARN', resolved.streamARN]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new TypeError(`${name}: expected a non-empty string, got ${describe(value)}`);
    }
  }
  for (const [name, range] of Object.entries(INTEGER_RANGES)) checkInteger(name, (resolved as Record<string, unknown>)[name], range);
  checkInteger('retry.baseDelayMs', resolved.retry.baseDelayMs, [1, 3_600_000]);
  checkInteger('retry.maxDelayMs', resolved.retry.maxDelayMs, [resolved.retry.baseDelayMs, 3_600_000]);
  checkBoolean('aggregationEnabled', resolved.aggregationEnabled);
  checkBoolean('failIfThrottled', resolved.failIfThrottled);
  checkBoolean('preserveOrder', resolved.preserveOrder);
  if (!WIRE_PROTOCOLS.includes(resolved.wireProtocol)) {
    throw new TypeError(`wireProtocol: expected one of ${WIRE_PROTOCOLS.map((p) => `'${p}'`).join(', ')}, got ${describe(resolved.wireProtocol)}`);
  }
  if (resolved.collectionMaxBytes < resolved.maxRecordBytes + 256 && resolved.maxRecordBytes > MAX_RECORD_BYTES) {
    throw new TypeError(`collectionMaxBytes: must hold one record of maxRecordBytes (${resolved.maxRecordBytes}), got ${resolved.collectionMaxBytes}`);
  }
  for (const name of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof resolved.logger?.[name] !== 'function') throw new TypeError(`logger: expected an object with a ${name}() method`);
  }
  for (const name of ['now', 'setTimeout', 'clearTimeout'] as const) {
    if (typeof resolved.clock?.[name] !== 'function') throw new TypeError(`clock: expected an object with a ${name}() method`);
  }
  if (typeof resolved.random !== 'function') throw new TypeError(`random: expected a function, got ${describe(resolved.random)}`);
  return Object.freeze(resolved);
}
