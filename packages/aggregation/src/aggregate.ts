import { InvalidArgumentError, rejectUnknownOptions, requireInteger, requireObject } from '@kinesis-toolkit/core';
import { AggregateBuilder, type AggregateBuilderOptions } from './AggregateBuilder';
import { RecordTooLargeError } from './errors/RecordTooLargeError';
import { hashKeyDecimalOf } from './hashing/hashKey';
import { MAX_RECORD_BYTES } from './limits';
import type { KinesisRecordOutput, UserRecordInput } from './records/UserRecord';
import { validateUserRecord } from './records/validateUserRecord';

/** Options of {@link aggregate}. */
export interface AggregateOptions extends AggregateBuilderOptions {
  /**
   * The per-record limit of the stream (data plus partition key), for records too large to
   * aggregate that are sent on their own.
   * @defaultValue 1 MiB
   */
  readonly maxRecordBytes?: number;
}

/**
 * Packs user records, in order, into as few aggregated records as `maxBytes` allows. No shard
 * routing: each aggregate goes to the shard of its first record's hash key, so callers that
 * care about placement group records by shard first (as the producer does).
 *
 * A record too large for any aggregate but within the stream's record limit is sent on its
 * own, as the KPL does.
 * @throws {@link InvalidRecordError} for a malformed record; {@link RecordTooLargeError} for a
 * record over the stream's record limit; `InvalidArgumentError` for bad options or `records` that
 * are not iterable.
 */
export function aggregate(records: Iterable<UserRecordInput>, options: AggregateOptions = {}): KinesisRecordOutput[] {
  requireObject('options', options);
  rejectUnknownOptions('', options, OPTION_NAMES);
  const { maxRecordBytes: givenMaxRecordBytes, ...builderOptions } = options;
  const maxRecordBytes = requireInteger('maxRecordBytes', givenMaxRecordBytes ?? MAX_RECORD_BYTES, 1, MAX_STREAM_RECORD_BYTES);
  if (records === null || typeof (records as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError('records', 'an iterable of user records (an array, a Set, a generator…)', records);
  }
  const builder = new AggregateBuilder(builderOptions);
  const output: KinesisRecordOutput[] = [];
  for (const record of records) {
    try {
      if (builder.tryAdd(record)) continue;
      output.push(builder.build());
      if (builder.tryAdd(record)) continue;
    } catch (err) {
      if (!(err instanceof RecordTooLargeError)) throw err;
    }
    output.push(sendAlone(record, maxRecordBytes));
  }
  if (builder.count > 0) output.push(builder.build());
  return output;
}

/** The largest record a stream with a raised limit takes: 10 MiB. */
const MAX_STREAM_RECORD_BYTES = 10 * MAX_RECORD_BYTES;
const OPTION_NAMES = ['maxBytes', 'maxCount', 'unaggregatedSingleRecord', 'maxRecordBytes'];

function sendAlone(record: UserRecordInput, maxRecordBytes: number): KinesisRecordOutput {
  validateUserRecord(record);
  const size = record.data.length + Buffer.byteLength(record.partitionKey, 'utf8');
  if (size > maxRecordBytes) {
    throw new RecordTooLargeError(size, maxRecordBytes, 'the record (data plus partition key)', { partitionKey: record.partitionKey });
  }
  const { data } = record;
  return {
    partitionKey: record.partitionKey,
    explicitHashKey: record.explicitHashKey ?? hashKeyDecimalOf(record.partitionKey),
    data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    userRecordCount: 1,
    aggregated: false,
  };
}
