import type { Clock } from '@kinesis-toolkit/core';
import type { ThroughputCoverage, ThroughputObservation } from './ThroughputSource';

/** Traffic of one shard in one bucket of time. */
export interface ThroughputBucket {
  readonly startMs: number;
  readonly records: number;
  readonly userRecords: number;
  readonly bytes: number;
}

/** Per-second rates over a stretch of time. */
export interface ThroughputRates {
  readonly recordsPerSecond: number;
  readonly userRecordsPerSecond: number;
  readonly bytesPerSecond: number;
  /** How much time the rates cover (up to a minute; less right after the start). */
  readonly overMs: number;
}

/** One shard's throughput as the page shows it. */
export interface ShardThroughput {
  /** Every complete bucket inside the window and the covered time, oldest first, empty ones as zeros. */
  readonly buckets: readonly ThroughputBucket[];
  /** Rates over the last minute of complete buckets; undefined before the first one completes. */
  readonly lastMinute: ThroughputRates | undefined;
}

interface Counts {
  records: number;
  userRecords: number;
  bytes: number;
}

interface ShardHistory {
  readonly buckets: Map<number, Counts>;
  fromMs: number;
  untilMs: number;
}

const MINUTE_MS = 60_000;

/**
 * Per-shard traffic in fixed buckets of time (`bucketMs`) over a sliding window (`windowMs`),
 * from the observations of a throughput source. A bucket is shown only once the source's coverage
 * spans all of it, so a bucket still being filled (or one from before the source started) never
 * shows as a dip.
 */
export class ThroughputWindows {
  readonly #windowMs: number;
  readonly #bucketMs: number;
  readonly #clock: Clock;
  readonly #shards = new Map<string, ShardHistory>();

  constructor(options: { readonly windowMs: number; readonly bucketMs: number; readonly clock: Clock }) {
    this.#windowMs = options.windowMs;
    this.#bucketMs = options.bucketMs;
    this.#clock = options.clock;
  }

  /** Adds what a source saw. Observations older than the window are dropped. */
  record(observations: readonly ThroughputObservation[], coverage: readonly ThroughputCoverage[]): void {
    for (const span of coverage) {
      const history = this.#history(span.shardId);
      history.fromMs = Math.min(history.fromMs, span.fromMs);
      history.untilMs = Math.max(history.untilMs, span.untilMs);
    }
    const oldest = this.#clock.now() - this.#windowMs;
    for (const observation of observations) {
      if (observation.atMs < oldest) continue;
      const history = this.#history(observation.shardId);
      const index = Math.floor(observation.atMs / this.#bucketMs);
      const counts = history.buckets.get(index) ?? { records: 0, userRecords: 0, bytes: 0 };
      counts.records += observation.records;
      counts.userRecords += observation.userRecords;
      counts.bytes += observation.bytes;
      history.buckets.set(index, counts);
    }
    this.#prune();
  }

  /** The shard's buckets and last-minute rates; undefined for a shard never covered. */
  throughputOf(shardId: string): ShardThroughput | undefined {
    const history = this.#shards.get(shardId);
    if (history === undefined || history.untilMs <= history.fromMs) return undefined;
    const windowStart = this.#clock.now() - this.#windowMs;
    const first = Math.ceil(Math.max(history.fromMs, windowStart) / this.#bucketMs);
    const end = Math.floor(history.untilMs / this.#bucketMs); // buckets before `end` are complete
    const buckets: ThroughputBucket[] = [];
    for (let index = first; index < end; index += 1) {
      const counts = history.buckets.get(index);
      buckets.push({ startMs: index * this.#bucketMs, records: counts?.records ?? 0, userRecords: counts?.userRecords ?? 0, bytes: counts?.bytes ?? 0 });
    }
    return { buckets, lastMinute: ratesOf(buckets.slice(-Math.max(1, Math.floor(MINUTE_MS / this.#bucketMs))), this.#bucketMs) };
  }

  /** Drops the history of shards no longer listed (past retention). */
  retain(shardIds: ReadonlySet<string>): void {
    for (const shardId of this.#shards.keys()) if (!shardIds.has(shardId)) this.#shards.delete(shardId);
  }

  #history(shardId: string): ShardHistory {
    let history = this.#shards.get(shardId);
    if (history === undefined) {
      // Nothing is covered until the source says so.
      history = { buckets: new Map(), fromMs: Infinity, untilMs: -Infinity };
      this.#shards.set(shardId, history);
    }
    return history;
  }

  #prune(): void {
    const oldestIndex = Math.floor((this.#clock.now() - this.#windowMs) / this.#bucketMs);
    for (const history of this.#shards.values()) for (const index of history.buckets.keys()) if (index < oldestIndex) history.buckets.delete(index);
  }
}

function ratesOf(buckets: readonly ThroughputBucket[], bucketMs: number): ThroughputRates | undefined {
  if (buckets.length === 0) return undefined;
  const overMs = buckets.length * bucketMs;
  const sum = (pick: (bucket: ThroughputBucket) => number) => (buckets.reduce((total, bucket) => total + pick(bucket), 0) * 1000) / overMs;
  return { recordsPerSecond: sum((b) => b.records), userRecordsPerSecond: sum((b) => b.userRecords), bytesPerSecond: sum((b) => b.bytes), overMs };
}
