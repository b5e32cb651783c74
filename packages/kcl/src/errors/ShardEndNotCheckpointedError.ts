import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** The processor returned from `shardEnded` without checkpointing: the shard is not marked done. */
export class ShardEndNotCheckpointedError extends KinesisToolkitError {
  constructor(shardId: string) {
    super('SHARD_END_NOT_CHECKPOINTED', `${shardId}: shardEnded() returned without checkpointer.checkpoint(); children stay blocked`, {
      retryable: true,
      context: { shardId, leaseKey: shardId },
    });
  }
}
