import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { KinesisToolkitError } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { MalformedLeaseError } from '../leases/errors';
import type { ShardFailedError, WorkerFailedError } from '../errors';
import type { OperationEvent, RecordsFetchedEvent } from './OperationEvents';

/**
 * Why a held lease stopped being held here (`leaseLost`, and the warn line logged with it):
 * - `renewalDeadlinePassed`: no renewal (or checkpoint) got through within failoverTimeMs −
 *   leaseRenewalIntervalMs of the last one sent — they failed, or hung until that deadline — so the
 *   lease was dropped here before another worker could take it (an overloaded worker, a slow lease table);
 * - `takenByOtherWorker`: the lease table shows another worker (`newOwner`) holding it;
 * - `leaseChanged`: a conditional write (a renewal, a checkpoint) found the lease moved on in the
 *   table — another worker took or renewed it, or it was deleted.
 */
export type LeaseLostReason = 'renewalDeadlinePassed' | 'takenByOtherWorker' | 'leaseChanged';

/** What `leaseLost` tells: which lease, why, and how its renewals had gone. */
export interface LeaseLostEvent {
  readonly shardId: string;
  readonly reason: LeaseLostReason;
  /** The worker the table showed holding it (`takenByOtherWorker`). */
  readonly newOwner?: string | undefined;
  /** Renewal attempts of this lease that had failed in a row (one hanging when it was lost is not counted: see `renewalInFlight`). */
  readonly consecutiveFailures: number;
  /** Whether a renewal was still waiting for its answer when the lease was lost (it hung until the deadline). */
  readonly renewalInFlight: boolean;
  /** Time since the last write that moved the lease's counter (a renewal, a checkpoint, the take) was answered. */
  readonly msSinceLastRenewal: number;
}

/**
 * Events a {@link Worker} emits. Failures surface here (and in the log) under the worker's error
 * policy (README, "Errors"): `processorError` is retried, `shardError` stops a shard, `workerError`
 * stops the worker.
 */
export interface WorkerEvents {
  /**
   * This worker took a lease. `how`: `unowned` (released, or never held), `expired` (its owner
   * stopped renewing for failoverTimeMs: dead), `handedOver` (asked for to balance, and its owner
   * finished and let go: nothing is read twice), `handoffTimedOut` (asked for, but the owner did not
   * let go within gracefulLeaseHandoffTimeoutMs: taken anyway), `stolen` (taken from a live owner
   * at once: gracefulLeaseHandoffTimeoutMs 0).
   */
  leaseTaken: [event: { shardId: string; previousOwner: string | undefined; how: 'unowned' | 'expired' | 'handedOver' | 'handoffTimedOut' | 'stolen' }];
  /**
   * Another worker asked for a lease this worker holds (to balance): its processor hears
   * `shutdownRequested` (checkpoint there), then the lease passes to `newOwner`.
   */
  leaseHandoffRequested: [event: { shardId: string; newOwner: string }];
  /** A shard's processor has been initialised and records flow. */
  leaseProcessing: [event: { shardId: string; checkpoint: ExtendedSequenceNumber }];
  /**
   * This worker no longer holds a lease it held (`reason`: see {@link LeaseLostReason}); its processor
   * hears `leaseLost()`. Logged at warn with the same fields. Another worker may now process the shard.
   */
  leaseLost: [event: LeaseLostEvent];
  /**
   * A shard was read to its end and checkpointed SHARD_END; its children may start. `childShardsFrom`
   * says where the children came from: the last answer's `ChildShards`, or ListShards when it had none.
   */
  shardEnded: [event: { shardId: string; childShardIds: string[]; childShardsFrom: 'ChildShards' | 'ListShards' }];
  /** Sub-records of an aggregate whose hash keys the shard does not own (not delivered; reported). */
  recordsOutOfRange: [event: { shardId: string; records: UserRecord[] }];
  /** A record with the aggregation magic that failed to decode; delivered as one plain record. */
  corruptRecord: [event: { shardId: string; sequenceNumber: string; reason: string }];
  /** A lease table item this worker cannot read; skipped. */
  malformedLease: [error: MalformedLeaseError];
  /** A processor callback threw (the batch is retried) or shardEnded forgot to checkpoint. */
  processorError: [error: KinesisToolkitError];
  /**
   * A shard's consumer stopped on a failure retrying cannot fix (a `ShardFailedError`; `cause` is the
   * AWS or lease-table error). The shard is released and not taken again by this worker; if the
   * failure concerns the whole stream or the lease table, `workerError` follows.
   */
  shardError: [error: ShardFailedError];
  /** The worker cannot go on (a `WorkerFailedError`: stream gone, access denied, lease table gone, a bad processor): it shuts down. */
  workerError: [error: WorkerFailedError];
  /**
   * An operation finished, as the Java KCL times it for its metrics: ProcessTask (each batch),
   * RenewAllLeases, TakeLeases, ShardSyncTask, InitializeTask, ShutdownTask, BlockOnParentTask.
   * Built only while something listens (the `metrics` option listens).
   */
  operation: [event: OperationEvent];
  /** A GetRecords call answered or failed (polling). Built only while something listens. */
  recordsFetched: [event: RecordsFetchedEvent];
}

/** The emitting side, as consumers and the coordinator see it. */
export interface WorkerEventSink {
  emit<K extends keyof WorkerEvents>(event: K, ...args: WorkerEvents[K]): boolean;
  /** How many listeners an event has: events no one hears are not built. Without it, no such event is built. */
  listenerCount?(event: keyof WorkerEvents): number;
}

/** Whether anyone hears `event` (an event nobody hears is not built). */
export function listening(events: WorkerEventSink, event: keyof WorkerEvents): boolean {
  return (events.listenerCount?.(event) ?? 0) > 0;
}
