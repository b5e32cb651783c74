import { ListShardsCommand, type ListShardsCommandInput } from '@aws-sdk/client-kinesis';
import { listAllShards, type AwsClientLike } from '@kinesis-toolkit/core';
import { awsCall } from '../awsCall';

/** One shard of the stream as the dashboard shows it (from ListShards). */
export interface StreamShard {
  readonly shardId: string;
  readonly parentShardId: string | undefined;
  readonly adjacentParentShardId: string | undefined;
  /** Decimal strings, inclusive, as Kinesis gives them. */
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  /** No ending sequence number yet: the shard still takes writes. */
  readonly open: boolean;
}

/**
 * Every shard of the stream, open and closed (closed ones until they leave retention), through
 * core's `listAllShards` paging; each page is one ListShards through `awsCall` (a deadline per
 * attempt, core's classifier and retries).
 */
export async function listStreamShards(client: AwsClientLike, streamName: string, signal?: AbortSignal): Promise<StreamShard[]> {
  const shards = await listAllShards((input) => awsCall(client, new ListShardsCommand(input as ListShardsCommandInput), 'Kinesis', { signal, context: { streamName } }), { streamName });
  return shards.map((shard) => ({
    shardId: shard.ShardId!,
    parentShardId: shard.ParentShardId,
    adjacentParentShardId: shard.AdjacentParentShardId,
    startingHashKey: shard.HashKeyRange?.StartingHashKey ?? '0',
    endingHashKey: shard.HashKeyRange?.EndingHashKey ?? '0',
    open: shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
  }));
}
