/**
 * Takeover: two workers in two node processes (test/WorkerProcess.ts) share a 4-shard stream
 * that a producer writes to all the time; once they hold 2 leases each, one is stopped — with
 * SIGKILL (no release: its leases must expire) or SIGTERM (`shutdown()`: checkpoint, release) —
 * and the clock runs until the other holds all 4 leases and has delivered a record from each
 * shard it took. Kinds alternate, a fresh application (lease table) and pair of processes each run.
 *
 * Times are the children's `Date.now()` as they report over IPC, against the parent's
 * `Date.now()` at the kill: one machine, one clock.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createKinesisClient, createStream, uniqueName, waitFor } from '@kinesis-toolkit/testing';
import { check, formatTable, quantile, seededRandom } from '../../../scripts/bench-harness';
import type { LocalStackProcess } from '../../../scripts/LocalStackProcess';
import { ContinuousProducer } from '../test/ContinuousProducer';
import { listShardRanges, partitionKeysIn } from '../test/partitionKeys';
import { WorkerProcess } from '../test/WorkerProcess';
import type { WorkerProcessOptions } from '../test/workerProcessProtocol';

const SHARDS = 4;
export const FAILOVER_TIME_MS = 3000;
/** The worker's default, failoverTimeMs / 3, which the child process (it sets no interval) runs with. */
export const LEASE_RENEWAL_INTERVAL_MS = Math.floor(FAILOVER_TIME_MS / 3);
/** After SIGKILL: the leases expire after failoverTimeMs, noticed at the next renewal round. */
export const KILL_TARGET_MS = FAILOVER_TIME_MS + LEASE_RENEWAL_INTERVAL_MS;
/** After SIGTERM: released leases are taken at the next round, well inside this. */
export const GRACEFUL_TARGET_MS = 2000;
const PHASE_TIMEOUT_MS = 30_000;

export type StopKind = 'kill -9' | 'SIGTERM';

/** One handover, in milliseconds after the signal. */
export interface TakeoverRun {
  readonly kind: StopKind;
  /** Until the survivor had taken every lease of the stopped worker. */
  readonly leasesHeldMs: number;
  /** Until it had also delivered a record from each of those shards. */
  readonly deliveredMs: number;
  /** SIGTERM: how long the stopped worker's `shutdown()` took. */
  readonly shutdownMs?: number;
}

export interface TakeoverResults {
  readonly runsPerKind: number;
  readonly runs: readonly TakeoverRun[];
}

