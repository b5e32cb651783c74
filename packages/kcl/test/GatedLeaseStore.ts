import type { ExtendedSequenceNumber, Lease } from '../src/leases/Lease';
import type { LeaseCallOptions, LeaseListing, LeaseStore } from '../src/leases/LeaseStore';

/**
 * A lease store that passes every call to a real one, except that `takeLease` waits at a gate
 * the test opens: it freezes a worker in the middle of taking a lease.
 */
export class GatedLeaseStore implements LeaseStore {
  /** Resolves when a `takeLease` has reached the gate. */
  readonly takeReached: Promise<void>;
  #reached!: () => void;
  #open!: () => void;
  readonly #gate: Promise<void>;

  constructor(private readonly inner: LeaseStore) {
    this.takeReached = new Promise((resolve) => (this.#reached = resolve));
    this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  /** Lets every waiting and later `takeLease` through. */
  openGate(): void {
    this.#open();
  }

  async takeLease(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease> {
    this.#reached();
    await this.#gate;
    return this.inner.takeLease(lease, newOwner, options);
  }

  ensureTable(options?: LeaseCallOptions): Promise<void> {
    return this.inner.ensureTable(options);
  }
  listLeases(options?: LeaseCallOptions): Promise<LeaseListing> {
    return this.inner.listLeases(options);
  }
  getLease(leaseKey: string, options?: LeaseCallOptions): Promise<Lease | undefined> {
    return this.inner.getLease(leaseKey, options);
  }
  createLeaseIfNotExists(lease: Lease, options?: LeaseCallOptions): Promise<boolean> {
    return this.inner.createLeaseIfNotExists(lease, options);
  }
  renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    return this.inner.renewLease(lease, options);
  }
  releaseLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    return this.inner.releaseLease(lease, options);
  }
  initiateGracefulHandoff(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease> {
    return this.inner.initiateGracefulHandoff(lease, newOwner, options);
  }
  updateCheckpoint(
    lease: Lease,
    checkpoint: ExtendedSequenceNumber,
    pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array },
    options?: LeaseCallOptions,
  ): Promise<Lease> {
    return this.inner.updateCheckpoint(lease, checkpoint, pending, options);
  }
  preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array, options?: LeaseCallOptions): Promise<Lease> {
    return this.inner.preparePendingCheckpoint(lease, pending, state, options);
  }
  updateChildShardIds(lease: Lease, childShardIds: readonly string[], options?: LeaseCallOptions): Promise<Lease> {
    return this.inner.updateChildShardIds(lease, childShardIds, options);
  }
  deleteLease(leaseKey: string, options?: LeaseCallOptions): Promise<void> {
    return this.inner.deleteLease(leaseKey, options);
  }
}
