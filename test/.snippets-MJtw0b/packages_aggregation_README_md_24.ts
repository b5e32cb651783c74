import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { AggregateBuilder, aggregate, type UserRecordInput } from '@kinesis-toolkit/aggregation';

declare const userRecords: UserRecordInput[];                    // { partitionKey, data, explicitHashKey? }
declare function send(aggregate: { partitionKey: string; explicitHashKey?: string; data: Uint8Array }): void;
const kinesis = new KinesisClient({});

// Convenience: pack records in order into as few aggregates as fit.
const kinesisRecords = aggregate(userRecords); // [{ partitionKey, explicitHashKey, data, userRecordCount, aggregated }]
await kinesis.send(new PutRecordsCommand({
  StreamName: 'orders',
  Records: kinesisRecords.map((r) => ({ PartitionKey: r.partitionKey, ExplicitHashKey: r.explicitHashKey, Data: r.data })),
}));

// Incremental: the builder knows its exact encoded size at every step.
const builder = new AggregateBuilder({ maxBytes: 51_200 });
for (const record of userRecords) {
  if (!builder.tryAdd(record)) {   // would overflow maxBytes: ship what we have
    send(builder.build());
    builder.tryAdd(record);
  }
}
if (builder.count > 0) send(builder.build());
export {};
