/** What every operation event has: the Java KCL's Success and Time of a task. */
interface OperationOutcome {
  readonly success: boolean;
  /** When it ended, in epoch milliseconds. */
  readonly timestamp: number;
  readonly durationMs: number;
}

/** A batch handed to the processor (the KCL's ProcessTask). */
export interface ProcessTaskEvent extends OperationOutcome {
  readonly operation: 'ProcessTask';
  readonly shardId: string;
  /** Records handed to processRecords (after de-aggregation). */
  readonly records: number;
  /** Their data bytes. */
  readonly bytes: number;
  /** The batch's MillisBehindLatest, when the service sent one. */
  readonly millisBehindLatest: number | undefined;
  /** Time in processRecords, retries included. */
  readonly processRecordsTimeMs: number;
}

/** One renewal of a held lease. */
export interface LeaseRenewal {
  readonly shardId: string;
  readonly success: boolean;
  readonly durationMs: number;
}

/** A renewal round (the KCL's RenewAllLeases), once every renewal it started has settled. */
export interface RenewAllLeasesEvent extends OperationOutcome {
  readonly operation: 'RenewAllLeases';
  /** Leases held after the round. */
  readonly currentLeases: number;
  /** Leases lost since the previous round's event, whatever the cause (a renewal found the lease taken, the drop time passed, a scan saw it taken). */
  readonly lostLeases: number;
  readonly renewals: readonly LeaseRenewal[];
}

/** A taking round (the KCL's TakeLeases). */
export interface TakeLeasesEvent extends OperationOutcome {
  readonly operation: 'TakeLeases';
  /** The scan of the lease table. */
  readonly listLeases: { readonly success: boolean; readonly durationMs: number };
  /** Workers, as this worker counts them (itself included). */
  readonly numWorkers: number;
  /** Leases this worker needs for an even spread (0 when it has enough). */
  readonly neededLeases: number;
  /** Leases it tried to take. */
  readonly leasesToTake: number;
  /** Leases it took. */
  readonly takenLeases: number;
  /** Unfinished leases of the application. */
  readonly totalLeases: number;
  /** Unfinished leases no worker holds (unowned or expired). */
  readonly expiredLeases: number;
  /** Each take tried. */
  readonly takes: readonly LeaseRenewal[];
}

/** A shard sync (the KCL's ShardSyncTask). */
export interface ShardSyncTaskEvent extends OperationOutcome {
  readonly operation: 'ShardSyncTask';
  readonly createdLeases: number;
  readonly deletedLeases: number;
}

/** A processor made and initialised (the KCL's InitializeTask). */
export interface InitializeTaskEvent extends OperationOutcome {
  readonly operation: 'InitializeTask';
  readonly shardId: string;
  /** Time in the processor factory and `initialize`, retries included. */
  readonly processorTimeMs: number;
}

/** A shard consumer's end (the KCL's ShutdownTask): shard end, shutdown, lease loss or failure. */
export interface ShutdownTaskEvent extends OperationOutcome {
  readonly operation: 'ShutdownTask';
  readonly shardId: string;
  readonly reason: 'shardEnded' | 'shutdown' | 'leaseLost' | 'failed';
  /** Time in the processor's `shardEnded`, `shutdownRequested` or `leaseLost`. */
  readonly processorTimeMs: number;
}

/** A child shard's wait until its parents are finished (the KCL's BlockOnParentTask). */
export interface BlockOnParentTaskEvent extends OperationOutcome {
  readonly operation: 'BlockOnParentTask';
  readonly shardId: string;
}

/** The worker's operations, as the Java KCL times them for its metrics (the `Operation` dimension). */
export type OperationEvent = ProcessTaskEvent | RenewAllLeasesEvent | TakeLeasesEvent | ShardSyncTaskEvent | InitializeTaskEvent | ShutdownTaskEvent | BlockOnParentTaskEvent;

/** One GetRecords call (polling): the KCL's KinesisDataFetcher.getRecords. */
export interface RecordsFetchedEvent {
  readonly shardId: string;
  readonly success: boolean;
  /** When it ended, in epoch milliseconds. */
  readonly timestamp: number;
  readonly durationMs: number;
  readonly records: number;
  readonly millisBehindLatest: number | undefined;
  /** The AWS error code of a failed call (`ExpiredIteratorException`, …). */
  readonly errorCode: string | undefined;
}
