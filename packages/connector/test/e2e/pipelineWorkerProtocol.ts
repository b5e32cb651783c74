// What a pipeline worker child process (pipelineWorkerChild.ts) and the test that forks it
// (PipelineWorkerProcess.ts) say to each other over the IPC channel. Types only.

/** How the child runs; passed as JSON in `argv[2]`. */
export interface PipelineWorkerOptions {
  readonly workerId: string;
  readonly streamName: string;
  readonly applicationName: string;
  readonly kinesisEndpoint: string;
  readonly dynamodbEndpoint: string;
  readonly failoverTimeMs: number;
  /** PostgreSQL to load into, and the table (columns `id`, `name` plus the position columns). */
  readonly connectionString: string;
  readonly table: string;
  readonly maxRecords: number;
  /** How long each emit lingers after PostgreSQL committed the batch, before it returns: where a kill lands. */
  readonly emitDelayMs: number;
}

/** A position in a shard. */
export interface ReportedPosition {
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/** Every message from the child; `at` is the child's `Date.now()` when it was sent. */
export type PipelineWorkerMessage =
  | { readonly type: 'started'; readonly at: number }
  | { readonly type: 'startFailed'; readonly at: number; readonly error: string }
  /** Sent (and written to the pipe) after PostgreSQL committed a batch and before the emit returns. */
  | { readonly type: 'emitted'; readonly at: number; readonly shardId: string; readonly batchId: string; readonly items: number; readonly first: ReportedPosition; readonly last: ReportedPosition }
  | { readonly type: 'checkpointed'; readonly at: number; readonly shardId: string; readonly position: ReportedPosition };
