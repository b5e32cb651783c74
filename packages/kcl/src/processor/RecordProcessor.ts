import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { Checkpointer } from '../checkpoint/Checkpointer';

/** Passed to {@link RecordProcessor.initialize}. */
export interface InitializationInput {
  readonly shardId: string;
  /** Where processing resumes: the lease's checkpoint (a sequence number or a sentinel). */
  readonly startingSequenceNumber: ExtendedSequenceNumber;
  /** A checkpoint a previous owner prepared but did not commit, if any. */
  readonly pendingCheckpoint?: ExtendedSequenceNumber;
  readonly pendingCheckpointState?: Uint8Array;
}

/** Passed to {@link RecordProcessor.processRecords}. */
export interface ProcessRecordsInput {
  /** De-aggregated user records, in shard order, each with its sequence and sub-sequence number. */
  readonly records: readonly UserRecord[];
  /** How far behind the tip of the shard this batch is (from GetRecords). */
  readonly millisBehindLatest: number | undefined;
  readonly checkpointer: Checkpointer;
}

/**
 * What a worker runs for each shard it holds — the Java KCL's lifecycle. Only
 * `processRecords` and `shardEnded` are required.
 */
export interface RecordProcessor {
  initialize?(input: InitializationInput): void | Promise<void>;
  /** A batch; the next one comes only after this promise settles. A throw retries the same batch. */
  processRecords(input: ProcessRecordsInput): void | Promise<void>;
  /** Another worker took the lease: stop, do not checkpoint (it would fail). */
  leaseLost?(): void | Promise<void>;
  /** The shard is closed and fully read: call `checkpointer.checkpoint()` so its children can start. */
  shardEnded(input: { readonly checkpointer: Checkpointer }): void | Promise<void>;
  /**
   * The worker is shutting down, or another worker asked for this shard (a graceful handoff, to
   * balance): checkpoint what you have finished; the lease is released next (to that worker).
   */
  shutdownRequested?(input: { readonly checkpointer: Checkpointer }): void | Promise<void>;
}
