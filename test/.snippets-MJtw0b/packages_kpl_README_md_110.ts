import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import type { KinesisProducer } from '@kinesis-toolkit/kpl';

declare const producer: KinesisProducer;
declare const source: Readable;
declare function deadLetter(record: UserRecordInput, error: Error): void;

await pipeline(
  source,                                         // an object-mode Readable of { partitionKey, data }
  producer.createWriteStream({
    highWaterMark: 1000,
    onSettled: (record, error, result) => { if (error) deadLetter(record, error); },
  }),
);                                                // resolves once every written record settled
export {};
