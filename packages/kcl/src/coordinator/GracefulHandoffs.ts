import type { Lease } from '../leases/Lease';

/** How a {@link GracefulHandoffs} judges time. */
export interface GracefulHandoffSettings {
  /** This worker: the one that asks for leases, and takes them once handed over. */
  readonly workerId: string;
  /** A lease whose counter has not moved for this long is expired: its owner is dead. */
  readonly failoverTimeMs: number;
  /** The longest the owner is given to finish and let go before the lease is taken anyway. */
  readonly timeoutMs: number;
}

/** What to do now about a lease the table shows as handed, or being handed, to this worker. */
export type HandoffStep =
  | { readonly action: 'wait'; readonly from: string }
  | {
      readonly action: 'take';
      /**
       * `handedOver`: the owner finished and let go; `ownerDead`: it stopped renewing before it did
       * (expired: counter unchanged for failoverTimeMs); `timedOut`: it did not let go within the
       * timeout and the lease is taken from it (its uncheckpointed work is read again).
       */
      readonly reason: 'handedOver' | 'ownerDead' | 'timedOut';
      readonly from: string;
    };

/**
 * The taking side of graceful lease handoffs (the KCL 3.x `checkpointOwner` protocol), as one
 * worker sees it. To balance, a worker does not take a live worker's lease: it asks for it
 * (`LeaseStore.initiateGracefulHandoff`: `leaseOwner` = this worker, `checkpointOwner` = the
 * owner). The owner hears of it at its next renewal, lets its processor checkpoint in
 * `shutdownRequested`, and lets go (`releaseLease` removes `checkpointOwner`). From the table
 * scans, this class tells the worker, per lease, when to take it:
 *
 *     asked (checkpointOwner = owner) ──owner lets go──▶ handed over (no checkpointOwner) ──▶ take
 *        │──counter unchanged for failoverTimeMs (owner dead)──▶ take
 *        └──timeoutMs since asked (owner too slow)─────────────▶ take anyway (forced)
 *
 * A handoff to this worker that it did not ask for in this process (asked by a previous
 * incarnation with the same worker id) is timed from when it is first seen. A lease that stops
 * showing this worker as `leaseOwner` is forgotten.
 */
export class GracefulHandoffs {
  /** Leases asked for and not yet taken: from whom, and when (this worker's clock). */
  readonly #asked = new Map<string, { readonly from: string; readonly at: number }>();

  constructor(private readonly settings: GracefulHandoffSettings) {}

  /** Whether the graceful path is on (a timeout of 0 turns it off: balancing steals at once). */
  get enabled(): boolean {
    return this.settings.timeoutMs > 0;
  }

  /** This worker asked `from` to hand `leaseKey` over, at `at`. */
  asked(leaseKey: string, from: string, at: number): void {
    this.#asked.set(leaseKey, { from, at });
  }

  /** The lease was taken (or is gone): nothing more to track. */
  forget(leaseKey: string): void {
    this.#asked.delete(leaseKey);
  }

  /**
   * What to do about `lease`, which this worker does not hold, as a scan at `now` showed it;
   * `unchangedForMs` is how long its counter and owner have stood still on this worker's clock.
   * Undefined when the lease is not being handed to this worker (the usual rules apply).
   */
  step(lease: Lease, unchangedForMs: number, now: number): HandoffStep | undefined {
    const key = lease.leaseKey;
    if (lease.leaseOwner !== this.settings.workerId) {
      this.#asked.delete(key);
      return undefined;
    }
    let asked = this.#asked.get(key);
    const from = lease.checkpointOwner;
    if (from === undefined) return asked === undefined ? undefined : { action: 'take', reason: 'handedOver', from: asked.from };
    if (asked === undefined || asked.from !== from) {
      asked = { from, at: now };
      this.#asked.set(key, asked);
    }
    if (unchangedForMs >= this.settings.failoverTimeMs) return { action: 'take', reason: 'ownerDead', from };
    if (now - asked.at >= this.settings.timeoutMs) return { action: 'take', reason: 'timedOut', from };
    return { action: 'wait', from };
  }
}
