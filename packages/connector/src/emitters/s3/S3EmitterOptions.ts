import type { S3Client } from '@aws-sdk/client-s3';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { requireFunction, requireInteger, requireMethods, requireOneOf, requireString, withoutUndefined } from '../internal/options';
import { KeyPrefix } from './KeyPrefix';
import { MIN_PART_SIZE_BYTES } from './uploadObject';

/** Options of {@link S3Emitter}; `client` and `bucket` are required. */
export interface S3EmitterOptions {
  /** The S3 client to write with (its own retries apply to each request). */
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
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of an {@link S3Emitter}. */
export interface ResolvedS3EmitterOptions extends Readonly<Omit<Required<S3EmitterOptions>, 'prefix'>> {
  readonly prefix: KeyPrefix;
}

/**
 * Validates {@link S3EmitterOptions} and fills in the defaults.
 * @throws TypeError naming the bad option, what was expected and what came.
 */
export function resolveS3EmitterOptions(options: S3EmitterOptions): ResolvedS3EmitterOptions {
  const merged = { ...S3_EMITTER_DEFAULTS, ...withoutUndefined(options) };
  requireMethods('client', merged.client, ['send'], 'an S3Client');
  requireString('bucket', merged.bucket);
  requireString('recordDelimiter', merged.recordDelimiter, { allowEmpty: true });
  requireOneOf('compression', merged.compression, ['none', 'gzip']);
  requireString('fileExtension', merged.fileExtension, { allowEmpty: true });
  requireString('contentType', merged.contentType);
  requireInteger('partSizeBytes', merged.partSizeBytes, MIN_PART_SIZE_BYTES);
  requireInteger('multipartThresholdBytes', merged.multipartThresholdBytes, MIN_PART_SIZE_BYTES);
  requireFunction('currentTimeMs', merged.currentTimeMs);
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  return Object.freeze({ ...(merged as Required<S3EmitterOptions>), prefix: KeyPrefix.parse('prefix', merged.prefix) });
}
