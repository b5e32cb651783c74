import type { Clock } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber, Lease } from '../leases/Lease';
import type { LeaseStore } from '../leases/LeaseStore';
import { LeaseLostError } from '../leases/errors';

/**
 * A lease this worker holds. Renewals and checkpoints both write conditionally on the lease's
 * counter and both bump it, so they are serialised here: each runs with the counter the previous
 * one returned, and one never fails the other. Once any write finds the lease moved on, the
 * handle is lost for good and `onLost` runs once.
 */
export class LeaseHandle {
  #lease: Lease;
  #queue: Promise<unknown> = Promise.resolve();
  #lost = false;
  /** When a write last succeeded (the take counts), on the worker's clock. */
  lastWrittenAt: number;

  constructor(
    lease: Lease,
    private readonly store: LeaseStore,
    private readonly clock: Clock,
    private readonly onLost: (handle: LeaseHandle, cause: unknown) => void,
  ) {
    this.#lease = lease;
    this.lastWrittenAt = clock.now();
  }

  get lease(): Lease {
    return this.#lease;
  }

  get shardId(): string {
    return this.#lease.leaseKey;
  }

  get lost(): boolean {
    return this.#lost;
  }

  renew(): Promise<void> {
    return this.#write('renew', (lease) => this.store.renewLease(lease));
  }

  checkpoint(position: ExtendedSequenceNumber, pending?: { checkpoint: ExtendedSequenceNumber; state?: Uint8Array }): Promise<void> {
    return this.#write('checkpoint', (lease) => this.store.updateCheckpoint(lease, position, pending));
  }

  prepare(position: ExtendedSequenceNumber, state?: Uint8Array): Promise<void> {
    return this.#write('prepareCheckpoint', (lease) => this.store.preparePendingCheckpoint(lease, position, state));
  }

  recordChildren(childShardIds: readonly string[]): Promise<void> {
    return this.#write('childShardIds', (lease) => this.store.updateChildShardIds(lease, childShardIds));
  }

  /** Gives the lease up so another worker can take it at once. Errors are swallowed: expiry covers them. */
  async release(): Promise<void> {
    if (this.#lost) return;
    await this.#write('release', (lease) => this.store.releaseLease(lease)).catch(() => undefined);
    this.#lost = true;
  }

  /** Marks the handle lost without writing (another worker's take was observed). */
  markLost(cause: unknown): void {
    if (this.#lost) return;
    this.#lost = true;
    this.onLost(this, cause);
  }

  #write(operation: string, write: (lease: Lease) => Promise<Lease>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (this.#lost) throw new LeaseLostError(this.#lease.leaseKey, operation);
      try {
        this.#lease = await write(this.#lease);
        this.lastWrittenAt = this.clock.now();
      } catch (error) {
        if (error instanceof LeaseLostError) this.markLost(error);
        throw error;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
