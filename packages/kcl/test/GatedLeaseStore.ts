import type { ExtendedSequenceNumber, Lease } from '../src/leases/Lease';
import type { LeaseListing, LeaseStore } from '../src/leases/LeaseStore';

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

  async takeLease(lease: Lease, newOwner: string): Promise<Lease> {
    this.#reached();
    await this.#gate;
    return this.inner.takeLease(lease, newOwner);
  }

  ensureTable(): Promise<void> {
    return this.inner.ensureTable();
  }
  listLeases(): Promise<LeaseListing> {
    return this.inner.listLeases();
  }
  getLease(leaseKey: string): Promise<Lease | undefined> {
    return this.inner.getLease(leaseKey);
  }
  createLeaseIfNotExists(lease: Lease): Promise<boolean> {
    return this.inner.createLeaseIfNotExists(lease);
  }
  renewLease(lease: Lease): Promise<Lease> {
    return this.inner.renewLease(lease);
  }
  releaseLease(lease: Lease): Promise<Lease> {
    return this.inner.releaseLease(lease);
  }
  updateCheckpoint(lease: Lease, checkpoint: ExtendedSequenceNumber, pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array }): Promise<Lease> {
    return this.inner.updateCheckpoint(lease, checkpoint, pending);
  }
  preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array): Promise<Lease> {
    return this.inner.preparePendingCheckpoint(lease, pending, state);
  }
  updateChildShardIds(lease: Lease, childShardIds: readonly string[]): Promise<Lease> {
    return this.inner.updateChildShardIds(lease, childShardIds);
  }
  deleteLease(leaseKey: string): Promise<void> {
    return this.inner.deleteLease(leaseKey);
  }
}
