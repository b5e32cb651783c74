import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A shard list cannot make a shard map: a range is missing or malformed, or open shards overlap. */
export class InvalidShardMapError extends KinesisToolkitError {
  constructor(message: string, shardId?: string) {
    super('InvalidShardMap', message, { retryable: false, context: shardId === undefined ? {} : { shardId } });
  }
}
