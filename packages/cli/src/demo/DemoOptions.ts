/** The disruptions the demo causes while it runs. */
export type ChaosStep = 'split' | 'merge' | 'kill';

/**
 * Options of a demo run; every field is optional. Without `streamName` the demo starts its own
 * local stack (kinesalite, dynalite, s3rver) and PostgreSQL; with it, it runs against the AWS
 * (or endpoints) that the CLI's AWS settings point at.
 */
export interface DemoOptions {
  /** User records to produce. @defaultValue 200000 */
  readonly records?: number;
  /** Shards of the stream the demo creates (ignored for an existing stream). @defaultValue 4 */
  readonly shards?: number;
  /** Worker processes. @defaultValue 2 */
  readonly workers?: number;
  /** Stop producing after this long even if `records` are not all produced; 0 = no cap. @defaultValue 0 */
  readonly durationMs?: number;
  /** Producer pace, user records per second; 0 = as fast as the stream takes them. @defaultValue 5000 */
  readonly ratePerSecond?: number;
  /** Synthetic sources (1–8). @defaultValue 5 */
  readonly sources?: number;
  /** Partition keys per source (Zipf-skewed). @defaultValue 60 */
  readonly keysPerSource?: number;
  /** Seed of the key sequence. @defaultValue 1 */
  readonly seed?: number;
  /** What to disrupt while producing. @defaultValue `['split', 'merge', 'kill']` (`['kill']` against an existing stream) */
  readonly chaos?: readonly ChaosStep[];
  /** The workers' lease failover time: a killed worker's leases are taken after this. @defaultValue 3000 */
  readonly failoverTimeMs?: number;
  /** How long to wait, after producing, for every record to reach the sinks. @defaultValue 60000 */
  readonly drainTimeoutMs?: number;
  /** Pipeline buffer: flush at this many records. @defaultValue 2000 */
  readonly bufferMaxRecords?: number;
  /** Pipeline buffer: flush when the oldest record is this old. @defaultValue 1000 */
  readonly bufferMaxAgeMs?: number;
  /** An existing stream (or one to create) on AWS: no local stack. @defaultValue none (local stack) */
  readonly streamName?: string;
  /** S3 bucket for the S3 sink (AWS mode). @defaultValue none: no S3 sink in AWS mode */
  readonly bucket?: string;
  /** PostgreSQL connection string for the PostgreSQL sink (AWS mode). @defaultValue none: no PostgreSQL sink in AWS mode */
  readonly postgresUrl?: string;
}

/** Every default of {@link DemoOptions}, in one place. */
export const DEMO_DEFAULTS = Object.freeze({
  records: 200_000,
  shards: 4,
  workers: 2,
  durationMs: 0,
  ratePerSecond: 5000,
  sources: 5,
  keysPerSource: 60,
  seed: 1,
  chaos: Object.freeze(['split', 'merge', 'kill']) as readonly ChaosStep[],
  failoverTimeMs: 3000,
  drainTimeoutMs: 60_000,
  bufferMaxRecords: 2000,
  bufferMaxAgeMs: 1000,
});

/** {@link DemoOptions} with every default applied, validated. */
export interface ResolvedDemoOptions extends Readonly<Required<Omit<DemoOptions, 'streamName' | 'bucket' | 'postgresUrl'>>> {
  readonly streamName: string | undefined;
  readonly bucket: string | undefined;
  readonly postgresUrl: string | undefined;
  /** Whether the demo starts its own local stack. */
  readonly local: boolean;
}

const CHAOS_STEPS: readonly ChaosStep[] = ['split', 'merge', 'kill'];

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function integer(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer from ${min} to ${max}, got ${show(value)}`);
  }
}

/**
 * Applies {@link DEMO_DEFAULTS} and validates.
 * @throws TypeError naming the option, what was expected and what came.
 */
export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as DemoOptions;
  const local = given.streamName === undefined;
  const resolved = {
    ...DEMO_DEFAULTS,
    chaos: local ? DEMO_DEFAULTS.chaos : (['kill'] as readonly ChaosStep[]),
    ...given,
    streamName: given.streamName,
    bucket: given.bucket,
    postgresUrl: given.postgresUrl,
    local,
  };
  integer('records', resolved.records, 1, 100_000_000);
  integer('shards', resolved.shards, 1, 64);
  integer('workers', resolved.workers, 1, 16);
  integer('durationMs', resolved.durationMs, 0, 86_400_000);
  integer('ratePerSecond', resolved.ratePerSecond, 0, 10_000_000);
  integer('sources', resolved.sources, 1, 8);
  integer('keysPerSource', resolved.keysPerSource, 1, 100_000);
  integer('seed', resolved.seed, 0, 2 ** 32 - 1);
  integer('failoverTimeMs', resolved.failoverTimeMs, 500, 600_000);
  integer('drainTimeoutMs', resolved.drainTimeoutMs, 1000, 3_600_000);
  integer('bufferMaxRecords', resolved.bufferMaxRecords, 1, 100_000);
  integer('bufferMaxAgeMs', resolved.bufferMaxAgeMs, 100, 600_000);
  if (!Array.isArray(resolved.chaos) || resolved.chaos.some((step) => !CHAOS_STEPS.includes(step))) {
    throw new TypeError(`chaos: expected a list of ${CHAOS_STEPS.join(', ')} (or none), got ${show(resolved.chaos)}`);
  }
  if (resolved.chaos.includes('kill') && resolved.workers < 2) {
    throw new TypeError(`chaos: 'kill' needs at least 2 workers (one takes over from the other), got workers = ${resolved.workers}`);
  }
  for (const name of ['streamName', 'bucket', 'postgresUrl'] as const) {
    const value = resolved[name];
    if (value !== undefined && (typeof value !== 'string' || value === '')) throw new TypeError(`${name}: expected a non-empty string, got ${show(value)}`);
  }
  if (!local && resolved.bucket === undefined && resolved.postgresUrl === undefined) {
    throw new TypeError('bucket / postgresUrl: against an existing stream the demo needs at least one sink, got neither');
  }
  if (local && (resolved.bucket !== undefined || resolved.postgresUrl !== undefined)) {
    throw new TypeError('bucket / postgresUrl: only with streamName (AWS mode); the local demo makes its own bucket and database');
  }
  return Object.freeze({ ...resolved, chaos: Object.freeze([...new Set(resolved.chaos)]) }) as ResolvedDemoOptions;
}
