import { classifyAwsError, withDeadline, type Clock, type Logger } from '@kinesis-toolkit/core';
import { actualOwnerOf, type ExtendedSequenceNumber, type Lease } from '../leases/Lease';
import type { LeaseCallOptions, LeaseStore } from '../leases/LeaseStore';
import { LeaseLostError } from '../leases/errors';
import type { LeaseLostReason } from '../lifecycle/WorkerEvents';

/** How a {@link LeaseHandle} keeps time. */
export interface LeaseHandleSettings {
  readonly clock: Clock;
  /** The worker's `failoverTimeMs`: another worker may take the lease this long after its counter last moved. */
  readonly failoverTimeMs: number;
  /** The worker's `leaseRenewalIntervalMs`: the margin the lease is dropped by, before that. */
  readonly leaseRenewalIntervalMs: number;
  /** Where a release that did not get through is reported (at warn). @defaultValue none */
  readonly logger?: Logger | undefined;
}

/** Why a {@link LeaseHandle} stopped being held, as its `onLost` hears it. */
export interface LeaseLoss {
  readonly reason: LeaseLostReason;
  /** The worker the table shows holding it now, when known (`takenByOtherWorker`). */
  readonly newOwner?: string | undefined;
  /** The error that ended it (a `LeaseLostError`). */
  readonly cause: unknown;
}

/**
 * A lease this worker holds.
 *
 * **The lease-drop rule.** Every successful write to the lease (take, renewal, checkpoint, …)
 * moves its counter; other workers count a lease as expired, and may take it, once they have seen
 * its counter unchanged for `failoverTimeMs` on their own clocks — at the earliest
 * `failoverTimeMs` after the write was *sent* (less the length of their table scan). So this
 * handle holds the lease only until
 *
 *     validUntil = (when the last successful write was sent) + failoverTimeMs − leaseRenewalIntervalMs
 *
 * and drops it locally then — processing stops, no further checkpoint is written, the processor
 * hears `leaseLost()` — unless a renewal got through first. With `leaseRenewalIntervalMs` at most
 * `failoverTimeMs / 3` (validated), a renewal has at least one whole interval to get through, and
 * the lease is dropped a whole renewal interval before anyone else may take it. Every write is
 * bounded by `validUntil` (a write that cannot complete by then is pointless: the lease is dropped).
 *
 * Renewals and checkpoints both write conditionally on the lease's counter and both bump it, so they
 * are serialised here: each runs with the counter the previous one returned. A write that failed
 * without an answer (a deadline, a reset) may still have been applied, so the next write first
 * reads the lease back and carries on only if the item is ours and shows at most that one write.
 * Once any write finds the lease moved on, or the drop time passes, the handle is lost for good and
 * `onLost` runs once; writes in flight are abandoned.
 */
export class LeaseHandle {
  #lease: Lease;
  /** The worker holding it here (the owner it was taken as). */
  readonly #owner: string | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #lost = false;
  #released = false;
  /** Whether `release()` has been called: its write may be applied before its answer comes back. */
  #releasing = false;
  /** Whether the last write failed without an answer (it may have been applied). */
  #uncertain = false;
  #validUntil: number;
  /** When the last write that moved the counter (the take, a renewal, a checkpoint) was answered. */
  #lastWrittenAt: number;
  #expiryTimer: unknown;
  /** Fires when the handle is lost or released: abandons the write in flight. */
  readonly #ended = new AbortController();

  /**
   * @param lease - the lease as the take returned it
   * @param takeSentAt - when the take that returned it was sent, on `settings.clock`
   */
  constructor(
    lease: Lease,
    private readonly store: LeaseStore,
    private readonly settings: LeaseHandleSettings,
    private readonly onLost: (handle: LeaseHandle, loss: LeaseLoss) => void,
    takeSentAt: number,
  ) {
    this.#lease = lease;
    this.#owner = actualOwnerOf(lease);
    this.#validUntil = takeSentAt + this.validityMs;
    this.#lastWrittenAt = settings.clock.now();
    this.#armExpiry();
  }

  get lease(): Lease {
    return this.#lease;
  }

  get shardId(): string {
    return this.#lease.leaseKey;
  }

  /**
   * The worker that asked for this lease (a graceful handoff), as the last write here returned the
   * item: it shows `checkpointOwner` = this worker and another `leaseOwner`. Undefined otherwise.
   * The lease is still held until `release()` lets it go (to that worker).
   */
  get handoffRequestedBy(): string | undefined {
    const { leaseOwner, checkpointOwner } = this.#lease;
    return checkpointOwner !== undefined && checkpointOwner === this.#owner && leaseOwner !== undefined && leaseOwner !== this.#owner ? leaseOwner : undefined;
  }

  /** Being given up (`release()` called): a scan may see the release before its answer; not a loss. */
  get releasing(): boolean {
    return this.#releasing;
  }

  /** Lost (taken, or dropped by the rule above) or given up: this worker must not process the shard. */
  get lost(): boolean {
    return this.#lost;
  }

  /** How long after a successful write was sent the lease stays held here: failoverTimeMs − leaseRenewalIntervalMs. */
  get validityMs(): number {
    return this.settings.failoverTimeMs - this.settings.leaseRenewalIntervalMs;
  }

  /** When, on the worker's clock, the lease is dropped unless a write gets through first. */
  get validUntil(): number {
    return this.#validUntil;
  }

  /** When, on the worker's clock, the last write that moved the lease's counter (the take, a renewal, a checkpoint) was answered. */
  get lastWrittenAt(): number {
    return this.#lastWrittenAt;
  }

