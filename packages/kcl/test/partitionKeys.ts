import { ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { hashKeyOf } from '@kinesis-toolkit/aggregation';

/** A shard and its hash-key range, as ListShards gives it. */
export interface ShardRange {
  readonly shardId: string;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  /** Whether the shard is closed (it has an ending sequence number). */
  readonly closed: boolean;
}

/** Every shard of a stream (all pages), sorted by id. */
export async function listShardRanges(kinesis: KinesisClient, streamName: string): Promise<ShardRange[]> {
  const shards: ShardRange[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const shard of page.Shards ?? []) {
      shards.push({
        shardId: shard.ShardId!,
        startingHashKey: shard.HashKeyRange!.StartingHashKey!,
        endingHashKey: shard.HashKeyRange!.EndingHashKey!,
        closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
      });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return shards.sort((a, b) => (a.shardId < b.shardId ? -1 : a.shardId > b.shardId ? 1 : 0));
}

/** Whether a partition key's MD5 hash key falls in the range. */
export function hashesInto(partitionKey: string, range: { readonly startingHashKey: string; readonly endingHashKey: string }): boolean {
  const hashKey = hashKeyOf(partitionKey);
  return hashKey >= BigInt(range.startingHashKey) && hashKey <= BigInt(range.endingHashKey);
}

/** `count` partition keys `${prefix}-${n}` whose hash keys fall in the range (found by trying n = 0, 1, 2...). */
export function partitionKeysIn(range: { readonly startingHashKey: string; readonly endingHashKey: string }, count: number, prefix: string): string[] {
  const keys: string[] = [];
  for (let n = 0; keys.length < count; n++) {
    if (n > 100_000 * count) throw new Error(`no ${count} keys with prefix ${prefix} hash into ${range.startingHashKey}..${range.endingHashKey}`);
    const key = `${prefix}-${n}`;
    if (hashesInto(key, range)) keys.push(key);
  }
  return keys;
}
