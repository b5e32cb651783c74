// The behaviour every LeaseStore shares, run against each implementation by its own test file.
// Not a test file itself (no .test suffix); jest globals are imported so that it type-checks
// without the jest ambient types.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { LeaseLostError, LeaseStoreError } from './errors';
import type { Lease } from './Lease';
import type { LeaseStore } from './LeaseStore';

/** Options a contract test may ask of the store it is given. */
export interface ContractStoreOptions {
  /** Items per listing page, to make `listLeases` paginate over few leases. */
  readonly listPageSize?: number;
}

/** Makes a fresh, empty store whose table does not exist yet (`ensureTable()` not called). */
export type MakeLeaseStore = (options?: ContractStoreOptions) => LeaseStore | Promise<LeaseStore>;

/** A lease as a shard sync would create it, with `fields` overriding. */
export function newLease(leaseKey: string, fields: Partial<Lease> = {}): Lease {
  return {
    leaseKey,
    leaseOwner: undefined,
    leaseCounter: 0,
    checkpoint: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
    pendingCheckpoint: undefined,
    pendingCheckpointState: undefined,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
    childShardIds: [],
    hashKeyRange: undefined,
    ...fields,
  };
}

const SEQ_1 = '49590338271490256608559692538361571095921575989136588898';
const SEQ_2 = '49590338271490256608559692538361571095921575989136588999';

