import { format, parse } from 'node:path';
import type { MetricsSettings, MetricsTarget } from '../metrics/cliMetrics';
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

/**
 * Where a worker process publishes its metrics (the KCL's and the connector's), from the demo's
 * `--metrics` (EMF paths already absolute): `emf:PATH` → a file of its own, the worker id before
 * the extension (`m.emf` → `m.worker-1.emf`); `emf:-` → its stdout, which the parent copies line by
 * line to its own; `prometheus:PORT` → PORT + `ordinal` (the n-th worker started, a restarted one
 * too: the producer keeps PORT); `cloudwatch` → CloudWatch as it is (the KCL's metrics carry the
 * `WorkerIdentifier` dimension). Undefined without `--metrics`.
 */
export function workerMetricsSettings(settings: MetricsSettings, workerId: string, ordinal: number): MetricsSettings | undefined {
  if (settings.targets.length === 0) return undefined;
  const targets = settings.targets.map((target): MetricsTarget => {
    if (target.kind === 'emf' && target.path !== '-') {
      const { dir, name, ext } = parse(target.path);
      return { kind: 'emf', path: format({ dir, name: `${name}.${workerId}`, ext }) };
    }
    if (target.kind === 'prometheus') return { ...target, port: target.port + ordinal };
    return target;
  });
  return { ...settings, targets };
}
