/** Checkpoint values that are not sequence numbers, as the Java KCL writes them. */
export type SentinelCheckpoint = 'TRIM_HORIZON' | 'LATEST' | 'SHARD_END' | 'AT_TIMESTAMP';

/**
 * A position in a shard: a sequence number (or a sentinel) and the sub-sequence number of a user
 * record within an aggregate (0 for records that were not aggregated). The KCL's
 * `ExtendedSequenceNumber`.
 */
export interface ExtendedSequenceNumber {
  readonly sequenceNumber: string | SentinelCheckpoint;
  readonly subSequenceNumber: number;
}

/**
 * One lease: the right of one worker to process one shard, and that shard's progress. Mirrors a
 * lease table item as the Java KCL 2.x writes it (see `LeaseSerializer`).
 */
export interface Lease {
  /** The shard id (the table's hash key). */
  readonly leaseKey: string;
  /**
   * The worker holding it; undefined when nobody does. During a graceful handoff (see
   * `checkpointOwner`) this is already the worker the lease is being handed to.
   */
  readonly leaseOwner: string | undefined;
  /**
   * KCL 3.x `checkpointOwner`: set only while a lease is being handed over gracefully — another
   * worker (now `leaseOwner`) asked for it, and this worker, its owner until then, is finishing
   * (its processor checkpoints in `shutdownRequested`) before it lets go. Absent otherwise.
   */
  readonly checkpointOwner?: string | undefined;
  /** Bumped by every renewal, take and checkpoint: the fencing token of conditional writes. */
  readonly leaseCounter: number;
  readonly checkpoint: ExtendedSequenceNumber;
  /** A checkpoint prepared but not yet committed (`prepareCheckpoint`). */
  readonly pendingCheckpoint: ExtendedSequenceNumber | undefined;
  /** Opaque state stored with a prepared checkpoint. */
  readonly pendingCheckpointState: Uint8Array | undefined;
  readonly ownerSwitchesSinceCheckpoint: number;
  /**
   * One parent for a split child, two for a merge child, none for an original shard. Stored as a
   * string set (attribute `parentShardId`): stores return it deduplicated and sorted.
   */
  readonly parentShardIds: readonly string[];
  /** The shard's children once it has ended (attribute `childShardIds`); deduplicated and sorted like the parents. */
  readonly childShardIds: readonly string[];
  /** The shard's hash-key range (decimal strings), when known. */
  readonly hashKeyRange: { readonly startingHashKey: string; readonly endingHashKey: string } | undefined;
}

/**
 * The worker processing a lease now (the KCL 3.x "actual owner"): during a graceful handoff the
 * previous owner (`checkpointOwner`), which finishes before it lets go; otherwise `leaseOwner`.
 */
export function actualOwnerOf(lease: Pick<Lease, 'leaseOwner' | 'checkpointOwner'>): string | undefined {
  return lease.checkpointOwner ?? lease.leaseOwner;
}
