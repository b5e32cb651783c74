import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, rejectUnknownOptions, requireAwsClient, requireObject, requireOneOf, requireString } from '@kinesis-toolkit/core';
import { COMPRESSION_EXTENSIONS, type CompressionFormat } from '../compression/compressObject';
import { FirehosePrefix } from '../FirehosePrefix';
import { requireKmsKeyArn } from '../kmsKeyArn';

/**
 * Firehose's source record backup (`S3BackupMode` + `S3BackupConfiguration`, an S3 destination of
 * its own): every source record, as it was before transformation, is also written to this bucket.
 */
export interface S3BackupOptions {
  /** Firehose's `S3BackupMode`. @defaultValue `Disabled` */
  readonly mode?: 'Disabled' | 'Enabled';
  /** The backup bucket (required when `mode` is `Enabled`). */
  readonly bucket?: string;
  /** @defaultValue the emitter's client */
  readonly client?: S3Client;
  /** The backup's `Prefix` (`!{timestamp:…}`, `!{firehose:random-string}`; `yyyy/MM/dd/HH/` appended without a timestamp). @defaultValue `''` */
  readonly prefix?: string;
  /** The backup's `ErrorOutputPrefix`; required when `prefix` has expressions. @defaultValue `'!{firehose:error-output-type}/'` */
  readonly errorOutputPrefix?: string;
  /** The backup's `CompressionFormat`. @defaultValue `UNCOMPRESSED` */
  readonly compressionFormat?: CompressionFormat;
  /** The backup's `EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN`. @defaultValue none (no encryption header) */
  readonly kmsKeyArn?: string;
}

/** A validated, enabled source record backup. */
export interface ResolvedS3Backup {
  readonly bucket: string;
  readonly client: S3Client | undefined;
  readonly prefix: FirehosePrefix;
  readonly errorOutputPrefix: FirehosePrefix;
  readonly compressionFormat: CompressionFormat;
  readonly kmsKeyArn: string | undefined;
}

/**
 * Validates `s3Backup` (undefined when the backup is disabled).
 * @throws InvalidArgumentError naming the field (`s3Backup.bucket`, …).
 */
export function resolveS3Backup(
  value: unknown,
  defaults: { readonly prefix: string; readonly errorOutputPrefix: string; readonly compressionFormat: CompressionFormat; readonly s3BackupMode: 'Disabled' | 'Enabled' },
): ResolvedS3Backup | undefined {
  if (value === undefined) return undefined;
  const backup = requireObject('s3Backup', value) as S3BackupOptions;
  rejectUnknownOptions('s3Backup', backup, ['mode', 'bucket', 'client', 'prefix', 'errorOutputPrefix', 'compressionFormat', 'kmsKeyArn']);
  const mode = requireOneOf('s3Backup.mode', backup.mode ?? defaults.s3BackupMode, ['Disabled', 'Enabled'] as const);
  if (mode === 'Disabled') return undefined;
  const prefixSource = backup.prefix ?? defaults.prefix;
  if (backup.errorOutputPrefix === undefined && typeof prefixSource === 'string' && prefixSource.includes('!{')) {
    throw new InvalidArgumentError('s3Backup.errorOutputPrefix', 'an error output prefix: Firehose requires one when the prefix has expressions', undefined);
  }
  return Object.freeze({
    bucket: requireString('s3Backup.bucket', backup.bucket, { maxLength: 255 }),
    client: backup.client === undefined ? undefined : requireAwsClient<S3Client>('s3Backup.client', backup.client, 'an S3Client'),
    prefix: FirehosePrefix.parse('s3Backup.prefix', prefixSource, 'prefix'),
    errorOutputPrefix: FirehosePrefix.parse('s3Backup.errorOutputPrefix', backup.errorOutputPrefix ?? defaults.errorOutputPrefix, 'errorPrefix'),
    compressionFormat: requireOneOf('s3Backup.compressionFormat', backup.compressionFormat ?? defaults.compressionFormat, Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[]),
    kmsKeyArn: requireKmsKeyArn('s3Backup.kmsKeyArn', backup.kmsKeyArn),
  });
}
