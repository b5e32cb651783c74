import type { DemoEnvironment } from './DemoEnvironment';
import type { ResolvedDemoOptions } from './DemoOptions';
import type { WorkerChildConfig } from './workerProtocol';

/** How often the demo's KCL applications sync shards into leases: often on the local stack, where reshards are quick. */
export function shardSyncIntervalMs(options: ResolvedDemoOptions): number {
  return options.local ? 2000 : 10_000;
}

/**
 * A worker process's configuration. A fresh local stream is read from its start; a shared stream
 * from `startAtMs` (a minute before the run began) — the same for every worker of the run.
 */
export function childConfig(options: ResolvedDemoOptions, environment: DemoEnvironment, runId: string, workerId: string, startAtMs: number): WorkerChildConfig {
  return {
    workerId,
    streamName: environment.streamName,
    applicationName: environment.applicationName,
    runId,
    aws: environment.aws,
    initialPosition: options.local ? 'TRIM_HORIZON' : { timestampMs: startAtMs },
    failoverTimeMs: options.failoverTimeMs,
    idleTimeBetweenReadsMs: 250,
    shardSyncIntervalMs: shardSyncIntervalMs(options),
    parentShardPollIntervalMs: 500,
    bufferMaxRecords: options.bufferMaxRecords,
    bufferMaxAgeMs: options.bufferMaxAgeMs,
    ...(environment.s3 !== undefined ? { s3: { bucket: environment.s3.bucket, prefix: environment.s3.prefix, errorPrefix: environment.s3.errorPrefix } } : {}),
    ...(environment.postgres !== undefined ? { postgres: environment.postgres } : {}),
  };
}
