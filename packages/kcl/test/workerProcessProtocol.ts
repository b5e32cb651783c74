// What a worker child process (test/workerProcessChild.ts) and the test that forks it
// (test/WorkerProcess.ts) say to each other over the IPC channel. Types only.

/** How the child runs its worker; passed as JSON in `argv[2]`. */
export interface WorkerProcessOptions {
  readonly workerId: string;
  readonly streamName: string;
  readonly applicationName: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly failoverTimeMs: number;
  readonly idleTimeBetweenReadsMs: number;
  readonly initialPosition: 'TRIM_HORIZON' | 'LATEST';
  /** Simulated work per batch, between reporting the records and checkpointing them. @defaultValue 0 */
  readonly batchProcessingMs?: number;
  /**
   * Checkpoint after every this many batches (and always in `shutdownRequested`), as a processor
   * that batches its checkpoints does: a lease taken from it mid-way is read again from there. @defaultValue 1
   */
  readonly checkpointEveryBatches?: number;
  /** The worker's `gracefulLeaseHandoffTimeoutMs`. @defaultValue the worker's default */
  readonly gracefulLeaseHandoffTimeoutMs?: number;
}

/** A position in a shard, as the child reports it. */
export interface ReportedPosition {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/** A user record as delivered to the child's processor. */
export interface ReportedRecord extends ReportedPosition {
  /** The record's bytes as UTF-8 (the tests write ASCII ids). */
  readonly data: string;
  readonly partitionKey: string;
}

/** The worker events the child forwards (`WorkerEvents` names). */
export type ForwardedEventName =
  | 'leaseTaken'
  | 'leaseProcessing'
  | 'leaseLost'
  | 'leaseHandoffRequested'
  | 'shardEnded'
  | 'recordsOutOfRange'
  | 'corruptRecord'
  | 'malformedLease'
  | 'processorError'
  | 'shardError';

/** Every message from the child; `at` is the child's `Date.now()` when it was sent. */
export type WorkerMessage =
  | { readonly type: 'started'; readonly at: number; readonly pid: number }
  | { readonly type: 'startFailed'; readonly at: number; readonly error: string }
  | { readonly type: 'initialize'; readonly at: number; readonly shardId: string; readonly startingSequenceNumber: ReportedPosition }
  /** Sent, and its delivery to the OS pipe awaited, before the batch is checkpointed. */
  | { readonly type: 'records'; readonly at: number; readonly shardId: string; readonly records: ReportedRecord[] }
  | { readonly type: 'checkpointed'; readonly at: number; readonly shardId: string; readonly position: ReportedPosition }
  | { readonly type: 'checkpointFailed'; readonly at: number; readonly shardId: string; readonly errorName: string; readonly error: string }
  | { readonly type: 'processorLeaseLost'; readonly at: number; readonly shardId: string }
  | { readonly type: 'shutdownRequested'; readonly at: number; readonly shardId: string; readonly checkpointed: ReportedPosition | undefined }
  | {
      readonly type: 'event';
      readonly at: number;
      readonly name: ForwardedEventName;
      readonly shardId: string | undefined;
      readonly previousOwner?: string;
      /** leaseTaken: how (unowned, expired, handedOver, handoffTimedOut, stolen). */
      readonly how?: string;
      readonly detail?: string;
    }
  | { readonly type: 'held'; readonly at: number; readonly requestId: number; readonly shardIds: string[] }
  | { readonly type: 'stopped'; readonly at: number; readonly shutdownMs: number };

/** Messages to the child. */
export type WorkerCommand = { readonly type: 'reportHeld'; readonly requestId: number };
