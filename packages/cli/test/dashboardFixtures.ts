import type { Lease } from '@kinesis-toolkit/kcl';

/**
 * A lease for the dashboard's unit tests: owned by `leaseOwner` (undefined: nobody), at
 * `leaseCounter`, checkpointed at `sequenceNumber` (a sequence number or a sentinel).
 */
export function leaseOf(leaseKey: string, leaseOwner: string | undefined, leaseCounter = 1, sequenceNumber = '100'): Lease {
  return {
    leaseKey,
    leaseOwner,
    leaseCounter,
    checkpoint: { sequenceNumber, subSequenceNumber: 0 },
    pendingCheckpoint: undefined,
    pendingCheckpointState: undefined,
    ownerSwitchesSinceCheckpoint: 0,
    parentShardIds: [],
    childShardIds: [],
    hashKeyRange: undefined,
  };
}
