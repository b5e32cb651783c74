import type { S3Client } from '@aws-sdk/client-s3';
import { NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireAwsClient, requireFunction, requireInteger, requireOneOf, requireString, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';
import { KeyPrefix } from './KeyPrefix';
import { MIN_PART_SIZE_BYTES } from './uploadObject';

/** Options of {@link S3Emitter}; `bucket` is required. */
export interface S3EmitterOptions {
  /**
   * The S3 client to write with. Its own retries (`maxAttempts`) run inside each request's
   * deadline; pass `maxAttempts: 1` to leave retries to the pipeline alone.
   * @defaultValue a client of its own (`new S3Client({ maxAttempts: 1 })`: region and credentials from the SDK's default chain), destroyed at `shutdown()`
   */
  readonly client?: S3Client;
  /** The bucket to write to. */
  readonly bucket?: string;
  /**
   * The key prefix, with Firehose's `!{timestamp:…}` expressions (see {@link KeyPrefix}); the
   * timestamp is the arrival time of the batch's first record, in UTC.
   * @defaultValue `'!{timestamp:yyyy/MM/dd/HH}/'`
   */
  readonly prefix?: string;
  /** Written after every item (e.g. `'\n'` for JSON lines); Firehose's default is none. @defaultValue `''` */
  readonly recordDelimiter?: string;
  /** `'gzip'` compresses the object and adds `.gz` to its key. @defaultValue `'none'` */
  readonly compression?: 'none' | 'gzip';
  /** Added to every key (before `.gz`), e.g. `'.jsonl'`. @defaultValue `''` */
  readonly fileExtension?: string;
  /** The objects' Content-Type. @defaultValue `'application/octet-stream'` */
  readonly contentType?: string;
  /** Objects larger than this are written with a multipart upload. @defaultValue 16 MiB */
  readonly multipartThresholdBytes?: number;
  /** The size of each part of a multipart upload but the last; at least 5 MiB (S3's minimum). @defaultValue 8 MiB */
  readonly partSizeBytes?: number;
  /** Epoch milliseconds, used for the key only when a record has no arrival time. @defaultValue `Date.now` */
  readonly currentTimeMs?: () => number;
  /** Each S3 request not answered in this time is abandoned and counts as a failed (retryable) attempt. @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /** Runs the request deadlines. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link S3EmitterOptions}. */
export const S3_EMITTER_DEFAULTS = Object.freeze({
  prefix: '!{timestamp:yyyy/MM/dd/HH}/',
  recordDelimiter: '',
  compression: 'none' as 'none' | 'gzip',
  fileExtension: '',
  contentType: 'application/octet-stream',
  multipartThresholdBytes: 16 * 1024 * 1024,
  partSizeBytes: 8 * 1024 * 1024,
  currentTimeMs: (): number => Date.now(),
  requestTimeoutMs: 60_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

const KNOWN = [...Object.keys(S3_EMITTER_DEFAULTS), 'client', 'bucket'];

/** The complete, validated configuration of an {@link S3Emitter} (`client` undefined: the emitter makes its own). */
export interface ResolvedS3EmitterOptions extends Readonly<Omit<Required<S3EmitterOptions>, 'prefix' | 'client'>> {
  readonly client: S3Client | undefined;
  readonly prefix: KeyPrefix;
}

/**
 * Validates {@link S3EmitterOptions} and fills in the defaults.
 * @throws InvalidArgumentError naming the bad option, what was expected and what came.
 */
export function resolveS3EmitterOptions(options: S3EmitterOptions): ResolvedS3EmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, KNOWN);
  const merged = { ...S3_EMITTER_DEFAULTS, ...given };
  return Object.freeze({
    client: merged.client === undefined ? undefined : requireAwsClient<S3Client>('client', merged.client, 'an S3Client'),
    bucket: requireString('bucket', merged.bucket, { maxLength: 255 }),
    prefix: KeyPrefix.parse('prefix', merged.prefix),
    recordDelimiter: requireString('recordDelimiter', merged.recordDelimiter, { minLength: 0 }),
    compression: requireOneOf('compression', merged.compression, ['none', 'gzip'] as const),
    fileExtension: requireString('fileExtension', merged.fileExtension, { minLength: 0 }),
    contentType: requireString('contentType', merged.contentType),
    multipartThresholdBytes: requireInteger('multipartThresholdBytes', merged.multipartThresholdBytes, MIN_PART_SIZE_BYTES),
    partSizeBytes: requireInteger('partSizeBytes', merged.partSizeBytes, MIN_PART_SIZE_BYTES),
    currentTimeMs: requireFunction('currentTimeMs', merged.currentTimeMs) as () => number,
    requestTimeoutMs: requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1),
    clock: requireClock('clock', merged.clock),
    logger: requireLogger('logger', merged.logger),
  });
}