async function until(description: string, workers: readonly WorkerProcess[], condition: () => boolean | Promise<boolean>): Promise<void> {
  try {
    await waitFor(
      async () => {
        const dead = workers.find((worker) => !worker.alive || worker.of('startFailed').length > 0);
        if (dead !== undefined) throw new Error(`${dead.workerId} stopped`);
        return condition();
      },
      { timeoutMs: PHASE_TIMEOUT_MS, intervalMs: 20, description },
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${workers.map((worker) => worker.describe()).join('\n')}`);
  }
}

/** When `worker` first delivered a record of `shardId` at or after `sinceMs`, if it has. */
function firstDelivery(worker: WorkerProcess, shardId: string, sinceMs: number): number | undefined {
  return worker.of('records').find((message) => message.shardId === shardId && message.at >= sinceMs)?.at;
}

/** When `worker` took the lease of `shardId` at or after `sinceMs`, if it has. */
function takenAt(worker: WorkerProcess, shardId: string, sinceMs: number): number | undefined {
  return worker.events('leaseTaken').find((event) => event.shardId === shardId && event.at >= sinceMs)?.at;
}

async function runOne(base: Omit<WorkerProcessOptions, 'workerId' | 'applicationName'>, kind: StopKind, index: number, random: () => number): Promise<TakeoverRun> {
  const applicationName = uniqueName('kcl-takeover');
  const stopped = new WorkerProcess({ ...base, applicationName, workerId: `stopped-${index}` });
  const survivor = new WorkerProcess({ ...base, applicationName, workerId: `survivor-${index}` });
  const both = [stopped, survivor];
  try {
    await until('both workers started', both, () => both.every((worker) => worker.of('started').length > 0));
    await until('2 leases each', both, async () => {
      const [mine, theirs] = await Promise.all(both.map((worker) => worker.heldShards()));
      return mine!.length === 2 && theirs!.length === 2 && new Set([...mine!, ...theirs!]).size === SHARDS;
    });
    const balancedAt = Date.now();
    const held = await Promise.all(both.map((worker) => worker.heldShards()));
    await until('records flowing on every shard', both, () => both.every((worker, i) => held[i]!.every((shardId) => firstDelivery(worker, shardId, balancedAt) !== undefined)));
    // Land anywhere in the renewal cycle, as a real failure would.
    await sleep(random() * LEASE_RENEWAL_INTERVAL_MS);
    const victimShards = await stopped.heldShards();
    check(victimShards.length === 2, `the worker to stop holds ${victimShards.join(', ')}, expected 2 shards`);

    const signalledAt = Date.now();
    stopped.kill(kind === 'kill -9' ? 'SIGKILL' : 'SIGTERM');
    await until(`${survivor.workerId} to take over after ${kind}`, [survivor], () =>
      victimShards.every((shardId) => takenAt(survivor, shardId, signalledAt) !== undefined && firstDelivery(survivor, shardId, signalledAt) !== undefined),
    );
    const leasesHeldAt = Math.max(...victimShards.map((shardId) => takenAt(survivor, shardId, signalledAt)!));
    const deliveredAt = Math.max(...victimShards.map((shardId) => firstDelivery(survivor, shardId, signalledAt)!));
    const survivorHolds = await survivor.heldShards();
    check(survivorHolds.length === SHARDS, `after the takeover ${survivor.workerId} holds ${survivorHolds.join(', ')}, expected all ${SHARDS}`);
    const exit = await stopped.exited;
    let shutdownMs: number | undefined;
    if (kind === 'SIGTERM') {
      check(exit.code === 0, `the SIGTERMed worker exited with ${exit.signal ?? exit.code}: ${stopped.describe()}`);
      shutdownMs = stopped.of('stopped')[0]?.shutdownMs;
    }
    return { kind, leasesHeldMs: leasesHeldAt - signalledAt, deliveredMs: deliveredAt - signalledAt, shutdownMs };
  } finally {
    for (const worker of both) worker.kill('SIGKILL');
    await Promise.all(both.map((worker) => worker.exited));
  }
}

export async function runTakeoverBench(stack: LocalStackProcess, runsPerKind: number): Promise<TakeoverResults> {
  const admin = createKinesisClient(stack.endpoint);
  const streamName = uniqueName('kcl-takeover');
  let producer: ContinuousProducer | undefined;
  try {
    await createStream(admin, streamName, SHARDS);
    const ranges = await listShardRanges(admin, streamName);
    // A record on every shard every 100 ms, so a taken shard has something to deliver at once.
    producer = new ContinuousProducer({
      kinesis: admin,
      streamName,
      partitionKeys: ranges.flatMap((range, i) => partitionKeysIn(range, 1, `shard${i}`)),
      recordsPerKey: 1,
      tickMs: 100,
    });
    producer.start();
    const base = {
      streamName,
      kinesisEndpoint: stack.endpoint,
      dynamodbEndpoint: stack.dynamodbEndpoint,
      failoverTimeMs: FAILOVER_TIME_MS,
      idleTimeBetweenReadsMs: 200,
      initialPosition: 'LATEST' as const,
    };
    const random = seededRandom(42);
    const runs: TakeoverRun[] = [];
    for (let i = 0; i < 2 * runsPerKind; i++) runs.push(await runOne(base, i % 2 === 0 ? 'kill -9' : 'SIGTERM', i, random));
    return { runsPerKind, runs };
  } finally {
    await producer?.stop().catch(() => undefined);
    admin.destroy();
  }
}

const ms = (value: number): string => Math.round(value).toString();

export function describeTakeover(results: TakeoverResults): string {
  const rows = (['kill -9', 'SIGTERM'] as const).map((kind) => {
    const runs = results.runs.filter((run) => run.kind === kind);
    const delivered = runs.map((run) => run.deliveredMs);
    const target = kind === 'kill -9' ? KILL_TARGET_MS : GRACEFUL_TARGET_MS;
    const median = quantile(delivered, 0.5);
    return [
      kind,
      ms(quantile(runs.map((run) => run.leasesHeldMs), 0.5)),
      ms(median),
      `${ms(Math.min(...delivered))}–${ms(Math.max(...delivered))}`,
      ms(target),
      median <= target ? 'PASS' : 'BELOW',
      kind === 'SIGTERM' ? ms(quantile(runs.map((run) => run.shutdownMs ?? NaN), 0.5)) : '—',
    ];
  });
  return [
    `2. Takeover: 2 worker processes, ${SHARDS} shards, failoverTimeMs ${FAILOVER_TIME_MS}, leaseRenewalIntervalMs ${LEASE_RENEWAL_INTERVAL_MS}, a record per shard every 100 ms;`,
    `   one worker stopped at a random point of the renewal cycle; medians of ${results.runsPerKind} runs per kind (alternating, fresh lease table and processes each run).`,
    `   "all 4 leases": signal → survivor took the last lease; "+ record from each": → survivor delivered a record from every shard it took.`,
    formatTable(['stop', 'all 4 leases ms', '+ record from each ms', 'min–max', 'target ms', 'verdict', 'shutdown() ms'], rows),
    `   targets: kill -9 ≤ failoverTimeMs + leaseRenewalIntervalMs = ${KILL_TARGET_MS} ms; SIGTERM (shutdown(): checkpoint, release) ≤ ${GRACEFUL_TARGET_MS} ms.`,
    `   each run (ms, + record from each): ${results.runs.map((run) => `${run.kind === 'kill -9' ? 'K' : 'T'} ${ms(run.deliveredMs)}`).join(', ')}`,
  ].join('\n');
}
