import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import type { FailureRecord, FailureSink } from '../../failures/FailureRecord';
import { EmitterError } from '../EmitterError';
import { isRetryableAwsError } from '../internal/classifyAwsError';
import { requireMethods, requireString, withoutUndefined } from '../internal/options';
import { KeyPrefix } from './KeyPrefix';

/** Options of {@link S3FailureSink}; `client` and `bucket` are required. */
export interface S3FailureSinkOptions {
  readonly client?: S3Client;
  readonly bucket?: string;
  /**
   * The error key prefix, with `!{firehose:error-output-type}` and `!{timestamp:…}` (formatted
   * with the first record's `arrivalTimestamp`, UTC).
   * @defaultValue `'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/'`
   */
  readonly errorPrefix?: string;
  /** What `!{firehose:error-output-type}` becomes. @defaultValue `'processing-failed'` */
  readonly errorOutputType?: string;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link S3FailureSinkOptions}. */
export const S3_FAILURE_SINK_DEFAULTS = Object.freeze({
  errorPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
  errorOutputType: 'processing-failed',
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of an {@link S3FailureSink}. */
export interface ResolvedS3FailureSinkOptions extends Readonly<Omit<Required<S3FailureSinkOptions>, 'errorPrefix'>> {
  readonly errorPrefix: KeyPrefix;
}

/**
 * Validates {@link S3FailureSinkOptions} and fills in the defaults.
 * @throws TypeError naming the bad option.
 */
export function resolveS3FailureSinkOptions(options: S3FailureSinkOptions): ResolvedS3FailureSinkOptions {
  const merged = { ...S3_FAILURE_SINK_DEFAULTS, ...withoutUndefined(options) };
  requireMethods('client', merged.client, ['send'], 'an S3Client');
  requireString('bucket', merged.bucket);
  requireString('errorOutputType', merged.errorOutputType);
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  const errorPrefix = KeyPrefix.parse('errorPrefix', merged.errorPrefix, { allowErrorOutputType: true });
  return Object.freeze({ ...(merged as Required<S3FailureSinkOptions>), errorPrefix });
}

/**
 * A {@link FailureSink} that writes failure records to S3 as JSON lines, one object per shard
 * and `put`, in Firehose's error-output format under an error prefix (Firehose's
 * `!{firehose:error-output-type}` naming). The key ends with the shard and the first and last
 * positions of the records, so putting the same records again overwrites the same object.
 *
 * @throws (from `put`) EmitterError `S3WriteFailed` when S3 refuses; the pipeline then does not checkpoint.
 */
export class S3FailureSink implements FailureSink {
  readonly #config: ResolvedS3FailureSinkOptions;

  /** @throws TypeError for bad options. */
  constructor(options: S3FailureSinkOptions) {
    this.#config = resolveS3FailureSinkOptions(options);
  }

  /** The key `records` (all from one shard) are written under. */
  keyFor(records: readonly FailureRecord[]): string {
    const first = records[0]!;
    const last = records[records.length - 1]!;
    const { errorPrefix, errorOutputType } = this.#config;
    const arrival = first.arrivalTimestamp > 0 ? first.arrivalTimestamp : first.attemptEndingTimestamp;
    const prefix = errorPrefix.expand({ timestamp: new Date(arrival), errorOutputType });
    const { shardId } = first.kinesisRecordMetadata;
    const position = (record: FailureRecord): string =>
      `${record.kinesisRecordMetadata.sequenceNumber}-${record.kinesisRecordMetadata.subsequenceNumber}`;
    return `${prefix}${shardId}-${position(first)}-${position(last)}.jsonl`;
  }

  async put(records: readonly FailureRecord[]): Promise<void> {
    if (!Array.isArray(records)) throw new TypeError(`records: expected an array of FailureRecord, got ${typeof records}`);
    const byShard = new Map<string, FailureRecord[]>();
    for (const record of records) {
      const shardId = record.kinesisRecordMetadata.shardId;
      byShard.set(shardId, [...(byShard.get(shardId) ?? []), record]);
    }
    const { client, bucket, logger } = this.#config;
    for (const [shardId, shardRecords] of byShard) {
      const key = this.keyFor(shardRecords);
      const body = shardRecords.map((record) => `${JSON.stringify(record)}\n`).join('');
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
      } catch (error) {
        throw new EmitterError('S3WriteFailed', `could not write failure records to s3://${bucket}/${key}: ${String(error)}`, {
          retryable: isRetryableAwsError(error),
          cause: error,
          context: { shardId, bucket, key },
        });
      }
      logger.info({ bucket, key, records: shardRecords.length }, 'wrote failure records to S3');
    }
  }
}
