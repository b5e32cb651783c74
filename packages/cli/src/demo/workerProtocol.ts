// What the demo's worker processes (workerMain.ts) and the parent that forks them (WorkerFleet.ts)
// say to each other over the IPC channel. Types only.
import type { AwsSettings } from '../awsClients';
import type { MetricsSettings } from '../metrics/cliMetrics';

/** How a worker process runs; passed as JSON in `argv[2]`. */
export interface WorkerChildConfig {
  readonly workerId: string;
  readonly streamName: string;
  /** The KCL application: the lease table's name. */
  readonly applicationName: string;
  /** Only records of this run are written to the sinks. */
  readonly runId: string;
  readonly aws: AwsSettings;
  /** Where shards without a checkpoint start: the stream's start, or a time (epoch ms) just before the run. */
  readonly initialPosition: 'TRIM_HORIZON' | { readonly timestampMs: number };
  readonly failoverTimeMs: number;
  readonly idleTimeBetweenReadsMs: number;
  readonly shardSyncIntervalMs: number;
  readonly parentShardPollIntervalMs: number;
  readonly bufferMaxRecords: number;
  readonly bufferMaxAgeMs: number;
  /** The S3 sink, if any: objects under `prefix`, dead letters under `errorPrefix`. */
  readonly s3?: { readonly bucket: string; readonly prefix: string; readonly errorPrefix: string };
  /** The PostgreSQL sink, if any. */
  readonly postgres?: { readonly connectionString: string; readonly table: string };
  /** Where the worker's KCL and connector metrics go (see `workerMetricsSettings`). @defaultValue none */
  readonly metrics?: MetricsSettings;
  /** The worker's log (to its stderr, which the parent copies to its own). @defaultValue nothing logged */
  readonly log?: { readonly level: 'debug' | 'info' | 'warn' | 'error'; readonly format: 'json' | 'pretty' };
}

/** Worker and pipeline events a child forwards, by name. */
export type ForwardedEvent =
  | 'leaseTaken'
  | 'leaseLost'
  | 'shardEnded'
  | 'processorError'
  | 'shardError'
  | 'workerError'
  | 'emitFailed'
  | 'retriesExhausted'
  | 'deadLettered'
  | 'failureSinkFailed'
  | 'transformFailed'
  | 'checkpointFailed';

/** Messages from a worker process. */
export type WorkerMessage =
  | { readonly type: 'started'; readonly pid: number; /** Where its Prometheus exporters listen (`--metrics prometheus:PORT`). */ readonly metricsUrls?: readonly string[] }
  | { readonly type: 'startFailed'; readonly error: string }
  /** Ids (`key#n`) of records the pipeline has written to every sink. */
  | { readonly type: 'delivered'; readonly ids: readonly string[] }
  /** `detail`: the previous owner (leaseTaken), why (leaseLost) or what went wrong; `how`: how a lease was taken (unowned, expired, handedOver, …). */
  | { readonly type: 'event'; readonly name: ForwardedEvent; readonly shardId?: string; readonly detail?: string; readonly how?: string }
  /** The shards whose leases it holds; sent every second. */
  | { readonly type: 'held'; readonly shardIds: readonly string[] }
  | { readonly type: 'stopped'; readonly shutdownMs: number };

/** Messages to a worker process. */
export type WorkerCommand = { readonly type: 'shutdown' };
