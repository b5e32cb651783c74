/**
 * The way Node.js users catch up on a stream without a KCL: per shard, a TRIM_HORIZON iterator
 * and a GetRecords loop, each Kinesis record de-aggregated with aws-kinesis-agg's
 * `deaggregateSync` (MD5 verified), all shards in parallel, until a page comes back empty.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { GetRecordsCommand, GetShardIteratorCommand, type _Record, type KinesisClient } from '@aws-sdk/client-kinesis';
import * as awsKinesisAggModule from 'aws-kinesis-agg';

/** The part of aws-kinesis-agg driven here (its own typings need aws-sdk v2 and aws-lambda). */
interface AwsKinesisAgg {
  deaggregateSync(record: _Record, computeChecksums: boolean, afterRecords: (error: Error | null | undefined, userRecords?: readonly unknown[]) => void): void;
}
const awsKinesisAgg = awsKinesisAggModule as unknown as AwsKinesisAgg;

/** How the loop reads. */
export interface NaiveReadOptions {
  /** GetRecords `Limit`. */
  readonly limit: number;
  /** Pause after every page with records: 0 in the naive loop; 200 copies the Worker's pacing. */
  readonly pauseMs: number;
  /** De-aggregate (false: fetch only, the part of the work no consumer can skip). */
  readonly deaggregate: boolean;
}

/** What the loop read. */
export interface NaiveReadResult {
  readonly kinesisRecords: number;
  /** User records de-aggregated (0 when fetching only). */
  readonly userRecords: number;
  /** `performance.now()` when the last page with records had been handled: caught up. */
  readonly caughtUpAtMs: number;
}

/** Reads every shard in `shardIds` from TRIM_HORIZON until it has nothing more. */
export async function readWithAwsKinesisAgg(client: KinesisClient, streamName: string, shardIds: readonly string[], options: NaiveReadOptions): Promise<NaiveReadResult> {
  let kinesisRecords = 0;
  let userRecords = 0;
  let caughtUpAtMs = performance.now();
  const countUserRecords = (error: Error | null | undefined, records?: readonly unknown[]): void => {
    if (error) throw error;
    userRecords += records!.length;
  };
  await Promise.all(
    shardIds.map(async (shardId) => {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
      let iterator = ShardIterator;
      while (iterator !== undefined) {
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: options.limit }));
        const records = page.Records ?? [];
        if (records.length === 0) break;
        kinesisRecords += records.length;
        if (options.deaggregate) for (const record of records) awsKinesisAgg.deaggregateSync(record, true, countUserRecords);
        caughtUpAtMs = performance.now();
        iterator = page.NextShardIterator;
        if (options.pauseMs > 0) await sleep(options.pauseMs);
      }
    }),
  );
  return { kinesisRecords, userRecords, caughtUpAtMs };
}
