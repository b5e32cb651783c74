/**
 * Lease table traffic at steady state: one worker holding every lease of an idle 4-shard stream,
 * failoverTimeMs 10000 (renewal interval 3333, the defaults), its DynamoDB requests counted by
 * kind at the SDK client over a window, per lease per minute — beside what the Java KCL 2.x makes
 * by its own formulas. Also: how long `start()` takes on a fresh lease table, and why.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DeleteStreamCommand } from '@aws-sdk/client-kinesis';
import { Worker, WORKER_DEFAULTS, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { createDynamoDBClient, createKinesisClient, createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { formatTable, quantile } from '../../../scripts/bench-harness';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { RequestCounter, type LeaseRequestKind } from './RequestCounter';

const SHARDS = 4;
const FAILOVER_TIME_MS = WORKER_DEFAULTS.failoverTimeMs;
/** The Java KCL's `epsilonMillis`, by which it shortens the renewal and lengthens the taker interval. */
const JAVA_EPSILON_MS = 25;
/** Java KCL 2.x: LeaseRenewer every failover / 3 − epsilon; LeaseTaker (a full Scan) every (failover + epsilon) × 2. */
const JAVA_RENEWALS_PER_LEASE_MINUTE = 60_000 / (FAILOVER_TIME_MS / 3 - JAVA_EPSILON_MS);
const JAVA_SCANS_PER_WORKER_MINUTE = 60_000 / ((FAILOVER_TIME_MS + JAVA_EPSILON_MS) * 2);
const START_SAMPLES = 5;

/** A processor that checkpoints every batch (an idle stream has none). */
const noOpProcessor = (): RecordProcessor => ({
  async processRecords({ checkpointer }) {
    await checkpointer.checkpoint();
  },
  async shardEnded({ checkpointer }) {
    await checkpointer.checkpoint();
  },
});

export interface LeaseTrafficResults {
  readonly windowMs: number;
  readonly leases: number;
  readonly renewalIntervalMs: number;
  readonly dynamo: ReadonlyMap<LeaseRequestKind, number>;
  readonly kinesis: ReadonlyMap<LeaseRequestKind, number>;
  /** `start()` on fresh lease tables: how long, and how many DescribeTable calls it made. */
  readonly starts: readonly { readonly ms: number; readonly describeTableCalls: number }[];
}

function newWorker(stack: LocalStackProcess, streamName: string) {
  const kinesis = createKinesisClient(stack.endpoint);
  const dynamo = createDynamoDBClient(stack.dynamodbEndpoint);
  const dynamoCounter = RequestCounter.attach(dynamo);
  const kinesisCounter = RequestCounter.attach(kinesis);
  const worker = new Worker({
    streamName,
    applicationName: uniqueName('kcl-leases'),
    kinesisClient: kinesis,
    dynamoClient: dynamo,
    failoverTimeMs: FAILOVER_TIME_MS,
    processorFactory: noOpProcessor,
  });
  const close = async () => {
    await worker.shutdown();
    kinesis.destroy();
    dynamo.destroy();
  };
  return { worker, dynamoCounter, kinesisCounter, close };
}

export async function runLeaseTrafficBench(stack: LocalStackProcess, windowSeconds: number): Promise<LeaseTrafficResults> {
  const admin = createKinesisClient(stack.endpoint);
  const streamName = uniqueName('kcl-idle');
  try {
    await createStream(admin, streamName, SHARDS);

    const starts: { ms: number; describeTableCalls: number }[] = [];
    for (let i = 0; i < START_SAMPLES; i++) {
      const { worker, dynamoCounter, close } = newWorker(stack, streamName);
      try {
        const startedAt = performance.now();
        await worker.start();
        starts.push({ ms: performance.now() - startedAt, describeTableCalls: dynamoCounter.snapshot().get('DescribeTable') ?? 0 });
      } finally {
        await close();
      }
    }

    const { worker, dynamoCounter, kinesisCounter, close } = newWorker(stack, streamName);
    try {
      await worker.start();
      await waitFor(() => worker.heldShards.length === SHARDS, { timeoutMs: 30_000, description: `the worker to hold all ${SHARDS} leases` });
      // Past the round that took the leases and the consumers' first reads.
      await sleep(1000);
      const dynamoBefore = dynamoCounter.snapshot();
      const kinesisBefore = kinesisCounter.snapshot();
      const openedAt = performance.now();
      await sleep(windowSeconds * 1000);
      const windowMs = performance.now() - openedAt;
      return {
        windowMs,
        leases: worker.heldShards.length,
        renewalIntervalMs: worker.config.leaseRenewalIntervalMs,
        dynamo: dynamoCounter.since(dynamoBefore),
        kinesis: kinesisCounter.since(kinesisBefore),
        starts,
      };
    } finally {
      await close();
    }
  } finally {
    await admin.send(new DeleteStreamCommand({ StreamName: streamName })).catch(() => undefined);
    admin.destroy();
  }
}

