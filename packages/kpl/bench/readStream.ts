import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard } from '@aws-sdk/client-kinesis';
import { deaggregate } from '@kinesis-toolkit/aggregation';
import { listAllShards } from '@kinesis-toolkit/core';

/** What a stream holds, read back from the start of every shard and de-aggregated. */
export interface StreamContents {
  readonly kinesisRecords: number;
  /** User records inside their shard's hash-key range: what a KCL consumer delivers. */
  readonly userRecords: number;
  /**
   * User records in an aggregate stored on a shard that does not own their hash key. A consumer
   * that checks ranges (the KCL does) drops them; one that does not delivers them from the
   * wrong shard, out of order with the rest of their key.
   */
  readonly outOfRange: number;
  readonly dataBytes: number;
}

/** Reads every shard of `streamName` from TRIM_HORIZON to its end and counts what is there. */
export async function readStream(client: KinesisClient, streamName: string): Promise<StreamContents> {
  const Shards = await listAllShards<Shard>((input) => client.send(new ListShardsCommand(input as ListShardsCommandInput)), { streamName });
  let kinesisRecords = 0;
  let userRecords = 0;
  let outOfRange = 0;
  let dataBytes = 0;
  for (const shard of Shards) {
    const range = { startingHashKey: shard.HashKeyRange!.StartingHashKey!, endingHashKey: shard.HashKeyRange!.EndingHashKey! };
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator !== undefined) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const records = page.Records ?? [];
      if (records.length === 0) break;
      for (const record of records) {
        kinesisRecords++;
        const result = deaggregate(record, { shardHashKeyRange: range });
        userRecords += result.records.length;
        outOfRange += result.outOfRange.length;
        for (const userRecord of result.records) dataBytes += userRecord.data.length;
        for (const userRecord of result.outOfRange) dataBytes += userRecord.data.length;
      }
      iterator = page.NextShardIterator;
    }
  }
  return { kinesisRecords, userRecords, outOfRange, dataBytes };
}
