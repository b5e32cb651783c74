import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { deaggregate } from '@kinesis-toolkit/aggregation';

/** Every user record on the stream (de-aggregated), as text, in no particular order across shards. */
export async function readStream(kinesis: KinesisClient, streamName: string): Promise<string[]> {
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const out: string[] = [];
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) out.push(...deaggregate(record).records.map((r) => r.data.toString('utf8')));
      if ((page.Records ?? []).length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return out;
}
