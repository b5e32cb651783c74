import {
  InvalidArgumentError,
  NOOP_LOGGER,
  SYSTEM_CLOCK,
  givenOptions,
  rejectUnknownOptions,
  requireBoolean,
  requireClock,
  requireInteger,
  requireLogger,
  requireOneOf,
  requireString,
  type Clock,
  type Logger,
} from '@kinesis-toolkit/core';

/** Where per-shard throughput comes from (see `ThroughputSource`). */
export type ThroughputMode = 'tail' | 'off';

/** The throughput sources the dashboard can use today. */
export const THROUGHPUT_MODES: readonly ThroughputMode[] = ['tail', 'off'];

/**
 * Options of the live dashboard. `streamName` and `applicationName` are required; every other
 * field is optional.
 */
export interface DashboardOptions {
  /** The stream to show. Required. */
  readonly streamName: string;
  /** The KCL application, which names its lease table. Required. */
  readonly applicationName: string;
  /** Address the web server listens on; a non-loopback address needs `allowRemote`. @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** TCP port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /**
   * Listen on a non-loopback address. The page has no login: anyone who reaches it sees the
   * stream's shards, the lease table and the worker names. @defaultValue false
   */
  readonly allowRemote?: boolean;
  /** Pause between two reads of the shard list (ListShards) and the lease table (Scan). @defaultValue 2000 */
  readonly refreshIntervalMs?: number;
  /** A lease's lag is measured again after this long (one GetShardIterator + one GetRecords). @defaultValue 10000 */
  readonly lagIntervalMs?: number;
  /** Lag measurements started per second, over all leases (each is two Kinesis calls). @defaultValue 2 */
  readonly lagProbesPerSecond?: number;
  /** `tail`: read the tip of each open shard to count what arrives; `off`: no throughput panel data. @defaultValue 'tail' */
  readonly throughput?: ThroughputMode;
  /** Pause between two reads of each open shard's tip (`throughput: 'tail'`). @defaultValue 5000 */
  readonly throughputIntervalMs?: number;
  /** How much throughput history the page shows. @defaultValue 300000 */
  readonly throughputWindowMs?: number;
  /** Width of one bar of the throughput history. @defaultValue 10000 */
  readonly throughputBucketMs?: number;
  /**
   * The application's lease failover time: a worker none of whose lease counters moved for this
   * long is shown as silent (other workers may take its leases). @defaultValue 10000 (the KCL's default)
   */
  readonly failoverTimeMs?: number;
  /**
   * Time source of every schedule and every time shown. Its `now()` must be epoch milliseconds:
   * records' arrival timestamps are bucketed against it, and the page shows times of day.
   * @defaultValue the wall clock (`Date.now()` and the global timers)
   */
  readonly clock?: Clock;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/**
 * `Date.now()` and the global timers. Core's `SYSTEM_CLOCK` counts from an arbitrary origin
 * (`performance.now()`), which cannot be compared with the timestamps Kinesis puts on records.
 */
export const WALL_CLOCK: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: SYSTEM_CLOCK.setTimeout,
  clearTimeout: SYSTEM_CLOCK.clearTimeout,
});

/** Every default of {@link DashboardOptions}, in one place. */
export const DASHBOARD_DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  allowRemote: false,
  refreshIntervalMs: 2_000,
  lagIntervalMs: 10_000,
  lagProbesPerSecond: 2,
  throughput: 'tail' as ThroughputMode,
  throughputIntervalMs: 5_000,
  throughputWindowMs: 300_000,
  throughputBucketMs: 10_000,
  failoverTimeMs: 10_000,
  clock: WALL_CLOCK,
  logger: NOOP_LOGGER as Logger,
});

/** {@link DashboardOptions} with every default applied, validated and frozen. */
export type ResolvedDashboardOptions = Readonly<Required<DashboardOptions>>;

const KNOWN = ['streamName', 'applicationName', ...Object.keys(DASHBOARD_DEFAULTS)];

/** Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Applies {@link DASHBOARD_DEFAULTS} and validates.
 * @throws InvalidArgumentError naming the option (`name: expected …, got …`); for a non-loopback
 * `host` without `allowRemote`, saying why that needs asking for.
 */
export function resolveDashboardOptions(options: DashboardOptions): ResolvedDashboardOptions {
  const given = givenOptions('dashboard options', options);
  rejectUnknownOptions('dashboard options', given, KNOWN);
  const merged = { ...DASHBOARD_DEFAULTS, ...given };
  const resolved: ResolvedDashboardOptions = {
    streamName: requireString('streamName', merged.streamName, { maxLength: 128 }),
    applicationName: requireString('applicationName', merged.applicationName, { maxLength: 255 }),
    host: requireString('host', merged.host),
    port: requireInteger('port', merged.port, 0, 65_535),
    allowRemote: requireBoolean('allowRemote', merged.allowRemote),
    refreshIntervalMs: requireInteger('refreshIntervalMs', merged.refreshIntervalMs, 100, 3_600_000),
    lagIntervalMs: requireInteger('lagIntervalMs', merged.lagIntervalMs, 200, 3_600_000),
    lagProbesPerSecond: requireInteger('lagProbesPerSecond', merged.lagProbesPerSecond, 1, 100),
    throughput: requireOneOf('throughput', merged.throughput, THROUGHPUT_MODES),
    // GetRecords allows 5 calls per second per shard, shared with the application's own readers.
    throughputIntervalMs: requireInteger('throughputIntervalMs', merged.throughputIntervalMs, 1_000, 3_600_000),
    throughputWindowMs: requireInteger('throughputWindowMs', merged.throughputWindowMs, 10_000, 86_400_000),
    throughputBucketMs: requireInteger('throughputBucketMs', merged.throughputBucketMs, 1_000, 3_600_000),
    failoverTimeMs: requireInteger('failoverTimeMs', merged.failoverTimeMs, 100, 3_600_000),
    clock: requireClock('clock', merged.clock),
    logger: requireLogger('logger', merged.logger),
  };
  if (resolved.throughputWindowMs % resolved.throughputBucketMs !== 0 || resolved.throughputWindowMs / resolved.throughputBucketMs > 1_000) {
    throw new InvalidArgumentError('throughputWindowMs', `a multiple of throughputBucketMs (${resolved.throughputBucketMs}), at most 1000 of them`, resolved.throughputWindowMs);
  }
  if (!resolved.allowRemote && !isLoopbackHost(resolved.host)) {
    throw new InvalidArgumentError(
      'host',
      'a loopback address (127.0.0.1, ::1, localhost) unless allowRemote is set — the page has no login and shows the stream, the lease table and the worker names to anyone who reaches it',
      resolved.host,
    );
  }
  return Object.freeze(resolved);
}
