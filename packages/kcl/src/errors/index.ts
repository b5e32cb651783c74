import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A checkpoint position outside what is allowed: before the last checkpoint, or past what was delivered. */
export class InvalidCheckpointError extends KinesisToolkitError {
  constructor(shardId: string, message: string) {
    super('InvalidCheckpoint', `${shardId}: ${message}`, { retryable: false, context: { shardId, leaseKey: shardId } });
  }
}

/** The processor returned from `shardEnded` without checkpointing: the shard is not marked done. */
export class ShardEndNotCheckpointedError extends KinesisToolkitError {
  constructor(shardId: string) {
    super('ShardEndNotCheckpointed', `${shardId}: shardEnded() returned without checkpointer.checkpoint(); children stay blocked`, {
      retryable: true,
      context: { shardId, leaseKey: shardId },
    });
  }
}

/** The processor (or the worker's use of Kinesis) failed on a shard; the batch is retried. */
export class ShardProcessingError extends KinesisToolkitError {
  constructor(shardId: string, stage: string, cause: unknown) {
    super('ShardProcessing', `${shardId}: ${stage} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      retryable: true,
      cause,
      context: { shardId, leaseKey: shardId },
    });
  }
}
