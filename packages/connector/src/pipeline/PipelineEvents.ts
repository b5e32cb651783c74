import type { FailureRecord } from '../failures/FailureRecord';

/** Why a buffer was flushed. */
export type FlushReason = 'count' | 'bytes' | 'age' | 'shutdown' | 'shardEnd';

/** A flushed batch that is done: every item emitted or dead-lettered. */
export interface FlushedEvent {
  readonly shardId: string;
  readonly batchId: string;
  /** Items emitted (successfully, in the end). */
  readonly records: number;
  /** Bytes the buffer counted for the batch. */
  readonly bytes: number;
  /** Records of the batch that went to the failure sink (transform and emit failures). */
  readonly deadLettered: number;
  /** Emit attempts the batch took (0 when nothing was left to emit). */
  readonly attempts: number;
  /** From the flush to done, by the pipeline's clock. */
  readonly durationMs: number;
  /** Age of the batch's oldest record when the buffer was flushed (from its entering the buffer), by the pipeline's clock. */
  readonly bufferAgeMs: number;
  readonly reason: FlushReason;
}

/** An emit attempt left items undone. */
export interface EmitFailedEvent {
  readonly shardId: string;
  readonly batchId: string;
  readonly attempt: number;
  /** How many items were not written (to retry, or refused for good). */
  readonly failed: number;
  /** How many of them were refused for good (not retryable): they go to the failure sink without another attempt. */
  readonly rejected: number;
  readonly error: Error;
}

/** Items failed every allowed attempt and there is no failure sink: they are retried on and block the checkpoint. */
export interface RetriesExhaustedEvent {
  readonly shardId: string;
  readonly batchId: string;
  readonly attempts: number;
  /** Records waiting (items still failing, plus transform failures). */
  readonly records: number;
  readonly error: Error;
}

/** Failure records the failure sink accepted. */
export interface DeadLetteredEvent {
  readonly shardId: string;
  readonly batchId: string;
  readonly records: readonly FailureRecord[];
}

/** The failure sink threw: the records are tried again later and nothing is checkpointed past them. */
export interface FailureSinkFailedEvent {
  readonly shardId: string;
  readonly batchId: string;
  readonly records: number;
  readonly error: Error;
}

/** A record the transformer (or filter) rejected; it goes to the failure sink with the batch it falls in. */
export interface TransformFailedEvent {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly error: Error;
}

/** A checkpoint written (`SHARD_END` when a shard ended). */
export interface CheckpointedEvent {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  /**
   * From the first record of the oldest batch this checkpoint covers entering the buffer to the
   * checkpoint written, by the pipeline's clock (undefined for `SHARD_END` with nothing pending).
   */
  readonly lagMs?: number;
}

/** A checkpoint write failed; it is tried again after the next flush or at shutdown. */
export interface CheckpointFailedEvent {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  readonly error: Error;
}

/** Events a pipeline emits (`pipeline.on(name, listener)`), for every shard it processes. */
export interface PipelineEvents {
  flushed: [event: FlushedEvent];
  emitFailed: [event: EmitFailedEvent];
  retriesExhausted: [event: RetriesExhaustedEvent];
  deadLettered: [event: DeadLetteredEvent];
  failureSinkFailed: [event: FailureSinkFailedEvent];
  transformFailed: [event: TransformFailedEvent];
  checkpointed: [event: CheckpointedEvent];
  checkpointFailed: [event: CheckpointFailedEvent];
}
