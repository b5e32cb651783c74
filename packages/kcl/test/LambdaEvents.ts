import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { compareSequenceNumbers } from '@kinesis-toolkit/core';

// Kinesis events in the exact shape a Lambda event-source mapping sends them, and a stand-in for
// the mapping's retry loop as the Lambda developer guide documents it ("Configuring partial batch
// response with Kinesis Data Streams and Lambda"). No Lambda runs here: the stand-in implements
// the documented rules, and the tests name it so.
//
// - a batch is a complete success for a response with an empty or null `batchItemFailures` list,
//   or an empty or null response: the checkpoint moves past the batch;
// - it is a complete failure when the function throws, or when an `itemIdentifier` is an empty
//   string, null, or under a bad key name: the same batch is retried;
// - otherwise "Lambda uses the record with the lowest sequence number as the checkpoint" and
//   "retries all records starting from that checkpoint".

/** A Kinesis record as a test puts it in an event. */
export interface EventRecordInput {
  readonly data: Uint8Array;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
}

export const STREAM_ARN = 'arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream';

/** `n` increasing sequence numbers of real length (56 digits). */
export function sequenceNumbers(n: number, from = 49590338271490256608559692538361571095921575989136588898n): string[] {
  return Array.from({ length: n }, (_, i) => (from + BigInt(i) * 1_000n).toString());
}

/** One record of a Lambda Kinesis event, every field as Lambda sends it. */
export function lambdaRecord(record: EventRecordInput, shardId = 'shardId-000000000006'): KinesisStreamRecord {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: Buffer.from(record.data).toString('base64'),
      approximateArrivalTimestamp: 1545084650.987,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: 'arn:aws:iam::123456789012:role/lambda-role',
    awsRegion: 'us-east-2',
    eventSourceARN: STREAM_ARN,
  };
}

export function lambdaEvent(records: readonly EventRecordInput[], shardId?: string): KinesisStreamEvent {
  return { Records: records.map((record) => lambdaRecord(record, shardId)) };
}

/** What one invocation of the stand-in mapping did. */
export interface Invocation {
  readonly firstSequenceNumber: string;
  readonly size: number;
  readonly outcome: 'success' | 'partial' | 'failure';
  readonly response?: KinesisStreamBatchResponse | void;
}

/**
 * Feeds a shard's records to `handler` as a `ReportBatchItemFailures` mapping does (rules above),
 * `batchSize` at a time, until every record is past the checkpoint or `maxInvocations` is reached.
 */
export async function runMapping(
  records: readonly EventRecordInput[],
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse | void>,
  options: { readonly batchSize: number; readonly maxInvocations?: number; readonly shardId?: string },
): Promise<Invocation[]> {
  const invocations: Invocation[] = [];
  let position = 0;
  while (position < records.length) {
    if (invocations.length >= (options.maxInvocations ?? 100)) throw new Error(`the mapping gave up after ${invocations.length} invocations`);
    const batch = records.slice(position, position + options.batchSize);
    const firstSequenceNumber = batch[0]!.sequenceNumber;
    let response: KinesisStreamBatchResponse | void;
    try {
      response = await handler(lambdaEvent(batch, options.shardId));
    } catch {
      invocations.push({ firstSequenceNumber, size: batch.length, outcome: 'failure' });
      continue;
    }
    const failures = (response as { batchItemFailures?: unknown } | undefined | null)?.batchItemFailures;
    if (failures === undefined || failures === null || (Array.isArray(failures) && failures.length === 0)) {
      invocations.push({ firstSequenceNumber, size: batch.length, outcome: 'success', response });
      position += batch.length;
      continue;
    }
    const identifiers = (failures as { itemIdentifier?: unknown }[]).map((failure) => failure.itemIdentifier);
    if (identifiers.some((id) => typeof id !== 'string' || id === '')) {
      invocations.push({ firstSequenceNumber, size: batch.length, outcome: 'failure', response });
      continue;
    }
    const lowest = (identifiers as string[]).sort(compareSequenceNumbers)[0]!;
    const index = batch.findIndex((record) => record.sequenceNumber === lowest);
    if (index < 0) throw new Error(`itemIdentifier ${lowest} is not a sequence number of the batch`);
    invocations.push({ firstSequenceNumber, size: batch.length, outcome: 'partial', response });
    position += index;
  }
  return invocations;
}
