import { actualOwnerOf, type ExtendedSequenceNumber, type Lease } from './Lease';
import { LEASE_ATTRIBUTES as A, binaryValue, numberValue, stringSetValue, stringValue } from './LeaseSerializer';
import { LeaseUpdate } from './LeaseUpdate';
import { normalizeShardIds, sameCheckpoint } from './leaseValidation';

// What each lease operation writes to a lease table item (the Java KCL 2.x attributes, and the KCL
// 3.x `checkpointOwner`): one conditional update each, and how to recognise in an item read back
// that the update was applied (a retried call whose first attempt got through, its answer lost).
// The arguments are validated by the caller.

/** One lease operation as a conditional update. */
export interface LeaseWrite {
  readonly update: LeaseUpdate;
  /** Whether `stored` (read back) shows this write applied. */
  readonly showsThisWrite: (stored: Lease) => boolean;
}

/** Counter + 1; condition counter and actual owner unchanged. */
export function renewWrite(lease: Lease): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const owner = actualOwnerOf(lease);
  return {
    update: new LeaseUpdate().expectCounter(lease.leaseCounter).expectActualOwner(owner).set(A.leaseCounter, numberValue(next)),
    showsThisWrite: (stored) => stored.leaseCounter === next && actualOwnerOf(stored) === owner,
  };
}

/** The owner becomes `newOwner` and a handoff under way is dropped; condition counter unchanged. */
export function takeWrite(lease: Lease, newOwner: string): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const update = new LeaseUpdate().expectCounter(lease.leaseCounter).set(A.leaseCounter, numberValue(next)).set(A.leaseOwner, stringValue(newOwner)).remove(A.checkpointOwner);
  // As the Java KCL: taking an unowned lease is not an owner switch.
  const previous = actualOwnerOf(lease);
  if (previous !== undefined && previous !== newOwner) update.add(A.ownerSwitchesSinceCheckpoint, 1);
  return { update, showsThisWrite: (stored) => stored.leaseCounter === next && stored.leaseOwner === newOwner };
}

/**
 * The caller lets go: `handingOver` removes its `checkpointOwner` (completing a graceful handoff:
 * the lease is the new owner's, an owner switch), otherwise its `leaseOwner`. Condition: the
 * counter, and the caller as `checkpointOwner` — or as owner with no handoff under way.
 */
export function releaseWrite(lease: Lease, handingOver: boolean): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const owner = actualOwnerOf(lease);
  const update = new LeaseUpdate().expectCounter(lease.leaseCounter).set(A.leaseCounter, numberValue(next));
  if (handingOver) {
    update.expectCheckpointOwner(owner).remove(A.checkpointOwner).add(A.ownerSwitchesSinceCheckpoint, 1);
    return { update, showsThisWrite: (stored) => stored.leaseCounter === next && stored.checkpointOwner === undefined && stored.leaseOwner !== undefined && stored.leaseOwner !== owner };
  }
  update.expectOwner(owner).expectCheckpointOwner(undefined).remove(A.leaseOwner);
  return { update, showsThisWrite: (stored) => stored.leaseCounter === next && stored.leaseOwner === undefined };
}

/**
 * A graceful handoff asked for, as the KCL 3.x `initiateGracefulLeaseHandoff` writes it: `leaseOwner`
 * = `newOwner`, `checkpointOwner` = the owner. Condition: the item exists, its owner is `from`, no
 * handoff is under way — not the counter, which the owner's renewals keep moving and this leaves.
 */
export function handoffWrite(from: string, newOwner: string): LeaseWrite {
  const update = new LeaseUpdate().expectExists().expectOwner(from).expectCheckpointOwner(undefined).set(A.leaseOwner, stringValue(newOwner)).set(A.checkpointOwner, stringValue(from));
  return { update, showsThisWrite: (stored) => stored.leaseOwner === newOwner && stored.checkpointOwner === from };
}

/** A checkpoint (and the pending one set or cleared), owner switches reset; condition counter and actual owner. */
export function checkpointWrite(lease: Lease, checkpoint: ExtendedSequenceNumber, pending: { readonly checkpoint: ExtendedSequenceNumber; readonly state?: Uint8Array } | undefined): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const owner = actualOwnerOf(lease);
  const update = new LeaseUpdate()
    .expectCounter(lease.leaseCounter)
    .expectActualOwner(owner)
    .set(A.leaseCounter, numberValue(next))
    .set(A.checkpoint, stringValue(checkpoint.sequenceNumber))
    .set(A.checkpointSubSequenceNumber, numberValue(checkpoint.subSequenceNumber))
    .set(A.ownerSwitchesSinceCheckpoint, numberValue(0));
  setPending(update, pending?.checkpoint, pending?.state);
  return {
    update,
    showsThisWrite: (stored) =>
      stored.leaseCounter === next && actualOwnerOf(stored) === owner && sameCheckpoint(stored.checkpoint, checkpoint) && sameCheckpoint(stored.pendingCheckpoint, pending?.checkpoint),
  };
}

/** A pending checkpoint only; condition counter and actual owner. */
export function prepareWrite(lease: Lease, pending: ExtendedSequenceNumber, state: Uint8Array | undefined): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const owner = actualOwnerOf(lease);
  const update = new LeaseUpdate().expectCounter(lease.leaseCounter).expectActualOwner(owner).set(A.leaseCounter, numberValue(next));
  setPending(update, pending, state);
  return { update, showsThisWrite: (stored) => stored.leaseCounter === next && actualOwnerOf(stored) === owner && sameCheckpoint(stored.pendingCheckpoint, pending) };
}

/** A finished shard's children (removed with []); condition counter. */
export function childShardIdsWrite(lease: Lease, childShardIds: readonly string[]): LeaseWrite {
  const next = lease.leaseCounter + 1;
  const update = new LeaseUpdate().expectCounter(lease.leaseCounter).set(A.leaseCounter, numberValue(next));
  if (childShardIds.length > 0) update.set(A.childShardIds, stringSetValue(childShardIds));
  else update.remove(A.childShardIds);
  const wanted = normalizeShardIds(childShardIds).join(',');
  return { update, showsThisWrite: (stored) => stored.leaseCounter === next && stored.childShardIds.join(',') === wanted };
}

/** Sets the pending checkpoint and its state, removing a state that is not given. */
function setPending(update: LeaseUpdate, pending: ExtendedSequenceNumber | undefined, state: Uint8Array | undefined): void {
  if (pending === undefined) {
    update.remove(A.pendingCheckpoint).remove(A.pendingCheckpointSubSequenceNumber).remove(A.pendingCheckpointState);
    return;
  }
  update.set(A.pendingCheckpoint, stringValue(pending.sequenceNumber)).set(A.pendingCheckpointSubSequenceNumber, numberValue(pending.subSequenceNumber));
  if (state === undefined) update.remove(A.pendingCheckpointState);
  else update.set(A.pendingCheckpointState, binaryValue(state));
}
