import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { KinesisToolkitError } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { MalformedLeaseError } from '../leases/errors';

/** Events a {@link Worker} emits. Failures surface here (and in the log); none stops the worker. */
export interface WorkerEvents {
  /** This worker took a lease (expired, unowned or stolen). */
  leaseTaken: [event: { shardId: string; previousOwner: string | undefined }];
  /** A shard's processor has been initialised and records flow. */
  leaseProcessing: [event: { shardId: string; checkpoint: ExtendedSequenceNumber }];
  /** Another worker took a lease this worker held; its processor heard `leaseLost()`. */
  leaseLost: [event: { shardId: string }];
  /** A shard was read to its end and checkpointed SHARD_END; its children may start. */
  shardEnded: [event: { shardId: string; childShardIds: string[] }];
  /** Sub-records of an aggregate whose hash keys the shard does not own (not delivered; reported). */
  recordsOutOfRange: [event: { shardId: string; records: UserRecord[] }];
  /** A record with the aggregation magic that failed to decode; delivered as one plain record. */
  corruptRecord: [event: { shardId: string; sequenceNumber: string; reason: string }];
  /** A lease table item this worker cannot read; skipped. */
  malformedLease: [error: MalformedLeaseError];
  /** A processor callback threw (the batch is retried) or shardEnded forgot to checkpoint. */
  processorError: [error: KinesisToolkitError];
  /** An unexpected failure in a shard's consumer or the lease coordinator. */
  shardError: [error: KinesisToolkitError];
}

/** The emitting side, as consumers and the coordinator see it. */
export interface WorkerEventSink {
  emit<K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]): boolean;
}
