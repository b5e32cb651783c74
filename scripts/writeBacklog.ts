import { ListShardsCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate, ShardMap, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import { check } from './bench-harness';

/** Shared by the benchmarks of kcl and connector. Aggregates per PutRecords: 64 × 50 KiB stays well under kinesalite's 7 MiB base64 body limit. */
const AGGREGATES_PER_REQUEST = 64;

/** What {@link writeBacklog} stored. */
export interface Backlog {
  readonly shardIds: readonly string[];
  readonly userRecords: number;
  readonly aggregates: number;
  readonly dataBytes: number;
}

/**
 * Stores `records` as a KPL producer would: grouped by the shard their partition key hashes to,
 * packed in order into aggregates of at most `aggregateMaxBytes`, each put with its first record's
 * explicit hash key so it lands on that shard. Shards are written in parallel, each in order.
 */
export async function writeBacklog(client: KinesisClient, streamName: string, records: readonly UserRecordInput[], aggregateMaxBytes: number): Promise<Backlog> {
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: streamName }));
  const shardMap = ShardMap.fromShards(Shards);
  const byShard = new Map<string, UserRecordInput[]>(shardMap.shards.map((shard) => [shard.shardId, []]));
  let dataBytes = 0;
  for (const record of records) {
    byShard.get(shardMap.shardForRecord(record)!.shardId)!.push(record);
    dataBytes += record.data.length;
  }
  const aggregatesPerShard = await Promise.all(
    [...byShard.values()].map(async (shardRecords) => {
      const aggregates = aggregate(shardRecords, { maxBytes: aggregateMaxBytes });
      for (let i = 0; i < aggregates.length; i += AGGREGATES_PER_REQUEST) {
        const entries = aggregates.slice(i, i + AGGREGATES_PER_REQUEST).map((a) => ({ PartitionKey: a.partitionKey, ExplicitHashKey: a.explicitHashKey, Data: a.data }));
        const out = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: entries }));
        check((out.FailedRecordCount ?? 0) === 0, `the backlog's PutRecords failed ${out.FailedRecordCount} entries`);
      }
      return aggregates.length;
    }),
  );
  return {
    shardIds: [...byShard.keys()],
    userRecords: records.length,
    aggregates: aggregatesPerShard.reduce((sum, n) => sum + n, 0),
    dataBytes,
  };
}
