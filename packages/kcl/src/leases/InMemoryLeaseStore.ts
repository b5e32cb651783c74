import { LeaseLostError, LeaseStoreError } from './errors';
import { actualOwnerOf, type ExtendedSequenceNumber, type Lease } from './Lease';
import type { LeaseCallOptions, LeaseListing, LeaseStore } from './LeaseStore';
import {
  assertHandoff,
  assertValidCheckpoint,
  assertValidLease,
  assertValidLeaseKey,
  assertValidOwner,
  assertValidShardIds,
  copyLease,
  normalizeShardIds,
} from './leaseValidation';

/**
 * A `LeaseStore` in this process's memory, with the semantics of `DynamoDBLeaseStore` (the same
 * contract suite runs against both): the same conditions and counter bumps, the same input
 * checks, an error before `ensureTable()`, and copies in and out, so that no caller shares a
 * stored object. For tests and single-process use; nothing survives the process.
 */
export class InMemoryLeaseStore implements LeaseStore {
  readonly #leases = new Map<string, Lease>();
  #tableExists = false;

  async ensureTable(options?: LeaseCallOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    this.#tableExists = true;
  }

  async listLeases(options?: LeaseCallOptions): Promise<LeaseListing> {
    options?.signal?.throwIfAborted();
    this.#requireTable('listLeases');
    return { leases: [...this.#leases.values()].map(copyLease), malformed: [] };
  }

  async getLease(leaseKey: string, options?: LeaseCallOptions): Promise<Lease | undefined> {
    options?.signal?.throwIfAborted();
    assertValidLeaseKey(leaseKey);
    this.#requireTable('getLease');
    const lease = this.#leases.get(leaseKey);
    return lease === undefined ? undefined : copyLease(lease);
  }

  async createLeaseIfNotExists(lease: Lease, options?: LeaseCallOptions): Promise<boolean> {
    options?.signal?.throwIfAborted();
    assertValidLease(lease);
    this.#requireTable('createLeaseIfNotExists');
    if (this.#leases.has(lease.leaseKey)) return false;
    this.#leases.set(lease.leaseKey, normalized(lease));
    return true;
  }

  async renewLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    const stored = this.#expect('renewLease', lease, true);
    return this.#store({ ...stored, leaseCounter: stored.leaseCounter + 1 });
  }

  async takeLease(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    assertValidOwner('newOwner', newOwner);
    const stored = this.#expect('takeLease', lease, false);
    // As the Java KCL: taking an unowned lease is not an owner switch.
    const previous = actualOwnerOf(lease);
    const switched = previous !== undefined && previous !== newOwner;
    return this.#store({
      ...stored,
      leaseCounter: stored.leaseCounter + 1,
      leaseOwner: newOwner,
      checkpointOwner: undefined,
      ownerSwitchesSinceCheckpoint: stored.ownerSwitchesSinceCheckpoint + (switched ? 1 : 0),
    });
  }

  async releaseLease(lease: Lease, options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    const stored = this.#expect('releaseLease', lease, true);
    // Letting go during a graceful handoff passes the lease to the worker that asked for it.
    if (stored.checkpointOwner !== undefined) {
      return this.#store({ ...stored, leaseCounter: stored.leaseCounter + 1, checkpointOwner: undefined, ownerSwitchesSinceCheckpoint: stored.ownerSwitchesSinceCheckpoint + 1 });
    }
    return this.#store({ ...stored, leaseCounter: stored.leaseCounter + 1, leaseOwner: undefined });
  }

  async initiateGracefulHandoff(lease: Lease, newOwner: string, options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    const from = assertHandoff(lease, newOwner);
    this.#requireTable('initiateGracefulHandoff');
    const stored = this.#leases.get(lease.leaseKey);
    if (stored === undefined || stored.leaseOwner !== from || stored.checkpointOwner !== undefined) throw new LeaseLostError(lease.leaseKey, 'initiateGracefulHandoff');
    // The counter stays: the owner's renewals and checkpoints go on until it lets go.
    return this.#store({ ...stored, leaseOwner: newOwner, checkpointOwner: from });
  }

  async updateCheckpoint(
    lease: Lease,
    checkpoint: ExtendedSequenceNumber,
    pending?: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array },
    options?: LeaseCallOptions,
  ): Promise<Lease> {
    options?.signal?.throwIfAborted();
    assertValidLease(lease);
    assertValidCheckpoint('checkpoint', checkpoint);
    if (pending !== undefined) assertValidCheckpoint('pending.checkpoint', pending.checkpoint);
    const stored = this.#expect('updateCheckpoint', lease, true);
    return this.#store({
      ...stored,
      leaseCounter: stored.leaseCounter + 1,
      checkpoint,
      ownerSwitchesSinceCheckpoint: 0,
      pendingCheckpoint: pending?.checkpoint,
      pendingCheckpointState: pending?.state,
    });
  }

  async preparePendingCheckpoint(lease: Lease, pending: ExtendedSequenceNumber, state?: Uint8Array, options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    assertValidLease(lease);
    assertValidCheckpoint('pending', pending);
    const stored = this.#expect('preparePendingCheckpoint', lease, true);
    return this.#store({ ...stored, leaseCounter: stored.leaseCounter + 1, pendingCheckpoint: pending, pendingCheckpointState: state });
  }

  async updateChildShardIds(lease: Lease, childShardIds: readonly string[], options?: LeaseCallOptions): Promise<Lease> {
    options?.signal?.throwIfAborted();
    assertValidShardIds('childShardIds', childShardIds);
    const stored = this.#expect('updateChildShardIds', lease, false);
    return this.#store({ ...stored, leaseCounter: stored.leaseCounter + 1, childShardIds });
  }

  async deleteLease(leaseKey: string, options?: LeaseCallOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    assertValidLeaseKey(leaseKey);
    this.#requireTable('deleteLease');
    this.#leases.delete(leaseKey);
  }

  /**
   * The stored lease, if the caller's view of it is current: the same counter and, when
   * `checkOwner`, the same actual owner (see `actualOwnerOf`: a graceful handoff the caller has
   * not seen yet does not change it). Otherwise the lease moved on (or is gone): `LeaseLostError`.
   */
  #expect(operation: string, lease: Lease, checkOwner: boolean): Lease {
    assertValidLease(lease);
    this.#requireTable(operation);
    const stored = this.#leases.get(lease.leaseKey);
    if (stored === undefined || stored.leaseCounter !== lease.leaseCounter || (checkOwner && actualOwnerOf(stored) !== actualOwnerOf(lease))) {
      throw new LeaseLostError(lease.leaseKey, operation);
    }
    return stored;
  }

  #store(lease: Lease): Lease {
    const stored = normalized(lease);
    this.#leases.set(lease.leaseKey, stored);
    return copyLease(stored);
  }

  #requireTable(operation: string): void {
    // DynamoDB answers ResourceNotFoundException, which the DynamoDB store reports so.
    if (!this.#tableExists) {
      throw new LeaseStoreError(operation, new Error('the lease table does not exist (call ensureTable() first)'), false);
    }
  }
}

/** A private copy in the form DynamoDB would give back: shard-id sets deduplicated and sorted. */
function normalized(lease: Lease): Lease {
  const copy = copyLease(lease);
  return { ...copy, parentShardIds: normalizeShardIds(copy.parentShardIds), childShardIds: normalizeShardIds(copy.childShardIds) };
}
