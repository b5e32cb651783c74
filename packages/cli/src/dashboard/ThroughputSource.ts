import type { StreamShard } from './listStreamShards';

/**
 * Traffic of one shard at one moment, as a {@link ThroughputSource} saw it: one Kinesis record
 * read from the shard's tip, or one published metric datum.
 */
export interface ThroughputObservation {
  readonly shardId: string;
  /** When it happened, epoch milliseconds (a record's ApproximateArrivalTimestamp, a metric's Timestamp). */
  readonly atMs: number;
  /** Kinesis records (what the shard limit of 1,000/s counts). */
  readonly records: number;
  /** User records in them (KPL aggregates de-aggregated; equal to `records` for plain records). */
  readonly userRecords: number;
  /** Data bytes (what the shard limit of 1 MiB/s counts, less the partition keys). */
  readonly bytes: number;
}

/** For which stretch of time a shard's counts are complete: outside it the page shows no bars. */
export interface ThroughputCoverage {
  readonly shardId: string;
  readonly fromMs: number;
  readonly untilMs: number;
}

/** What one {@link ThroughputSource.sample} call brought. */
export interface ThroughputSample {
  readonly observations: readonly ThroughputObservation[];
  readonly coverage: readonly ThroughputCoverage[];
  /** What went wrong, one line each (shown on the page; the next sample tries again). */
  readonly problems: readonly string[];
}

/**
 * Where per-shard throughput comes from: the seam between the dashboard and whatever counts
 * traffic. Today: `StreamTailSampler` (reads each open shard's tip itself: incoming traffic).
 * Once the metrics layer publishes the KCL's metrics, a source reading them plugs in here —
 * `RecordsProcessed` and `DataBytesProcessed` per `ShardId` (operation `ProcessTask`) from EMF
 * lines or CloudWatch `GetMetricData` — with `measures: 'processed'`, and needs no read
 * throughput of the stream.
 */
export interface ThroughputSource {
  /** `incoming`: what producers wrote; `processed`: what the application's record processors got. */
  readonly measures: 'incoming' | 'processed';
  /** One line for the page: what is counted and how it is read. */
  readonly description: string;
  /**
   * Reads what happened since the previous call, for these shards (the stream's listing, open and
   * closed). Never rejects for an AWS failure: those come back as `problems`.
   */
  sample(shards: readonly StreamShard[], signal: AbortSignal): Promise<ThroughputSample>;
}
