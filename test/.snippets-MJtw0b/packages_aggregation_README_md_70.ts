import type { Shard, _Record } from '@aws-sdk/client-kinesis';
import { deaggregate } from '@kinesis-toolkit/aggregation';

declare const record: _Record;                                    // from GetRecords
declare const shard: Required<Pick<Shard, 'HashKeyRange'>> & { HashKeyRange: { StartingHashKey: string; EndingHashKey: string } };

// SDK v3 GetRecords / SubscribeToShard records …
const { records, outOfRange, format } = deaggregate(record, {
  shardHashKeyRange: { startingHashKey: shard.HashKeyRange.StartingHashKey, endingHashKey: shard.HashKeyRange.EndingHashKey },
});
// … or a Lambda Kinesis event record: deaggregate(event.Records[i])
for (const r of records) {
  r.partitionKey; r.explicitHashKey; r.data /* Buffer view */; r.sequenceNumber; r.subSequenceNumber; r.approximateArrivalTimestamp;
}
export {};
