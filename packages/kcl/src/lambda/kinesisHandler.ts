import { deaggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { ShardProcessingError } from '../errors';
import type { KinesisBatchResponse, KinesisEvent, KinesisEventRecord } from './KinesisEvent';
import { resolveKinesisHandlerOptions, type KinesisHandlerOptions, type ResolvedKinesisHandlerOptions } from './KinesisHandlerOptions';

/** A Lambda function for a Kinesis event-source mapping (assignable to @types/aws-lambda's `KinesisStreamHandler`). */
export type KinesisLambdaHandler = (event: KinesisEvent, context?: unknown) => Promise<KinesisBatchResponse>;

/**
 * A Lambda handler for a Kinesis event-source mapping: de-aggregates KPL records (MD5 checked; a
 * record with the magic but a bad checksum is handed over as it is, and logged), hands the user
 * records to `eachRecord` (in order) or `eachBatch`, and answers with the partial batch response
 * of `ReportBatchItemFailures`.
 *
 * Lambda takes the lowest sequence number in `batchItemFailures` as its checkpoint and retries
 * every record from it. So on the first failure the handler stops and reports that record's
 * Kinesis `sequenceNumber` — for a user record inside a KPL aggregate, the aggregate's: the whole
 * aggregate comes again, and the user records before the failing one in it are handed over a
 * second time (make `eachRecord` idempotent, as retries need anyway). Nothing before the
 * aggregate comes again; nothing after it is handed over in this invocation. With `eachBatch`, a
 * throw reports the event's first record: the whole batch comes again.
 *
 * ```ts
 * export const handler = kinesisHandler({ eachRecord: async ({ record }) => save(JSON.parse(record.data.toString())) });
 * ```
 * @throws InvalidArgumentError (at once) for options that are not valid
 */
export function kinesisHandler(options: KinesisHandlerOptions): KinesisLambdaHandler {
  const config = resolveKinesisHandlerOptions(options);
  return async (event: KinesisEvent): Promise<KinesisBatchResponse> => {
    const records = eventRecords(event);
    if (records.length === 0) return { batchItemFailures: [] };
    const first = records[0]!;
    const shardId = shardIdOf(first);
    const failure = config.handler.kind === 'eachRecord' ? await eachRecord(config, records, shardId) : await eachBatch(config, records, shardId);
    if (failure === undefined) return { batchItemFailures: [] };
    const error = new ShardProcessingError(shardId, config.handler.kind, failure.error);
    config.logger.error(
      { shardId, sequenceNumber: failure.item.kinesis.sequenceNumber, subSequenceNumber: failure.subSequenceNumber, reportBatchItemFailures: config.reportBatchItemFailures },
      error.message,
    );
    if (!config.reportBatchItemFailures) throw error;
    return { batchItemFailures: [{ itemIdentifier: failure.item.kinesis.sequenceNumber }] };
  };
}

/** Where an invocation stopped: the Kinesis record to report, and the user record in it that failed. */
interface Failure {
  readonly item: KinesisEventRecord;
  readonly subSequenceNumber: number | undefined;
  readonly error: unknown;
}

async function eachRecord(config: ResolvedKinesisHandlerOptions, records: readonly KinesisEventRecord[], shardId: string): Promise<Failure | undefined> {
  const call = config.handler.call as NonNullable<KinesisHandlerOptions['eachRecord']>;
  for (const item of records) {
    for (const record of userRecordsOf(item, shardId, config)) {
      try {
        await call({ shardId, eventSourceARN: item.eventSourceARN, record });
      } catch (error) {
        return { item, subSequenceNumber: record.subSequenceNumber, error };
      }
    }
  }
  return undefined;
}

async function eachBatch(config: ResolvedKinesisHandlerOptions, records: readonly KinesisEventRecord[], shardId: string): Promise<Failure | undefined> {
  const call = config.handler.call as NonNullable<KinesisHandlerOptions['eachBatch']>;
  const userRecords: UserRecord[] = [];
  for (const item of records) for (const record of userRecordsOf(item, shardId, config)) userRecords.push(record);
  try {
    await call({ shardId, eventSourceARN: records[0]!.eventSourceARN, records: userRecords });
    return undefined;
  } catch (error) {
    return { item: records[0]!, subSequenceNumber: undefined, error };
  }
}

function userRecordsOf(item: KinesisEventRecord, shardId: string, config: ResolvedKinesisHandlerOptions): UserRecord[] {
  const result = deaggregate(item);
  if (result.format === 'corrupt') {
    config.logger.warn({ shardId, sequenceNumber: item.kinesis.sequenceNumber, reason: result.corruption?.message }, 'a record with the KPL aggregation magic failed to decode; handed over as it is');
  }
  return result.records;
}

function eventRecords(event: KinesisEvent): readonly KinesisEventRecord[] {
  const records = (event as { Records?: unknown } | null | undefined)?.Records;
  if (!Array.isArray(records)) throw new InvalidArgumentError('event.Records', 'an array (a Kinesis event from a Lambda event-source mapping)', records);
  return records as KinesisEventRecord[];
}

/** `shardId-000000000000:4959…` → `shardId-000000000000`. */
function shardIdOf(record: KinesisEventRecord): string {
  const eventID = record.eventID;
  if (typeof eventID !== 'string') return 'unknown-shard';
  const colon = eventID.indexOf(':');
  return colon > 0 ? eventID.slice(0, colon) : eventID;
}
