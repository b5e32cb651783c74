// The graceful-handoff behaviour every LeaseStore shares (KCL 3.x `checkpointOwner`), run against
// each implementation by its own test file beside `leaseStoreContract`.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { LeaseLostError } from './errors';
import type { Lease } from './Lease';
import type { LeaseStore } from './LeaseStore';
import { newLease, type MakeLeaseStore } from './LeaseStore.contract';

const SEQ_1 = '49590338271490256608559692538361571095921575989136588898';
const SEQ_2 = '49590338271490256608559692538361571095921575989136588999';

/** Defines the graceful-handoff tests of one `LeaseStore` implementation. */
export function gracefulHandoffContract(name: string, makeStore: MakeLeaseStore): void {
  describe(`${name} (LeaseStore contract: graceful handoff)`, () => {
    let store: LeaseStore;
    /** `shardId-0` as worker-a holds it: taken, counter 1, checkpointed at SEQ_1 (counter 2). */
    let heldByA: Lease;

    beforeEach(async () => {
      store = await makeStore();
      await store.ensureTable();
      await store.createLeaseIfNotExists(newLease('shardId-0'));
      const taken = await store.takeLease(newLease('shardId-0'), 'worker-a');
      heldByA = await store.updateCheckpoint(taken, { sequenceNumber: SEQ_1, subSequenceNumber: 0 });
    });

    it('initiateGracefulHandoff names the new owner and keeps the old one as checkpointOwner, leaving counter and checkpoint', async () => {
      const asked = await store.initiateGracefulHandoff(heldByA, 'worker-b');
      expect(asked).toEqual({ ...heldByA, leaseOwner: 'worker-b', checkpointOwner: 'worker-a' });
      await expect(store.getLease('shardId-0')).resolves.toEqual(asked);
    });

    it('initiateGracefulHandoff needs the owner unchanged and no handoff under way (not the counter)', async () => {
      // The owner renewed since the asker read the lease: the handoff still goes through.
      await store.renewLease(heldByA);
      await expect(store.initiateGracefulHandoff(heldByA, 'worker-b')).resolves.toMatchObject({ leaseOwner: 'worker-b', checkpointOwner: 'worker-a' });
      // A second asker, with the same old view, finds a handoff under way.
      await expect(store.initiateGracefulHandoff(heldByA, 'worker-c')).rejects.toBeInstanceOf(LeaseLostError);
      // Taken by someone else meanwhile: the owner is not the one the asker saw.
      const current = (await store.getLease('shardId-0'))!;
      await store.takeLease(current, 'worker-c');
      await expect(store.initiateGracefulHandoff(heldByA, 'worker-b')).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('initiateGracefulHandoff refuses an unowned lease, a handoff already in the view, and the owner itself with a TypeError', async () => {
      await expect(store.initiateGracefulHandoff({ ...heldByA, leaseOwner: undefined }, 'worker-b')).rejects.toBeInstanceOf(TypeError);
      await expect(store.initiateGracefulHandoff({ ...heldByA, checkpointOwner: 'worker-x' }, 'worker-b')).rejects.toBeInstanceOf(TypeError);
      await expect(store.initiateGracefulHandoff(heldByA, 'worker-a')).rejects.toBeInstanceOf(TypeError);
      await expect(store.initiateGracefulHandoff(heldByA, '')).rejects.toBeInstanceOf(TypeError);
    });

    it('the owner goes on renewing and checkpointing with its view from before the handoff; its renewal shows the handoff', async () => {
      await store.initiateGracefulHandoff(heldByA, 'worker-b');
      const renewed = await store.renewLease(heldByA);
      expect(renewed).toEqual({ ...heldByA, leaseCounter: heldByA.leaseCounter + 1, leaseOwner: 'worker-b', checkpointOwner: 'worker-a' });
      const checkpointed = await store.updateCheckpoint(renewed, { sequenceNumber: SEQ_2, subSequenceNumber: 3 });
      expect(checkpointed).toMatchObject({ leaseCounter: heldByA.leaseCounter + 2, checkpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 3 }, leaseOwner: 'worker-b', checkpointOwner: 'worker-a' });
      await expect(store.preparePendingCheckpoint(checkpointed, { sequenceNumber: SEQ_2, subSequenceNumber: 4 })).resolves.toMatchObject({ checkpointOwner: 'worker-a' });
    });

    it('the worker that asked cannot renew or checkpoint before the owner lets go', async () => {
      const asked = await store.initiateGracefulHandoff(heldByA, 'worker-b');
      // Its view names it leaseOwner, but the actual owner is still worker-a.
      const asIfMine = { ...asked, checkpointOwner: undefined };
      await expect(store.renewLease(asIfMine)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.updateCheckpoint(asIfMine, { sequenceNumber: SEQ_2, subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.releaseLease(asIfMine)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.getLease('shardId-0')).resolves.toEqual(asked);
    });

    it.each([
      ['a view that shows the handoff', true],
      ['a view from before the handoff', false],
    ])('releaseLease by the owner completes the handoff (%s): the new owner holds it, an owner switch', async (_name, seesHandoff) => {
      const asked = await store.initiateGracefulHandoff(heldByA, 'worker-b');
      const released = await store.releaseLease(seesHandoff ? asked : heldByA);
      const expected = { ...heldByA, leaseCounter: heldByA.leaseCounter + 1, leaseOwner: 'worker-b', ownerSwitchesSinceCheckpoint: heldByA.ownerSwitchesSinceCheckpoint + 1 };
      expect(released).toEqual(expected);
      expect(released.checkpointOwner).toBeUndefined();
      await expect(store.getLease('shardId-0')).resolves.toEqual(expected);
      // The new owner takes it from there on the counter (no owner switch: it is already its own).
      await expect(store.takeLease(released, 'worker-b')).resolves.toMatchObject({ leaseOwner: 'worker-b', leaseCounter: expected.leaseCounter + 1, ownerSwitchesSinceCheckpoint: 1 });
    });

    it('a take forces a handoff that did not complete: checkpointOwner goes, the owner switch counts, the old owner is fenced off', async () => {
      const asked = await store.initiateGracefulHandoff(heldByA, 'worker-b');
      const forced = await store.takeLease(asked, 'worker-b');
      expect(forced).toEqual({ ...heldByA, leaseCounter: heldByA.leaseCounter + 1, leaseOwner: 'worker-b', ownerSwitchesSinceCheckpoint: 1 });
      expect(forced.checkpointOwner).toBeUndefined();
      await expect(store.renewLease(heldByA)).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.updateCheckpoint(heldByA, { sequenceNumber: SEQ_2, subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
      await expect(store.releaseLease(heldByA)).rejects.toBeInstanceOf(LeaseLostError);
    });

    it('a plain release (no handoff) still removes the owner, from either view', async () => {
      const released = await store.releaseLease(heldByA);
      expect(released).toEqual({ ...heldByA, leaseCounter: heldByA.leaseCounter + 1, leaseOwner: undefined });
    });
  });
}
