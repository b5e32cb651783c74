import type { GetRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { aggregate, deaggregate } from '@kinesis-toolkit/aggregation';   // ESM or require()

const kinesisRecords = aggregate([
  { partitionKey: 'user-1', data: Buffer.from('{"click":1}') },
  { partitionKey: 'user-2', data: Buffer.from('{"click":2}') },
]);
// → [{ partitionKey: 'a', explicitHashKey: '<user-1 hash key>', data: <aggregate>, userRecordCount: 2, aggregated: true }]

declare const getRecordsOutput: GetRecordsCommandOutput;      // what GetRecords answered
for (const record of getRecordsOutput.Records ?? []) {        // or a Lambda event's records
  const { records } = deaggregate(record);
  // → [{ partitionKey: 'user-1', data, sequenceNumber, subSequenceNumber: 0, … }, …]
}
export {};
