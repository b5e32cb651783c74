import type { ExtendedSequenceNumber, Lease } from './Lease';
import type { MalformedLeaseError } from './errors';

/** What listing the table found: the leases it understood and the items it did not. */
export interface LeaseListing {
  readonly leases: Lease[];
  /** Items that could not be read as leases; reported with their `leaseKey` and skipped. */
  readonly malformed: MalformedLeaseError[];
}

/**
 * Per-call settings every {@link LeaseStore} method takes. `signal` abandons the call (its request
 * is aborted and the promise rejects with the signal's reason): the worker puts its own deadlines
 * on renewals and checkpoints this way, so a store that ignores it is still bounded by them.
 */
export interface LeaseCallOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * Storage of leases. Every mutation of an existing lease is a conditional write on the
 * `leaseCounter` (and owner, where it says) the caller last saw, and bumps the counter by one —
 * except `initiateGracefulHandoff`, which conditions on the owner and leaves the counter alone;
 * a failed condition throws `LeaseLostError` (the lease moved on: another worker renewed, took
 * or checkpointed it). "Owner" in a condition is the actual owner (`actualOwnerOf`): during a
 * graceful handoff the `checkpointOwner`, which goes on renewing and checkpointing until it lets
 * go. Implementations: `DynamoDBLeaseStore` (the KCL 2.x table format) and
 * `InMemoryLeaseStore` (tests, single-process use); one contract test suite runs against both.
 */
export interface LeaseStore {
  /** Creates the table if it does not exist and waits until it is usable. */
  ensureTable(options?: LeaseCallOptions): Promise<void>;
  /** Every lease (all pages), with items that are not valid leases reported separately. */
  listLeases(options?: LeaseCallOptions): Promise<LeaseListing>;
  /** One lease by key; undefined if absent. @throws MalformedLeaseError for an unreadable item. */
  getLease(leaseKey: string, options?: LeaseCallOptions): Promise<Lease | undefined>;
  /** Writes a new lease unless one with its key exists; returns whether it wrote. */
  createLeaseIfNotExists(lease: Lease, options?: LeaseCallOptions): Promise<boolean>;
  /**
   * Renews a held lease: condition owner and counter unchanged; returns the lease with counter + 1
   * — which shows a graceful handoff another worker asked for (`checkpointOwner` = the caller).
   */
  renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease>;
  /**
   * Takes a lease (expired, unowned, or stolen): condition counter unchanged; sets the owner,
   * counter + 1, and ownerSwitchesSinceCheckpoint + 1 when the owner changes from another worker
   * (taking an unowned lease is not a switch, as in the Java KCL). Also drops a `checkpointOwner`,
   * as a KCL 3.x take does: a handoff that did not complete in time is forced this way.
   */
  takeLease(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease>;
  /**
   * Gives up a held lease: condition owner and counter unchanged. The owner is removed — or,
   * during a graceful handoff from the caller, `checkpointOwner` is, which completes the handoff:
   * the lease is the new owner's (an owner switch). Either way the counter moves.
   */
  releaseLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease>;
  /**
   * Asks the owner of a lease to hand it over gracefully (KCL 3.x `initiateGracefulLeaseHandoff`):
   * `leaseOwner` becomes `newOwner` and `checkpointOwner` the owner, which keeps processing,
   * renewing and checkpointing until it lets go with `releaseLease`. Condition: the item exists,
   * its owner is `lease.leaseOwner` and no handoff is under way; the counter is neither a condition
   * nor moved (the owner's own writes go on undisturbed).
   * @throws InvalidArgumentError for an unowned lease, a handoff already under way, or newOwner = the owner
   */
  initiateGracefulHandoff(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease>;
  /**
   * Writes a checkpoint (and clears or sets the pending checkpoint): condition owner and counter
   * unchanged — a worker that lost the lease cannot move it. Resets ownerSwitchesSinceCheckpoint.
   */
  updateCheckpoint(
    lease: Lease,
    checkpoint: ExtendedSequenceNumber,
    pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array },
    options?: LeaseCallOptions,
  ): Promise<Lease>;
  /** Writes a prepared (pending) checkpoint only; condition owner and counter unchanged. */
  preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array, options?: LeaseCallOptions): Promise<Lease>;
  /** Records a finished shard's children (KCL 2.x `childShardIds`); condition counter unchanged. */
  updateChildShardIds(lease: Lease, childShardIds: readonly string[], options?: LeaseCallOptions): Promise<Lease>;
  /** Deletes a lease (cleanup of finished parents). */
  deleteLease(leaseKey: string, options?: LeaseCallOptions): Promise<void>;
}
