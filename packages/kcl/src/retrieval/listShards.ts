import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';

/** Every shard of a stream, open and closed (all pages of ListShards). */
export async function listShards(kinesis: KinesisClient, stream: { readonly streamName: string | undefined; readonly streamARN: string | undefined }): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: stream.streamName, StreamARN: stream.streamARN }),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}