/** Defines the `LeaseStore` behaviour tests for one implementation. */
export function leaseStoreContract(name: string, makeStore: MakeLeaseStore): void {
  describe(`${name} (LeaseStore contract)`, () => {
    let store: LeaseStore;

    beforeEach(async () => {
      store = await makeStore();
      await store.ensureTable();
    });

    /** Creates `shardId-0` owned by worker-a with counter 1, as a taken lease looks. */
    async function heldLease(fields: Partial<Lease> = {}): Promise<Lease> {
      await store.createLeaseIfNotExists(newLease('shardId-0', fields));
      return store.takeLease((await store.getLease('shardId-0')) as Lease, 'worker-a');
    }

    describe('table and creation', () => {
      it('fails with a non-retryable LeaseStoreError before ensureTable()', async () => {
        const fresh = await makeStore();
        const error = await fresh.listLeases().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LeaseStoreError);
        expect((error as LeaseStoreError).retryable).toBe(false);
      });

      it('ensureTable() is idempotent and keeps the leases', async () => {
        await store.createLeaseIfNotExists(newLease('shardId-0'));
        await store.ensureTable();
        await store.ensureTable();
        expect((await store.listLeases()).leases.map((lease) => lease.leaseKey)).toEqual(['shardId-0']);
      });

      it('createLeaseIfNotExists writes once and never overwrites', async () => {
        await expect(store.createLeaseIfNotExists(newLease('shardId-0'))).resolves.toBe(true);
        const other = newLease('shardId-0', { leaseOwner: 'intruder', checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 0 } });
        await expect(store.createLeaseIfNotExists(other)).resolves.toBe(false);
        await expect(store.getLease('shardId-0')).resolves.toEqual(newLease('shardId-0'));
      });

      it('round-trips every field; shard-id sets come back deduplicated and sorted', async () => {
        const lease = newLease('shardId-000000000007', {
          leaseOwner: 'worker-a',
          leaseCounter: 42,
          checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 5 },
          pendingCheckpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 2 },
          pendingCheckpointState: Uint8Array.from([1, 2, 3]),
          ownerSwitchesSinceCheckpoint: 3,
          parentShardIds: ['shardId-000000000002', 'shardId-000000000001', 'shardId-000000000002'],
          childShardIds: ['shardId-000000000009'],
          hashKeyRange: { startingHashKey: '0', endingHashKey: '340282366920938463463374607431768211455' },
        });
        await store.createLeaseIfNotExists(lease);
        await expect(store.getLease(lease.leaseKey)).resolves.toEqual({
          ...lease,
          parentShardIds: ['shardId-000000000001', 'shardId-000000000002'],
        });
      });

      it('stores every sentinel checkpoint', async () => {
        for (const sequenceNumber of ['TRIM_HORIZON', 'LATEST', 'SHARD_END', 'AT_TIMESTAMP'] as const) {
          await store.createLeaseIfNotExists(newLease(`shard-${sequenceNumber}`, { checkpoint: { sequenceNumber, subSequenceNumber: 0 } }));
          expect((await store.getLease(`shard-${sequenceNumber}`))?.checkpoint.sequenceNumber).toBe(sequenceNumber);
        }
      });

      it('rejects invalid input with a TypeError', async () => {
        await expect(store.createLeaseIfNotExists(newLease(''))).rejects.toBeInstanceOf(TypeError);
        const badCheckpoint = newLease('shardId-0', { checkpoint: { sequenceNumber: 'abc', subSequenceNumber: 0 } });
        await expect(store.createLeaseIfNotExists(badCheckpoint)).rejects.toBeInstanceOf(TypeError);
        const badSub = newLease('shardId-0', { checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: -1 } });
        await expect(store.createLeaseIfNotExists(badSub)).rejects.toBeInstanceOf(TypeError);
        await store.createLeaseIfNotExists(newLease('shardId-0'));
        await expect(store.takeLease(newLease('shardId-0'), '')).rejects.toBeInstanceOf(TypeError);
        await expect(store.getLease('')).rejects.toBeInstanceOf(TypeError);
      });

      it('getLease of a missing key is undefined', async () => {
        await expect(store.getLease('shardId-missing')).resolves.toBeUndefined();
      });

      it('hands out copies, never its own objects', async () => {
        const lease = newLease('shardId-0', { parentShardIds: ['shardId-p'], pendingCheckpointState: Uint8Array.from([7]) });
        await store.createLeaseIfNotExists(lease);
        (lease.parentShardIds as string[]).push('shardId-mutated');
        const read = (await store.getLease('shardId-0')) as Lease;
        (read.parentShardIds as string[]).push('shardId-mutated');
        (read.pendingCheckpointState as Uint8Array)[0] = 0;
        const again = (await store.getLease('shardId-0')) as Lease;
        expect(again.parentShardIds).toEqual(['shardId-p']);
        expect(again.pendingCheckpointState).toEqual(Uint8Array.from([7]));
      });
    });

    describe('renewLease', () => {
      it('bumps the counter by one and changes nothing else', async () => {
        const held = await heldLease({ checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 1 } });
        const renewed = await store.renewLease(held);
        expect(renewed).toEqual({ ...held, leaseCounter: held.leaseCounter + 1 });
        await expect(store.getLease('shardId-0')).resolves.toEqual(renewed);
      });

      it('fails with LeaseLostError on a stale counter, a wrong owner or a deleted lease', async () => {
        const held = await heldLease();
        await store.renewLease(held);
        const stale = await store.renewLease(held).catch((e: unknown) => e);
        expect(stale).toBeInstanceOf(LeaseLostError);
        expect((stale as LeaseLostError).context.leaseKey).toBe('shardId-0');
        expect((stale as LeaseLostError).retryable).toBe(false);

        const current = (await store.getLease('shardId-0')) as Lease;
        await expect(store.renewLease({ ...current, leaseOwner: 'worker-b' })).rejects.toBeInstanceOf(LeaseLostError);
        await store.deleteLease('shardId-0');
        await expect(store.renewLease(current)).rejects.toBeInstanceOf(LeaseLostError);
      });
    });

    describe('takeLease', () => {
      it('takes an unowned lease without counting an owner switch', async () => {
        await store.createLeaseIfNotExists(newLease('shardId-0'));
        const taken = await store.takeLease(newLease('shardId-0'), 'worker-a');
        expect(taken).toMatchObject({ leaseOwner: 'worker-a', leaseCounter: 1, ownerSwitchesSinceCheckpoint: 0 });
      });

      it('steals on the counter alone and counts the owner switch', async () => {
        const held = await heldLease();
        const stolen = await store.takeLease(held, 'worker-b');
        expect(stolen).toMatchObject({ leaseOwner: 'worker-b', leaseCounter: held.leaseCounter + 1, ownerSwitchesSinceCheckpoint: 1 });
        const back = await store.takeLease(stolen, 'worker-a');
        expect(back.ownerSwitchesSinceCheckpoint).toBe(2);
        const same = await store.takeLease(back, 'worker-a');
        expect(same.ownerSwitchesSinceCheckpoint).toBe(2);
      });

      it('fails with LeaseLostError on a stale counter (another worker took it first)', async () => {
        const held = await heldLease();
        await store.takeLease(held, 'worker-b');
        await expect(store.takeLease(held, 'worker-c')).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.getLease('shardId-0')).resolves.toMatchObject({ leaseOwner: 'worker-b' });
      });
    });

    describe('releaseLease', () => {
      it('removes the owner and bumps the counter', async () => {
        const held = await heldLease();
        const released = await store.releaseLease(held);
        expect(released).toEqual({ ...held, leaseOwner: undefined, leaseCounter: held.leaseCounter + 1 });
        await expect(store.getLease('shardId-0')).resolves.toEqual(released);
      });

      it('fails with LeaseLostError when the lease moved on or is not ours', async () => {
        const held = await heldLease();
        await expect(store.releaseLease({ ...held, leaseOwner: 'worker-b' })).rejects.toBeInstanceOf(LeaseLostError);
        await store.renewLease(held);
        await expect(store.releaseLease(held)).rejects.toBeInstanceOf(LeaseLostError);
      });
    });

    describe('checkpoints', () => {
      it('updateCheckpoint writes the checkpoint, resets owner switches and clears a pending checkpoint', async () => {
        await store.createLeaseIfNotExists(newLease('shardId-0', { leaseOwner: 'worker-x', ownerSwitchesSinceCheckpoint: 2 }));
        const held = await store.takeLease((await store.getLease('shardId-0')) as Lease, 'worker-a');
        expect(held.ownerSwitchesSinceCheckpoint).toBe(3);
        const prepared = await store.preparePendingCheckpoint(held, { sequenceNumber: SEQ_2, subSequenceNumber: 0 }, Uint8Array.from([9]));
        const done = await store.updateCheckpoint(prepared, { sequenceNumber: SEQ_1, subSequenceNumber: 4 });
        expect(done).toEqual({
          ...held,
          leaseCounter: held.leaseCounter + 2,
          checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 4 },
          ownerSwitchesSinceCheckpoint: 0,
          pendingCheckpoint: undefined,
          pendingCheckpointState: undefined,
        });
        await expect(store.getLease('shardId-0')).resolves.toEqual(done);
      });

      it('updateCheckpoint sets a pending checkpoint and its state when given', async () => {
        const held = await heldLease();
        const done = await store.updateCheckpoint(
          held,
          { sequenceNumber: SEQ_1, subSequenceNumber: 0 },
          { checkpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 1 }, state: Uint8Array.from([4, 5]) },
        );
        expect(done).toMatchObject({
          pendingCheckpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 1 },
          pendingCheckpointState: Uint8Array.from([4, 5]),
        });
        const withoutState = await store.updateCheckpoint(done, { sequenceNumber: SEQ_1, subSequenceNumber: 1 }, { checkpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 1 } });
        expect(withoutState.pendingCheckpointState).toBeUndefined();
      });

      it('a worker that lost its lease cannot move the checkpoint', async () => {
        const heldByA = await heldLease({ checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 0 } });
        const heldByB = await store.takeLease(heldByA, 'worker-b');
        await expect(store.updateCheckpoint(heldByA, { sequenceNumber: SEQ_2, subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
        // Even with the current counter, a different owner is refused.
        await expect(store.updateCheckpoint({ ...heldByB, leaseOwner: 'worker-a' }, { sequenceNumber: SEQ_2, subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.preparePendingCheckpoint(heldByA, { sequenceNumber: SEQ_2, subSequenceNumber: 0 })).rejects.toBeInstanceOf(LeaseLostError);
        await expect(store.getLease('shardId-0')).resolves.toEqual(heldByB);
      });

      it('preparePendingCheckpoint keeps the checkpoint and replaces pending and state', async () => {
        const held = await heldLease({ checkpoint: { sequenceNumber: SEQ_1, subSequenceNumber: 0 }, ownerSwitchesSinceCheckpoint: 1 });
        const first = await store.preparePendingCheckpoint(held, { sequenceNumber: SEQ_2, subSequenceNumber: 3 }, Uint8Array.from([1]));
        expect(first).toEqual({
          ...held,
          leaseCounter: held.leaseCounter + 1,
          pendingCheckpoint: { sequenceNumber: SEQ_2, subSequenceNumber: 3 },
          pendingCheckpointState: Uint8Array.from([1]),
        });
        const second = await store.preparePendingCheckpoint(first, { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 });
        expect(second).toMatchObject({ pendingCheckpoint: { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 }, pendingCheckpointState: undefined });
        await expect(store.getLease('shardId-0')).resolves.toEqual(second);
      });
    });

    describe('childShardIds, deletion and listing', () => {
      it('updateChildShardIds records the children on the counter alone, and clears them with []', async () => {
        const held = await heldLease();
        const withChildren = await store.updateChildShardIds(held, ['shardId-3', 'shardId-2']);
        expect(withChildren).toEqual({ ...held, leaseCounter: held.leaseCounter + 1, childShardIds: ['shardId-2', 'shardId-3'] });
        await expect(store.updateChildShardIds(held, ['shardId-4'])).rejects.toBeInstanceOf(LeaseLostError);
        const released = await store.releaseLease(withChildren);
        const cleared = await store.updateChildShardIds(released, []);
        expect(cleared.childShardIds).toEqual([]);
        await expect(store.getLease('shardId-0')).resolves.toEqual(cleared);
      });

      it('deleteLease removes a lease; deleting a missing one is no error', async () => {
        await store.createLeaseIfNotExists(newLease('shardId-0'));
        await store.deleteLease('shardId-0');
        await expect(store.getLease('shardId-0')).resolves.toBeUndefined();
        await expect(store.deleteLease('shardId-0')).resolves.toBeUndefined();
        await expect(store.createLeaseIfNotExists(newLease('shardId-0'))).resolves.toBe(true);
      });

      it('listLeases returns every lease across pages', async () => {
        const paged = await makeStore({ listPageSize: 4 });
        await paged.ensureTable();
        const keys = Array.from({ length: 23 }, (_, i) => `shardId-${String(i).padStart(12, '0')}`);
        await Promise.all(keys.map((key) => paged.createLeaseIfNotExists(newLease(key))));
        const listing = await paged.listLeases();
        expect(listing.malformed).toEqual([]);
        expect(listing.leases.map((lease) => lease.leaseKey).sort()).toEqual(keys);
      });
    });
  });
}