  /** Whether records may be processed under this lease now: not lost and before `validUntil`. */
  get held(): boolean {
    if (this.#lost) return false;
    if (this.settings.clock.now() < this.#validUntil) return true;
    this.#expire();
    return false;
  }

  renew(): Promise<void> {
    return this.#write('renew', (lease, options) => this.store.renewLease(lease, options));
  }

  checkpoint(position: ExtendedSequenceNumber, pending?: { checkpoint: ExtendedSequenceNumber; state?: Uint8Array }): Promise<void> {
    return this.#write('checkpoint', (lease, options) => this.store.updateCheckpoint(lease, position, pending, options));
  }

  prepare(position: ExtendedSequenceNumber, state?: Uint8Array): Promise<void> {
    return this.#write('prepareCheckpoint', (lease, options) => this.store.preparePendingCheckpoint(lease, position, state, options));
  }

  recordChildren(childShardIds: readonly string[]): Promise<void> {
    return this.#write('childShardIds', (lease, options) => this.store.updateChildShardIds(lease, childShardIds, options));
  }

  /**
   * Gives the lease up so another worker can take it at once — during a graceful handoff, to the
   * worker that asked for it. Errors are swallowed: expiry (or the handoff timeout) covers them.
   */
  async release(): Promise<void> {
    if (this.#lost) return this.dispose();
    this.#releasing = true;
    await this.#write('release', (lease, options) => this.store.releaseLease(lease, options)).catch((error: unknown) => {
      if (this.#lost) return; // lost meanwhile: reported as a loss
      this.settings.logger?.warn(
        { shardId: this.shardId, code: classifyAwsError(error).code, error: String(error), failoverTimeMs: this.settings.failoverTimeMs },
        'releasing the lease failed: another worker takes it once it has seen it unrenewed for failoverTimeMs',
      );
    });
    this.#released = true;
    this.dispose();
  }

  /**
   * Marks the handle lost without writing: another worker's take was observed (`newOwner`), the
   * drop time passed, or a conditional write found the lease moved on.
   */
  markLost(cause: unknown, newOwner?: string): void {
    this.#markLost(cause, newOwner === undefined ? 'leaseChanged' : 'takenByOtherWorker', newOwner);
  }

  #markLost(cause: unknown, reason: LeaseLostReason, newOwner?: string): void {
    if (this.#lost) return;
    this.#lost = true;
    this.settings.clock.clearTimeout(this.#expiryTimer);
    this.#ended.abort(cause);
    if (!this.#released) this.onLost(this, { reason, newOwner, cause });
  }

  /** Stops the handle's timer and abandons its writes without reporting a loss (shutdown, a finished shard). */
  dispose(): void {
    this.#released = true;
    this.#lost = true;
    this.settings.clock.clearTimeout(this.#expiryTimer);
    if (!this.#ended.signal.aborted) this.#ended.abort(new LeaseLostError(this.shardId, 'write', undefined, 'the lease was given up'));
  }

  #expire(): void {
    this.#markLost(
      new LeaseLostError(
        this.shardId,
        'renewal',
        undefined,
        `no write got through within ${this.validityMs} ms of the last one sent: dropped here ${this.settings.leaseRenewalIntervalMs} ms before another worker may take it`,
      ),
      'renewalDeadlinePassed',
    );
  }

  #armExpiry(): void {
    const { clock } = this.settings;
    clock.clearTimeout(this.#expiryTimer);
    // Node's timers may fire a little before the clock reads the due time: check, and re-arm if so.
    this.#expiryTimer = clock.setTimeout(() => (clock.now() >= this.#validUntil ? this.#expire() : this.#armExpiry()), Math.max(0, this.#validUntil - clock.now()));
  }

  #write(operation: string, write: (lease: Lease, options: LeaseCallOptions) => Promise<Lease>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#lost) throw new LeaseLostError(this.shardId, operation, this.#ended.signal.reason, 'the lease is no longer held here');
      const sentAt = this.settings.clock.now();
      if (sentAt >= this.#validUntil) {
        this.#expire();
        throw this.#ended.signal.reason as Error;
      }
      try {
        await withDeadline(operation, this.#validUntil - sentAt, async (signal) => {
          if (this.#uncertain) await this.#resync(signal);
          this.#lease = await write(this.#lease, { signal });
        }, { clock: this.settings.clock, signal: this.#ended.signal, context: { shardId: this.shardId, leaseKey: this.shardId } });
        this.#uncertain = false;
        if (!this.#lost) {
          this.#lastWrittenAt = this.settings.clock.now();
          this.#extend(sentAt);
        }
      } catch (error) {
        if (error instanceof LeaseLostError) this.markLost(error);
        else this.#uncertain = true;
        throw error;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** After a write whose outcome is unknown: carry on from the item if it is ours and shows at most that write. */
  async #resync(signal: AbortSignal): Promise<void> {
    const stored = await this.store.getLease(this.shardId, { signal });
    const mine = this.#lease;
    // A graceful handoff asked for meanwhile leaves this worker the actual owner: still ours.
    const ours = stored !== undefined && actualOwnerOf(stored) === actualOwnerOf(mine) && (stored.leaseCounter === mine.leaseCounter || stored.leaseCounter === mine.leaseCounter + 1);
    if (ours) {
      this.#lease = stored;
      return;
    }
    const owner = stored === undefined ? undefined : actualOwnerOf(stored);
    const error = new LeaseLostError(this.shardId, 'resync', undefined, `the table shows ${stored === undefined ? 'no lease' : `owner ${owner ?? '(none)'}, counter ${stored.leaseCounter}`} after a write whose answer was lost`);
    this.markLost(error, owner !== undefined && owner !== this.#owner ? owner : undefined);
    throw error;
  }

  #extend(sentAt: number): void {
    const validUntil = sentAt + this.validityMs;
    if (validUntil <= this.#validUntil) return;
    this.#validUntil = validUntil;
    this.#armExpiry();
  }
}
