import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type ListShardsCommandInput, type Shard } from '@aws-sdk/client-kinesis';
import { deaggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { listAllShards, ShardLineage } from '@kinesis-toolkit/core';

/** A user record read back from the stream, with the shard that holds it. */
export interface StoredUserRecord extends UserRecord {
  readonly shardId: string;
}

/** Everything in a stream: user records of every shard (de-aggregated), and any outside their shard's range. */
export interface StreamContents {
  readonly records: StoredUserRecord[];
  readonly outOfRange: StoredUserRecord[];
  readonly kinesisRecords: number;
  readonly shards: Shard[];
}

/** Reads every shard of a stream from TRIM_HORIZON to its current end (test helper). */
export async function readStream(client: KinesisClient, streamName: string): Promise<StreamContents> {
  const shards = await listAllShards<Shard>((input) => client.send(new ListShardsCommand(input as ListShardsCommandInput)), { streamName });
  const records: StoredUserRecord[] = [];
  const outOfRange: StoredUserRecord[] = [];
  let kinesisRecords = 0;
  for (const shard of shards) {
    let { ShardIterator: iterator } = await client.send(
      new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
      for (const record of page.Records ?? []) {
        kinesisRecords++;
        const result = deaggregate(record, {
          shardHashKeyRange: { startingHashKey: shard.HashKeyRange!.StartingHashKey!, endingHashKey: shard.HashKeyRange!.EndingHashKey! },
        });
        for (const r of result.records) records.push({ ...r, shardId: shard.ShardId! });
        for (const r of result.outOfRange) outOfRange.push({ ...r, shardId: shard.ShardId! });
      }
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return { records, outOfRange, kinesisRecords, shards };
}

/**
 * The user records of a stream as a consumer that follows the shard lineage reads them — every
 * shard finished before its children (core's ShardLineage), each in sequence order — keeping only
 * those inside the range of the shard that holds them (a KCL consumer drops the others: copies the
 * producer re-sent after an aggregate landed on a shard that does not own them).
 */
export async function readAlongLineage(client: KinesisClient, streamName: string): Promise<StreamContents> {
  const contents = await readStream(client, streamName);
  const lineage = ShardLineage.fromSdkShards(contents.shards);
  const byShard = new Map<string, StoredUserRecord[]>();
  for (const record of contents.records) {
    const list = byShard.get(record.shardId) ?? [];
    list.push(record);
    byShard.set(record.shardId, list);
  }
  return { ...contents, records: lineage.parentsFirst().flatMap((shardId) => byShard.get(shardId) ?? []) };
}