export function describeLeaseTraffic(results: LeaseTrafficResults): string {
  const minutes = results.windowMs / 60_000;
  const perMinute = (count: number) => (count / minutes).toFixed(1);
  const perLeaseMinute = (count: number) => (count / minutes / results.leases).toFixed(2);
  const java: Record<string, string> = {
    renewal: JAVA_RENEWALS_PER_LEASE_MINUTE.toFixed(2),
    Scan: `${(JAVA_SCANS_PER_WORKER_MINUTE / results.leases).toFixed(2)} (${JAVA_SCANS_PER_WORKER_MINUTE.toFixed(2)}/worker)`,
    checkpoint: '0 (idle)',
  };
  const kinds = [...new Set(['renewal', 'Scan', 'checkpoint', ...results.dynamo.keys()])];
  const count = (kind: string) => results.dynamo.get(kind) ?? 0;
  const all = [...results.dynamo.values()].reduce((sum, n) => sum + n, 0);
  const dynamoRows = [
    ...kinds.map((kind) => [kind, String(count(kind)), perMinute(count(kind)), perLeaseMinute(count(kind)), java[kind] ?? '—']),
    ['all', String(all), perMinute(all), perLeaseMinute(all), (JAVA_RENEWALS_PER_LEASE_MINUTE + JAVA_SCANS_PER_WORKER_MINUTE / results.leases).toFixed(2)],
  ];
  const kinesisRows = [...results.kinesis.entries()].map(([kind, n]) => [kind, String(n), perMinute(n), (n / minutes / results.leases).toFixed(1)]);
  const startMs = results.starts.map((start) => start.ms);
  const slowStarts = results.starts.filter((start) => start.describeTableCalls > 1);
  return [
    `3. Lease table traffic, steady state: 1 worker, ${results.leases} leases, idle stream, failoverTimeMs ${FAILOVER_TIME_MS}, leaseRenewalIntervalMs ${results.renewalIntervalMs}, idleTimeBetweenReadsMs ${WORKER_DEFAULTS.idleTimeBetweenReadsMs};`,
    `   requests counted at the SDK client over ${(results.windowMs / 1000).toFixed(1)} s (renewal/take/release/checkpoint told apart by what the UpdateItem writes).`,
    formatTable(['DynamoDB request', 'count', 'per worker/min', 'per lease/min', 'Java KCL 2.x per lease/min'], dynamoRows),
    `   Java KCL 2.x by its formulas: renew every failover/3 − ${JAVA_EPSILON_MS} ms per lease; list (Scan) the table every (failover + ${JAVA_EPSILON_MS}) × 2 ms per worker.`,
    `   ours: every leaseRenewalIntervalMs one loop renews each lease and another Scans the whole table (for expiry and balancing), so Scans grow with workers per renewal interval.`,
    formatTable(['Kinesis request', 'count', 'per worker/min', 'per shard/min'], kinesisRows),
    `   start() on a fresh lease table (${results.starts.length} workers): median ${Math.round(quantile(startMs, 0.5))} ms, max ${Math.round(Math.max(...startMs))} ms; ` +
      `${slowStarts.length} of ${results.starts.length} needed a second DescribeTable (table still CREATING), ` +
      `median ${slowStarts.length > 0 ? Math.round(quantile(slowStarts.map((start) => start.ms), 0.5)) : '—'} ms for those.`,
  ].join('\n');
}
