import type { Clock } from '@kinesis-toolkit/core';
import { actualOwnerOf, type Lease } from '@kinesis-toolkit/kcl';

/**
 * - `active`: a counter of one of its leases moved within the failover time (it renews, takes or
 *   checkpoints);
 * - `silent`: none moved for the failover time — to the other workers its leases have expired;
 * - `watching`: seen for less than the failover time, no counter moved yet (too early to say);
 * - `gone`: holds no lease any more (shown until it leaves the history window).
 */
export type WorkerState = 'active' | 'silent' | 'watching' | 'gone';

/** One worker of the application, as the lease table shows it. */
export interface WorkerView {
  readonly workerId: string;
  /** The leases it holds now, in shard order. */
  readonly leaseKeys: readonly string[];
  readonly state: WorkerState;
  /** When a counter of one of its leases last moved (clock ms); undefined if not seen to move. */
  readonly lastActivityMs: number | undefined;
  /** When the dashboard first saw it own a lease. */
  readonly firstSeenMs: number;
}

interface WorkerRecord {
  firstSeenMs: number;
  lastActivityMs: number | undefined;
  lastHeldMs: number;
  leaseKeys: string[];
}

/**
 * The workers of an application, from the lease table alone: a worker is the owner named in
 * leases, and it is alive as far as anyone can tell when the counters of its leases move — the
 * rule the KCL's own lease taker uses (a lease whose counter has not moved for the failover time,
 * by the observer's clock, is expired). The lease table has no worker list: a worker that holds
 * nothing is invisible, so one that lost all its leases is shown as `gone` for `forgetAfterMs`.
 */
export class WorkerTracker {
  readonly #failoverTimeMs: number;
  readonly #forgetAfterMs: number;
  readonly #clock: Clock;
  readonly #workers = new Map<string, WorkerRecord>();
  /** The counter and owner of each lease at the previous observation. */
  readonly #seen = new Map<string, { counter: number; owner: string | undefined }>();

  constructor(options: { readonly failoverTimeMs: number; readonly forgetAfterMs: number; readonly clock: Clock }) {
    this.#failoverTimeMs = options.failoverTimeMs;
    this.#forgetAfterMs = options.forgetAfterMs;
    this.#clock = options.clock;
  }

  /** Takes in one read of the lease table. */
  observe(leases: readonly Lease[]): void {
    const now = this.#clock.now();
    const held = new Map<string, string[]>();
    for (const lease of leases) {
      const before = this.#seen.get(lease.leaseKey);
      // During a graceful handoff the worker still holding the lease is its checkpointOwner.
      const owner = actualOwnerOf(lease);
      this.#seen.set(lease.leaseKey, { counter: lease.leaseCounter, owner });
      if (owner === undefined) continue;
      held.set(owner, [...(held.get(owner) ?? []), lease.leaseKey]);
      const worker = this.#worker(owner, now);
      // The first sight of a lease says nothing about when its counter last moved.
      if (before !== undefined && (before.counter !== lease.leaseCounter || before.owner !== owner)) worker.lastActivityMs = now;
    }
    const keys = new Set(leases.map((lease) => lease.leaseKey));
    for (const key of this.#seen.keys()) if (!keys.has(key)) this.#seen.delete(key);
    for (const [workerId, worker] of this.#workers) {
      worker.leaseKeys = (held.get(workerId) ?? []).sort();
      if (worker.leaseKeys.length > 0) worker.lastHeldMs = now;
      else if (now - worker.lastHeldMs >= this.#forgetAfterMs) this.#workers.delete(workerId);
    }
  }

  /** Every worker seen, holding leases first (most first), then by id. */
  workers(): WorkerView[] {
    const now = this.#clock.now();
    return [...this.#workers.entries()]
      .map(([workerId, worker]): WorkerView => ({ workerId, leaseKeys: worker.leaseKeys, state: this.#stateOf(worker, now), lastActivityMs: worker.lastActivityMs, firstSeenMs: worker.firstSeenMs }))
      .sort((a, b) => b.leaseKeys.length - a.leaseKeys.length || (a.workerId < b.workerId ? -1 : a.workerId > b.workerId ? 1 : 0));
  }

  #stateOf(worker: WorkerRecord, now: number): WorkerState {
    if (worker.leaseKeys.length === 0) return 'gone';
    const since = worker.lastActivityMs ?? worker.firstSeenMs;
    if (now - since >= this.#failoverTimeMs) return 'silent';
    return worker.lastActivityMs === undefined ? 'watching' : 'active';
  }

  #worker(workerId: string, now: number): WorkerRecord {
    let worker = this.#workers.get(workerId);
    if (worker === undefined) {
      worker = { firstSeenMs: now, lastActivityMs: undefined, lastHeldMs: now, leaseKeys: [] };
      this.#workers.set(workerId, worker);
    }
    return worker;
  }
}
