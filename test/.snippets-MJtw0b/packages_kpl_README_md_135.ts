import { once } from 'node:events';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { KinesisProducer } from '@kinesis-toolkit/kpl';

declare const producer: KinesisProducer;
declare const records: UserRecordInput[];
declare function handle(error: Error): void;

for (const record of records) {
  if (!producer.hasCapacity) await once(producer, 'drain');
  producer.put(record).catch(handle);
}
export {};
