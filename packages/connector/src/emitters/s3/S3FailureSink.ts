import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, NOOP_LOGGER, SDK_CLIENT_DEFAULTS, SYSTEM_CLOCK, callAws, classifyAwsError, rejectUnknownOptions, requireAwsClient, requireInteger, requireString, type AwsClientLike, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';
import type { FailureRecord, FailureSink } from '../../failures/FailureRecord';
import { EmitterError } from '../EmitterError';
import { FirehoseTimeZone } from '../firehose/FirehoseTimeZone';
import { requireKmsKeyArn } from '../firehose/kmsKeyArn';
import { KeyPrefix } from './KeyPrefix';

/** Options of {@link S3FailureSink}; `bucket` is required. */
export interface S3FailureSinkOptions {
  /** @defaultValue a client of its own (`new S3Client({ maxAttempts: 1 })`), destroyed at `shutdown()` */
  readonly client?: S3Client;
  readonly bucket?: string;
  /**
   * The error key prefix, with `!{firehose:error-output-type}` and `!{timestamp:…}` (formatted
   * with the first record's `arrivalTimestamp`, in `customTimeZone`).
   * @defaultValue `'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/'`
   */
  readonly errorPrefix?: string;
  /**
   * Firehose's `CustomTimeZone`: the IANA zone `!{timestamp:…}` is evaluated in (as the
   * `FirehoseS3Emitter`'s `customTimeZone`).
   * @defaultValue `'UTC'`
   */
  readonly customTimeZone?: string;
  /**
   * SSE-KMS under this key (Firehose's `KMSEncryptionConfig.AWSKMSKeyARN`): each PutObject carries
   * `ServerSideEncryption: 'aws:kms'` and `SSEKMSKeyId`.
   * @defaultValue none (no encryption header: the bucket's default)
   */
  readonly kmsKeyArn?: string;
  /** What `!{firehose:error-output-type}` becomes. @defaultValue `'processing-failed'` */
  readonly errorOutputType?: string;
  /** Each PutObject not answered in this time is abandoned (the `put` fails, retryable). @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /** Runs the request deadline. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link S3FailureSinkOptions}. */
export const S3_FAILURE_SINK_DEFAULTS = Object.freeze({
  errorPrefix: 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/',
  customTimeZone: 'UTC',
  errorOutputType: 'processing-failed',
  requestTimeoutMs: 60_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of an {@link S3FailureSink} (`client` undefined: it makes its own). */
export interface ResolvedS3FailureSinkOptions extends Readonly<Omit<Required<S3FailureSinkOptions>, 'errorPrefix' | 'client' | 'customTimeZone' | 'kmsKeyArn'>> {
  readonly client: S3Client | undefined;
  readonly errorPrefix: KeyPrefix;
  readonly timeZone: FirehoseTimeZone;
  readonly kmsKeyArn: string | undefined;
}

/**
 * Validates {@link S3FailureSinkOptions} and fills in the defaults.
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveS3FailureSinkOptions(options: S3FailureSinkOptions): ResolvedS3FailureSinkOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, [...Object.keys(S3_FAILURE_SINK_DEFAULTS), 'client', 'bucket', 'kmsKeyArn']);
  const merged = { ...S3_FAILURE_SINK_DEFAULTS, ...given };
  return Object.freeze({
    client: merged.client === undefined ? undefined : requireAwsClient<S3Client>('client', merged.client, 'an S3Client'),
    bucket: requireString('bucket', merged.bucket, { maxLength: 255 }),
    errorPrefix: KeyPrefix.parse('errorPrefix', merged.errorPrefix, { allowErrorOutputType: true }),
    timeZone: FirehoseTimeZone.parse('customTimeZone', merged.customTimeZone),
    kmsKeyArn: requireKmsKeyArn('kmsKeyArn', given.kmsKeyArn),
    errorOutputType: requireString('errorOutputType', merged.errorOutputType),
    requestTimeoutMs: requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1),
    clock: requireClock('clock', merged.clock),
    logger: requireLogger('logger', merged.logger),
  });
}

/**
 * A {@link FailureSink} that writes failure records to S3 as JSON lines, one object per shard
 * and `put`, in Firehose's error-output format under an error prefix (Firehose's
 * `!{firehose:error-output-type}` naming; its time in `customTimeZone`, SSE-KMS with `kmsKeyArn`). The key ends with the shard and the first and last
 * positions of the records, so putting the same records again overwrites the same object.
 *
 * Each PutObject is one attempt through core's `callAws`, with a deadline.
 *
 * @throws (from `put`) EmitterError `S3WriteFailed` (its `cause` an `AwsRequestError`) when S3 refuses or does not answer; the pipeline then does not checkpoint and tries again later.
 */
export class S3FailureSink implements FailureSink {
  readonly #config: ResolvedS3FailureSinkOptions;
  readonly #client: S3Client;
  readonly #ownClient: S3Client | undefined;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: S3FailureSinkOptions) {
    this.#config = resolveS3FailureSinkOptions(options);
    this.#ownClient = this.#config.client === undefined ? new S3Client({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#client = this.#config.client ?? this.#ownClient!;
  }

  /** Destroys the client the sink made itself (a client you passed is yours). */
  shutdown(): void {
    this.#ownClient?.destroy();
  }

  /** The key `records` (all from one shard) are written under. */
  keyFor(records: readonly FailureRecord[]): string {
    const first = records[0]!;
    const last = records[records.length - 1]!;
    const { errorPrefix, errorOutputType, timeZone } = this.#config;
    const arrival = first.arrivalTimestamp > 0 ? first.arrivalTimestamp : first.attemptEndingTimestamp;
    const prefix = errorPrefix.expand({ timestamp: timeZone.wallClock(new Date(arrival)), errorOutputType });
    const { shardId } = first.kinesisRecordMetadata;
    const position = (record: FailureRecord): string =>
      `${record.kinesisRecordMetadata.sequenceNumber}-${record.kinesisRecordMetadata.subsequenceNumber}`;
    return `${prefix}${shardId}-${position(first)}-${position(last)}.jsonl`;
  }

  async put(records: readonly FailureRecord[]): Promise<void> {
    if (!Array.isArray(records)) throw new InvalidArgumentError('records', 'an array of FailureRecord', records);
    const byShard = new Map<string, FailureRecord[]>();
    for (const record of records) {
      const shardId = record.kinesisRecordMetadata.shardId;
      byShard.set(shardId, [...(byShard.get(shardId) ?? []), record]);
    }
    const { bucket, logger, requestTimeoutMs, clock, kmsKeyArn } = this.#config;
    const encryption = kmsKeyArn === undefined ? {} : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: kmsKeyArn };
    for (const [shardId, shardRecords] of byShard) {
      const key = this.keyFor(shardRecords);
      const body = shardRecords.map((record) => `${JSON.stringify(record)}\n`).join('');
      try {
        await callAws(this.#client as AwsClientLike, new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/x-ndjson', ...encryption }), {
          service: 'S3',
          timeoutMs: requestTimeoutMs,
          clock,
          context: { shardId, bucket, key },
        });
      } catch (error) {
        throw new EmitterError('S3WriteFailed', `could not write failure records to s3://${bucket}/${key}: ${(error as Error).message}`, {
          retryable: classifyAwsError(error).retryable,
          cause: error,
          context: { shardId, bucket, key },
        });
      }
      logger.info({ bucket, key, records: shardRecords.length }, 'wrote failure records to S3');
    }
  }
}
