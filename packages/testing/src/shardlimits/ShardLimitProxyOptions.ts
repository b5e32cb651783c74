import {
  InvalidArgumentError,
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  rejectUnknownOptions,
  requireClock,
  requireInteger,
  requireLogger,
  requireObject,
  requirePositiveNumber,
  requireString,
  requireUrl,
  withoutUndefined,
  type Clock,
  type Logger,
} from '@kinesis-toolkit/core';

/** Options of {@link ShardLimitProxy.start}; all but `target` are optional. */
export interface ShardLimitProxyOptions {
  /** The Kinesis endpoint to put the proxy in front of, e.g. kinesalite's `http://127.0.0.1:PORT`. */
  readonly target: string;
  /** The address the proxy listens on. @defaultValue `'127.0.0.1'` */
  readonly host?: string;
  /** The port the proxy listens on; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /**
   * Multiplies every per-shard rate limit below (not the per-request limits), so that tests hit
   * the limits with little data: 0.05 gives 50 records/s and 52,428.8 bytes/s of writes per shard.
   * @defaultValue 1
   */
  readonly scale?: number;
  /** Records a shard accepts per second, before `scale`. @defaultValue 1000 (AWS) */
  readonly writeRecordsPerSecond?: number;
  /** Bytes (data + partition key) a shard accepts per second, before `scale`. @defaultValue 1048576, 1 MiB (AWS) */
  readonly writeBytesPerSecond?: number;
  /** GetRecords calls a shard answers per second, before `scale`. @defaultValue 5 (AWS) */
  readonly getRecordsCallsPerSecond?: number;
  /** Bytes (data + partition key) GetRecords returns per shard per second, before `scale`. @defaultValue 2097152, 2 MiB (AWS) */
  readonly readBytesPerSecond?: number;
  /** Entries a PutRecords request may hold; above it the request fails whole. @defaultValue 500 (AWS) */
  readonly maxRecordsPerRequest?: number;
  /** Bytes (data + partition keys) a PutRecords request may hold; above it the request fails whole. @defaultValue 10485760, 10 MiB (AWS) */
  readonly maxBytesPerRequest?: number;
  /** Where the token buckets read the time. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** Receives requests (debug), throttling (debug) and trouble with the target (warn). @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link ShardLimitProxyOptions}: the AWS limits of a provisioned stream's shard. */
export const SHARD_LIMIT_PROXY_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  scale: 1,
  writeRecordsPerSecond: 1000,
  writeBytesPerSecond: 1_048_576,
  getRecordsCallsPerSecond: 5,
  readBytesPerSecond: 2_097_152,
  maxRecordsPerRequest: 500,
  maxBytesPerRequest: 10_485_760,
  clock: SYSTEM_CLOCK,
  logger: NOOP_LOGGER,
});

/** {@link ShardLimitProxyOptions} with every default applied. */
export type ResolvedShardLimitProxyOptions = Readonly<Required<ShardLimitProxyOptions>>;

/** The rate limits in force on every shard, after `scale`. Each is also the size of its 1-second burst. */
export interface ShardLimits {
  readonly writeRecordsPerSecond: number;
  readonly writeBytesPerSecond: number;
  readonly getRecordsCallsPerSecond: number;
  readonly readBytesPerSecond: number;
}

/**
 * Applies {@link SHARD_LIMIT_PROXY_DEFAULTS} and validates.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveShardLimitProxyOptions(options: ShardLimitProxyOptions): ResolvedShardLimitProxyOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, ['target', ...Object.keys(SHARD_LIMIT_PROXY_DEFAULTS)]);
  const target = requireHttpUrl('target', (options as Partial<ShardLimitProxyOptions>).target);
  const resolved = { ...SHARD_LIMIT_PROXY_DEFAULTS, ...withoutUndefined(options), target };
  requireString('host', resolved.host);
  requireInteger('port', resolved.port, 0, 65_535);
  requirePositiveNumber('scale', resolved.scale);
  requirePositiveNumber('writeRecordsPerSecond', resolved.writeRecordsPerSecond);
  requirePositiveNumber('writeBytesPerSecond', resolved.writeBytesPerSecond);
  requirePositiveNumber('getRecordsCallsPerSecond', resolved.getRecordsCallsPerSecond);
  requirePositiveNumber('readBytesPerSecond', resolved.readBytesPerSecond);
  requireInteger('maxRecordsPerRequest', resolved.maxRecordsPerRequest, 1);
  requireInteger('maxBytesPerRequest', resolved.maxBytesPerRequest, 1);
  requireClock('clock', resolved.clock);
  requireLogger('logger', resolved.logger);
  return Object.freeze(resolved);
}

/** The per-shard limits of a resolved configuration at `scale`. */
export function shardLimitsAt(options: ResolvedShardLimitProxyOptions, scale: number): ShardLimits {
  return Object.freeze({
    writeRecordsPerSecond: options.writeRecordsPerSecond * scale,
    writeBytesPerSecond: options.writeBytesPerSecond * scale,
    getRecordsCallsPerSecond: options.getRecordsCallsPerSecond * scale,
    readBytesPerSecond: options.readBytesPerSecond * scale,
  });
}

/** An `http:` URL: the proxy forwards plain HTTP only. */
function requireHttpUrl(name: string, value: unknown): string {
  if (new URL(requireUrl(name, value)).protocol !== 'http:') throw new InvalidArgumentError(name, 'an http: URL such as "http://127.0.0.1:4567"', value);
  return value as string;
}
