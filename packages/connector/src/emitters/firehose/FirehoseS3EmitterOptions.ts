import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireAwsClient, requireBoolean, requireFunction, requireInteger, requireObject, requireOneOf, requireString, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';
import type { BufferThresholds } from '../../buffers/RecordBuffer';
import { MIN_PART_SIZE_BYTES } from '../s3/uploadObject';
import { COMPRESSION_EXTENSIONS, type CompressionFormat } from './compression/compressObject';
import { RecordSchema, type SchemaColumn } from './conversion/RecordSchema';
import type { ParquetCompression } from './conversion/writeParquet';
import { FirehosePrefix } from './FirehosePrefix';
import { FirehoseTimeZone } from './FirehoseTimeZone';
import { resolveS3Backup, type ResolvedS3Backup, type S3BackupOptions } from './backup/S3BackupOptions';
import { requireKmsKeyArn } from './kmsKeyArn';

/** Firehose's dynamic partitioning settings. */
export interface DynamicPartitioningOptions {
  /** @defaultValue false */
  readonly enabled?: boolean;
  /** The jq expression whose output object gives `!{partitionKeyFromQuery:NAME}` (Firehose's MetadataExtraction processor). */
  readonly metadataExtractionQuery?: string;
  /** Most partitions in one flush; records of further partitions go to the error prefix. @defaultValue 500 */
  readonly activePartitionLimit?: number;
}

/** Firehose's record format conversion (JSON in, columnar out). */
export interface FormatConversionOptions {
  /** @defaultValue false */
  readonly enabled?: boolean;
  /** `PARQUET` (ORC: no well-kept JavaScript ORC writer exists, so it is refused). @defaultValue `PARQUET` */
  readonly outputFormat?: 'PARQUET';
  /** Columns and types (what Firehose reads from a Glue table). */
  readonly columns?: readonly SchemaColumn[];
  /** Parquet page compression. @defaultValue `SNAPPY` */
  readonly compression?: ParquetCompression;
}

