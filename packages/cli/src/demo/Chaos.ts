import type { LeaseStore } from '@kinesis-toolkit/kcl';
import { waitFor } from '@kinesis-toolkit/testing';
import { SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import type { ChaosStep } from './DemoOptions';
import type { Resharder } from './Resharder';
import { leasesHeldBy, watchTakeover, type Takeover } from './TakeoverWatch';
import type { WorkerProcess } from './WorkerProcess';

/** What the chaos did, and what went wrong doing it. */
export interface ChaosReport {
  readonly reshards: string[];
  takeover: Takeover | undefined;
  readonly problems: string[];
}

/** What {@link runChaos} works with. */
export interface ChaosContext {
  readonly steps: readonly ChaosStep[];
  /** How far producing is, from 0 to 1 (1 once it has stopped). */
  readonly progress: () => number;
  readonly resharder: Resharder;
  readonly leases: LeaseStore;
  /** The live workers now. */
  readonly workers: () => readonly WorkerProcess[];
  /** Starts a replacement for a killed worker. */
  readonly restart: (killed: WorkerProcess) => Promise<WorkerProcess>;
  readonly failoverTimeMs: number;
  readonly log: (line: string) => void;
  readonly signal: AbortSignal;
}

/** When each step happens, as a share of the records produced. */
export const CHAOS_SCHEDULE: Readonly<Record<ChaosStep, number>> = Object.freeze({ split: 0.15, merge: 0.35, kill: 0.5 });

const short = (shardId: string) => shardId.replace(/^shardId-0*(?=\d)/, 'shard ');

/**
 * Disrupts the run while it produces: splits a shard, merges two (after the split's children
 * are ACTIVE), then `kill -9`s the worker holding the most leases, measures how long the lease
 * table takes to show all of them held by live workers (they expire failoverTimeMs after the
 * victim's last renewal, so this can be shorter than failoverTimeMs), and starts the killed
 * worker again.
 * A failed step is reported (and fails the run) but does not stop the others.
 */
export async function runChaos(context: ChaosContext): Promise<ChaosReport> {
  const report: ChaosReport = { reshards: [], takeover: undefined, problems: [] };
  const reached = (share: number) =>
    waitFor(() => context.progress() >= share, { timeoutMs: 24 * 3_600_000, intervalMs: 50, description: `${share * 100}% produced`, signal: context.signal });
  let splitChildren: string[] = [];

  if (context.steps.includes('split')) {
    await reached(CHAOS_SCHEDULE.split);
    try {
      const { parent, children } = await context.resharder.split();
      splitChildren = children;
      report.reshards.push(`split ${parent} → ${children.join(', ')}`);
      context.log(`reshard: split ${short(parent)} into ${children.map(short).join(' and ')}`);
    } catch (error) {
      if (context.signal.aborted) throw error;
      report.problems.push(`split failed: ${String(error)}`);
    }
  }

  if (context.steps.includes('merge')) {
    await reached(CHAOS_SCHEDULE.merge);
    try {
      const { parents, child } = await context.resharder.merge(splitChildren);
      report.reshards.push(`merge ${parents.join(' + ')} → ${child}`);
      context.log(`reshard: merged ${parents.map(short).join(' and ')} into ${short(child)}`);
    } catch (error) {
      if (context.signal.aborted) throw error;
      report.problems.push(`merge failed: ${String(error)}`);
    }
  }

  if (context.steps.includes('kill')) {
    await reached(CHAOS_SCHEDULE.kill);
    try {
      report.takeover = await killAndRestart(context);
    } catch (error) {
      if (context.signal.aborted) throw error;
      report.problems.push(`kill -9 and takeover failed: ${String(error)}`);
    }
  }
  return report;
}

async function killAndRestart(context: ChaosContext): Promise<Takeover | undefined> {
  // The victim: the live worker holding the most unfinished leases (by the lease table).
  const candidates = await Promise.all(context.workers().map(async (worker) => ({ worker, leases: await leasesHeldBy(context.leases, worker.workerId) })));
  const victim = candidates.sort((a, b) => b.leases.length - a.leases.length)[0];
  if (victim === undefined) throw new Error('no live worker to kill');
  victim.worker.kill();
  const killedAt = SYSTEM_CLOCK.now();
  context.log(`kill -9 ${victim.worker.workerId} (pid ${victim.worker.pid}), holding ${victim.leases.length > 0 ? victim.leases.map(short).join(', ') : 'no leases'}`);
  await victim.worker.exited;
  let takeover: Takeover | undefined;
  if (victim.leases.length > 0) {
    takeover = await watchTakeover({
      store: context.leases,
      victim: victim.worker.workerId,
      leases: victim.leases,
      killedAt,
      // The leases expire after failoverTimeMs; a live worker's next renewal round takes them.
      timeoutMs: 3 * context.failoverTimeMs + 30_000,
      signal: context.signal,
    });
    const owners = [...new Set(Object.values(takeover.newOwners))];
    context.log(`takeover: ${owners.join(', ') || 'nobody (the shards finished)'} took ${victim.leases.map(short).join(', ')} after ${(takeover.takeoverMs / 1000).toFixed(2)} s`);
  }
  const restarted = await context.restart(victim.worker);
  context.log(`restarted ${victim.worker.workerId} as ${restarted.workerId} (pid ${restarted.pid})`);
  return takeover;
}