/** Options of {@link FirehoseS3Emitter}; `bucket` and `deliveryStreamName` are required. */
export interface FirehoseS3EmitterOptions {
  /** @defaultValue a client of its own (`new S3Client({ maxAttempts: 1 })`), destroyed at `shutdown()` */
  readonly client?: S3Client;
  readonly bucket?: string;
  /** The delivery stream's name: the start of every object name. */
  readonly deliveryStreamName?: string;
  /** The delivery stream's version in object names. @defaultValue 1 */
  readonly deliveryStreamVersion?: number;
  /** Firehose's `Prefix` (≤ 1,024 characters; `yyyy/MM/dd/HH/` is appended when it has no timestamp expression). @defaultValue `''` */
  readonly prefix?: string;
  /** Firehose's `ErrorOutputPrefix`; required when `prefix` has expressions. @defaultValue `'!{firehose:error-output-type}/'` (+ `yyyy/MM/dd/HH/`) */
  readonly errorOutputPrefix?: string;
  /**
   * Firehose's `CustomTimeZone`: the IANA zone (such as `Asia/Tokyo`) that `!{timestamp:…}` in
   * the prefix and the error prefix, the default `yyyy/MM/dd/HH/` prefix and the time in object
   * names are evaluated in. @defaultValue `UTC`
   */
  readonly customTimeZone?: string;
  /** `UNCOMPRESSED`, `GZIP`, `ZIP`, `Snappy` or `HADOOP_SNAPPY` (must be `UNCOMPRESSED` with format conversion). @defaultValue `UNCOMPRESSED` */
  readonly compressionFormat?: CompressionFormat;
  /** Firehose's `FileExtension`, instead of the compression's or `.parquet`. @defaultValue the format's */
  readonly fileExtension?: string;
  /** @defaultValue disabled */
  readonly dynamicPartitioning?: DynamicPartitioningOptions;
  /** @defaultValue disabled */
  readonly formatConversion?: FormatConversionOptions;
  /**
   * Firehose's `EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN`: every object is written
   * with SSE-KMS under this key (`arn:…:kms:REGION:ACCOUNT:key/…` or `…:alias/…`).
   * @defaultValue none (`NoEncryptionConfig`: no encryption header; the bucket's default encryption applies)
   */
  readonly kmsKeyArn?: string;
  /**
   * Firehose's source record backup (`S3BackupMode: Enabled` + `S3BackupConfiguration`): the source
   * records of every batch, as they were before transformation, also go to this bucket and
   * prefix, with its own compression and encryption; a batch counts as delivered only once both
   * are written. @defaultValue disabled
   */
  readonly s3Backup?: S3BackupOptions;
  /** Objects larger than this are written with a multipart upload. @defaultValue 16 MiB */
  readonly multipartThresholdBytes?: number;
  /** Each part of a multipart upload but the last. @defaultValue 8 MiB */
  readonly partSizeBytes?: number;
  /** Epoch milliseconds, for objects whose records have no arrival time. @defaultValue `Date.now` */
  readonly currentTimeMs?: () => number;
  /** Each S3 request's deadline. @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/** Every default of {@link FirehoseS3EmitterOptions}. */
export const FIREHOSE_S3_EMITTER_DEFAULTS = Object.freeze({
  deliveryStreamVersion: 1,
  prefix: '',
  errorOutputPrefix: '!{firehose:error-output-type}/',
  customTimeZone: 'UTC',
  compressionFormat: 'UNCOMPRESSED' as CompressionFormat,
  s3BackupMode: 'Disabled' as 'Disabled' | 'Enabled',
  activePartitionLimit: 500,
  parquetCompression: 'SNAPPY' as ParquetCompression,
  multipartThresholdBytes: 16 * 1024 * 1024,
  partSizeBytes: 8 * 1024 * 1024,
  currentTimeMs: (): number => Date.now(),
  requestTimeoutMs: 60_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link FirehoseS3Emitter}. */
export interface ResolvedFirehoseS3EmitterOptions {
  readonly client: S3Client | undefined;
  readonly bucket: string;
  readonly deliveryStreamName: string;
  readonly deliveryStreamVersion: number;
  readonly prefix: FirehosePrefix;
  readonly errorOutputPrefix: FirehosePrefix;
  readonly timeZone: FirehoseTimeZone;
  readonly compressionFormat: CompressionFormat;
  readonly fileExtension: string;
  readonly dynamicPartitioning: { readonly metadataExtractionQuery: string | undefined; readonly activePartitionLimit: number } | undefined;
  readonly formatConversion: { readonly schema: RecordSchema; readonly compression: ParquetCompression } | undefined;
  readonly kmsKeyArn: string | undefined;
  readonly s3Backup: ResolvedS3Backup | undefined;
  readonly multipartThresholdBytes: number;
  readonly partSizeBytes: number;
  readonly currentTimeMs: () => number;
  readonly requestTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

const KNOWN = ['client', 'bucket', 'deliveryStreamName', 'deliveryStreamVersion', 'prefix', 'errorOutputPrefix', 'customTimeZone', 'compressionFormat', 'fileExtension', 'dynamicPartitioning', 'formatConversion', 'kmsKeyArn', 's3Backup', 'multipartThresholdBytes', 'partSizeBytes', 'currentTimeMs', 'requestTimeoutMs', 'clock', 'logger'];

/**
 * Validates {@link FirehoseS3EmitterOptions} with Firehose's own rules and fills in the defaults.
 * @throws InvalidArgumentError naming the option, what was expected and what came.
 */
export function resolveFirehoseS3EmitterOptions(options: FirehoseS3EmitterOptions): ResolvedFirehoseS3EmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, KNOWN);
  const d = FIREHOSE_S3_EMITTER_DEFAULTS;
  const partitioning = given.dynamicPartitioning === undefined ? {} : (requireObject('dynamicPartitioning', given.dynamicPartitioning) as DynamicPartitioningOptions);
  rejectUnknownOptions('dynamicPartitioning', partitioning, ['enabled', 'metadataExtractionQuery', 'activePartitionLimit']);
  const dynamic = requireBoolean('dynamicPartitioning.enabled', partitioning.enabled ?? false);
  const conversion = given.formatConversion === undefined ? {} : (requireObject('formatConversion', given.formatConversion) as FormatConversionOptions);
  rejectUnknownOptions('formatConversion', conversion, ['enabled', 'outputFormat', 'columns', 'compression']);
  const converting = requireBoolean('formatConversion.enabled', conversion.enabled ?? false);
  const prefixSource = given.prefix ?? d.prefix;
  const prefix = FirehosePrefix.parse('prefix', prefixSource, 'prefix', dynamic);
  if (given.errorOutputPrefix === undefined && /!\{/.test(prefixSource)) {
    throw new InvalidArgumentError('errorOutputPrefix', 'an error output prefix: Firehose requires one when the prefix has expressions', undefined);
  }
  const compressionFormat = requireOneOf('compressionFormat', given.compressionFormat ?? d.compressionFormat, Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[]);
  if (converting && compressionFormat !== 'UNCOMPRESSED') {
    throw new InvalidArgumentError('compressionFormat', 'UNCOMPRESSED with format conversion (compress the Parquet pages with formatConversion.compression)', compressionFormat);
  }
  let formatConversion: ResolvedFirehoseS3EmitterOptions['formatConversion'];
  if (converting) {
    if (conversion.outputFormat !== undefined && conversion.outputFormat !== 'PARQUET') {
      throw new InvalidArgumentError('formatConversion.outputFormat', 'PARQUET (ORC is not supported: no well-kept JavaScript ORC writer exists)', conversion.outputFormat);
    }
    formatConversion = {
      schema: new RecordSchema('formatConversion.columns', conversion.columns),
      compression: requireOneOf('formatConversion.compression', conversion.compression ?? d.parquetCompression, ['SNAPPY', 'GZIP', 'UNCOMPRESSED'] as const),
    };
  }
  const fileExtension = given.fileExtension === undefined ? (converting ? '.parquet' : COMPRESSION_EXTENSIONS[compressionFormat]) : requireString('fileExtension', given.fileExtension, { maxLength: 128, pattern: /^\.[A-Za-z0-9_.-]*$/, expected: 'a file extension starting with "." (letters, digits, _ . -), at most 128 characters' });
  const query = partitioning.metadataExtractionQuery === undefined ? undefined : requireString('dynamicPartitioning.metadataExtractionQuery', partitioning.metadataExtractionQuery);
  if (dynamic && prefix.queryKeys.length > 0 && query === undefined) {
    throw new InvalidArgumentError('dynamicPartitioning.metadataExtractionQuery', `a jq query that yields ${prefix.queryKeys.join(', ')} (the prefix uses !{partitionKeyFromQuery:…})`, undefined);
  }
  return Object.freeze({
    client: given.client === undefined ? undefined : requireAwsClient<S3Client>('client', given.client, 'an S3Client'),
    bucket: requireString('bucket', given.bucket, { maxLength: 255 }),
    deliveryStreamName: requireString('deliveryStreamName', given.deliveryStreamName, { maxLength: 64, pattern: /^[a-zA-Z0-9_.-]+$/ }),
    deliveryStreamVersion: requireInteger('deliveryStreamVersion', given.deliveryStreamVersion ?? d.deliveryStreamVersion, 1),
    prefix,
    errorOutputPrefix: FirehosePrefix.parse('errorOutputPrefix', given.errorOutputPrefix ?? d.errorOutputPrefix, 'errorPrefix'),
    timeZone: FirehoseTimeZone.parse('customTimeZone', given.customTimeZone ?? d.customTimeZone),
    compressionFormat,
    fileExtension,
    dynamicPartitioning: dynamic ? { metadataExtractionQuery: query, activePartitionLimit: requireInteger('dynamicPartitioning.activePartitionLimit', partitioning.activePartitionLimit ?? d.activePartitionLimit, 1, 5000) } : undefined,
    formatConversion,
    kmsKeyArn: requireKmsKeyArn('kmsKeyArn', given.kmsKeyArn),
    s3Backup: resolveS3Backup(given.s3Backup, d),
    multipartThresholdBytes: requireInteger('multipartThresholdBytes', given.multipartThresholdBytes ?? d.multipartThresholdBytes, MIN_PART_SIZE_BYTES),
    partSizeBytes: requireInteger('partSizeBytes', given.partSizeBytes ?? d.partSizeBytes, MIN_PART_SIZE_BYTES),
    currentTimeMs: requireFunction('currentTimeMs', given.currentTimeMs ?? d.currentTimeMs) as () => number,
    requestTimeoutMs: requireInteger('requestTimeoutMs', given.requestTimeoutMs ?? d.requestTimeoutMs, 1, 2 ** 31 - 1),
    clock: requireClock('clock', given.clock ?? d.clock),
    logger: requireLogger('logger', given.logger ?? d.logger),
  });
}

/** Firehose's buffering hints. */
export interface BufferingHints {
  /** 1–128 (at least 64 with dynamic partitioning or format conversion). @defaultValue 5 (64 with dynamic partitioning or format conversion) */
  readonly sizeInMBs?: number;
  /** 0–900. @defaultValue 300 */
  readonly intervalInSeconds?: number;
}

/**
 * Firehose's buffering hints as a pipeline's buffer thresholds: flush at `SizeInMBs` MiB or
 * `IntervalInSeconds` after the first record (0: at once), with Firehose's ranges.
 * @throws InvalidArgumentError naming the hint.
 */
export function firehoseBufferThresholds(hints: BufferingHints = {}, features: { readonly dynamicPartitioning?: boolean; readonly formatConversion?: boolean } = {}): Required<BufferThresholds> {
  requireObject('bufferingHints', hints);
  rejectUnknownOptions('bufferingHints', hints, ['sizeInMBs', 'intervalInSeconds']);
  const large = features.dynamicPartitioning === true || features.formatConversion === true;
  const minSize = large ? 64 : 1;
  const size = requireInteger('bufferingHints.sizeInMBs', hints.sizeInMBs ?? (large ? 64 : 5), minSize, 128);
  const interval = requireInteger('bufferingHints.intervalInSeconds', hints.intervalInSeconds ?? 300, 0, 900);
  return { maxBytes: size * 1024 * 1024, maxAgeMs: Math.max(1, interval * 1000), maxRecords: 10_000_000 };
}
