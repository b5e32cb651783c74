import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireAwsClient, requireFunction, requireInteger, requireObject, requireOneOf, requireString, requireUrl, type Clock, type Logger, givenOptions, requireClock, requireLogger } from '@kinesis-toolkit/core';
import { COMPRESSION_EXTENSIONS, type CompressionFormat } from '../firehose/compression/compressObject';
import { FirehosePrefix } from '../firehose/FirehosePrefix';
import { requireKmsKeyArn } from '../firehose/kmsKeyArn';
import type { IndexRotationPeriod } from './indexRotation';
import { resolveOpenSearchSigning, type OpenSearchSigningOptions, type ResolvedOpenSearchSigning } from './OpenSearchSigning';

/** Firehose's `S3BackupMode` of an OpenSearch destination. */
export type OpenSearchS3BackupMode = 'FailedDocumentsOnly' | 'AllDocuments';

/**
 * Firehose's S3 backup of an OpenSearch destination (`S3BackupMode` + `S3Configuration`): documents
 * that could not be indexed always go there, under the error prefix; with `AllDocuments` every
 * source record of every batch goes there too, under `prefix`.
 */
export interface OpenSearchS3BackupOptions {
  /**
   * `FailedDocumentsOnly`: only documents that could not be indexed are written; `AllDocuments`:
   * also each batch's source records (as read from the stream, before the pipeline's transformer),
   * one object per batch under `prefix` — failed documents still go under `errorOutputPrefix`.
   * @defaultValue `FailedDocumentsOnly` (Firehose's default)
   */
  readonly mode?: OpenSearchS3BackupMode;
  readonly client?: S3Client;
  readonly bucket?: string;
  /**
   * `AllDocuments` only: the prefix of the backup objects (`!{timestamp:…}`, `!{firehose:random-string}`;
   * `yyyy/MM/dd/HH/` appended without a timestamp). @defaultValue `''`: `2024/05/01/13/`
   */
  readonly prefix?: string;
  /** @defaultValue `'!{firehose:error-output-type}/'` (+ `yyyy/MM/dd/HH/`): `AmazonOpenSearchService-failed/2024/05/01/13/` */
  readonly errorOutputPrefix?: string;
  /**
   * `S3Configuration.CompressionFormat`: every object written to the bucket — the `AllDocuments`
   * backup and the failed documents under the error prefix — is compressed (`GZIP`, `ZIP`, `Snappy`
   * framing format, `HADOOP_SNAPPY`) and named with the format's extension (`.gz`, `.zip`, `.snappy`).
   * @defaultValue `UNCOMPRESSED`
   */
  readonly compressionFormat?: CompressionFormat;
  /**
   * `S3Configuration.EncryptionConfiguration.KMSEncryptionConfig.AWSKMSKeyARN`: every object is
   * written with `ServerSideEncryption: aws:kms` and this key.
   * @defaultValue none (no encryption header: the bucket's default encryption applies)
   */
  readonly kmsKeyArn?: string;
}

/** Options of {@link OpenSearchEmitter}; `endpoint`, `indexName` and `s3Backup.bucket` are required. */
export interface OpenSearchEmitterOptions {
  /** The cluster's URL (`https://search-…:443`); `_bulk` is added to it. */
  readonly endpoint?: string;
  readonly indexName?: string;
  /** `_type` of every document (Elasticsearch 6 and older); none for OpenSearch and Elasticsearch 7+. @defaultValue none */
  readonly typeName?: string;
  /** @defaultValue `OneDay` (Firehose's default) */
  readonly indexRotationPeriod?: IndexRotationPeriod;
  /** `FIREHOSE_DEFAULT`: a document id derived from the record's position (a retry overwrites); `NO_DOCUMENT_ID`: the cluster picks one. @defaultValue `FIREHOSE_DEFAULT` */
  readonly documentIdFormat?: 'FIREHOSE_DEFAULT' | 'NO_DOCUMENT_ID';
  /** Documents failing with a retryable error are retried until this long after their first attempt (Firehose: 0–7200 s). @defaultValue 300 */
  readonly retryDurationInSeconds?: number;
  /** Sent with every request (Authorization: Basic …, an API key). @defaultValue `{}` */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Sign every `_bulk` request with SigV4 (Amazon OpenSearch Service with IAM access, or
   * OpenSearch Serverless): `{ region, service?: 'es' | 'aoss', credentials? }`. Then `headers`
   * may not set `Authorization`, `Host` or `X-Amz-*`.
   * @defaultValue none (unsigned)
   */
  readonly signing?: OpenSearchSigningOptions;
  readonly s3Backup?: OpenSearchS3BackupOptions;
  /** Each `_bulk` request's deadline. @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /** @defaultValue 16 MiB */
  readonly maxResponseBytes?: number;
  /** Epoch milliseconds (retry duration, failed-document timestamps). @defaultValue `Date.now` */
  readonly currentTimeMs?: () => number;
  /** @defaultValue the system clock */
  readonly clock?: Clock;
  /** @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/** Every default of {@link OpenSearchEmitterOptions}. */
export const OPENSEARCH_EMITTER_DEFAULTS = Object.freeze({
  indexRotationPeriod: 'OneDay' as IndexRotationPeriod,
  documentIdFormat: 'FIREHOSE_DEFAULT' as 'FIREHOSE_DEFAULT' | 'NO_DOCUMENT_ID',
  retryDurationInSeconds: 300,
  headers: Object.freeze({}) as Readonly<Record<string, string>>,
  s3BackupMode: 'FailedDocumentsOnly' as OpenSearchS3BackupMode,
  prefix: '',
  errorOutputPrefix: '!{firehose:error-output-type}/',
  compressionFormat: 'UNCOMPRESSED' as CompressionFormat,
  requestTimeoutMs: 60_000,
  maxResponseBytes: 16 * 1024 * 1024,
  currentTimeMs: (): number => Date.now(),
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of an {@link OpenSearchEmitter}. */
export interface ResolvedOpenSearchEmitterOptions {
  readonly bulkUrl: URL;
  readonly indexName: string;
  readonly typeName: string | undefined;
  readonly indexRotationPeriod: IndexRotationPeriod;
  readonly documentIdFormat: 'FIREHOSE_DEFAULT' | 'NO_DOCUMENT_ID';
  readonly retryDurationMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Undefined: requests are not signed. */
  readonly signing: ResolvedOpenSearchSigning | undefined;
  readonly s3Client: S3Client | undefined;
  readonly s3Bucket: string;
  readonly s3BackupMode: OpenSearchS3BackupMode;
  /** Where `AllDocuments` writes each batch's source records; undefined with `FailedDocumentsOnly`. */
  readonly backupPrefix: FirehosePrefix | undefined;
  readonly errorOutputPrefix: FirehosePrefix;
  /** Of every object written to the bucket (backup and failed documents). */
  readonly compressionFormat: CompressionFormat;
  /** SSE-KMS key of every object written to the bucket; undefined: no encryption header. */
  readonly kmsKeyArn: string | undefined;
  readonly requestTimeoutMs: number;
  readonly maxResponseBytes: number;
  readonly currentTimeMs: () => number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Validates {@link OpenSearchEmitterOptions} with Firehose's ranges and fills in the defaults.
 * @throws InvalidArgumentError naming the option.
 */
export function resolveOpenSearchEmitterOptions(options: OpenSearchEmitterOptions): ResolvedOpenSearchEmitterOptions {
  const given = givenOptions('options', options);
  const inS3Backup = ['s3BackupMode', 'prefix', 'errorOutputPrefix', 'compressionFormat'];
  rejectUnknownOptions('', options, [...Object.keys(OPENSEARCH_EMITTER_DEFAULTS).filter((k) => !inS3Backup.includes(k)), 'endpoint', 'indexName', 'typeName', 's3Backup', 'signing']);
  const d = OPENSEARCH_EMITTER_DEFAULTS;
  const backup = requireObject('s3Backup', given.s3Backup) as OpenSearchS3BackupOptions;
  rejectUnknownOptions('s3Backup', backup, ['mode', 'client', 'bucket', 'prefix', 'errorOutputPrefix', 'compressionFormat', 'kmsKeyArn']);
  const s3BackupMode = requireOneOf('s3Backup.mode', backup.mode ?? d.s3BackupMode, ['FailedDocumentsOnly', 'AllDocuments'] as const);
  // A prefix that nothing is written under would be a setting that silently does nothing.
  if (s3BackupMode === 'FailedDocumentsOnly' && backup.prefix !== undefined) {
    throw new InvalidArgumentError('s3Backup.prefix', "set with mode 'AllDocuments' only (with FailedDocumentsOnly every object goes under errorOutputPrefix)", backup.prefix);
  }
  if (typeof backup.prefix === 'string' && backup.prefix.includes('!{') && backup.errorOutputPrefix === undefined) {
    throw new InvalidArgumentError('s3Backup.errorOutputPrefix', 'an error output prefix: Firehose requires one when the prefix has expressions', undefined);
  }
  const endpoint = requireUrl('endpoint', given.endpoint);
  const indexName = requireString('indexName', given.indexName, { maxLength: 80, pattern: /^[^A-Z\\/*?"<>| ,#:]+$/, expected: 'a lower-case index name without \\ / * ? " < > | , # : or spaces (at most 80 characters)' });
  const headers = requireObject('headers', given.headers ?? d.headers) as Record<string, string>;
  for (const [name, value] of Object.entries(headers)) if (typeof value !== 'string') throw new InvalidArgumentError(`headers.${name}`, 'a string', value);
  const signing = given.signing === undefined ? undefined : resolveOpenSearchSigning(given.signing);
  if (signing !== undefined) {
    // The signature owns these: a caller's value would be sent unsigned, or break the signature.
    const owned = Object.keys(headers).find((name) => /^(authorization|host|x-amz-.*)$/i.test(name));
    if (owned !== undefined) throw new InvalidArgumentError(`headers.${owned}`, 'not set with signing (the SigV4 signature sets it)', '(a value)');
  }
  return Object.freeze({
    bulkUrl: new URL(`${endpoint.replace(/\/+$/, '')}/_bulk`),
    indexName,
    typeName: given.typeName === undefined ? undefined : requireString('typeName', given.typeName, { maxLength: 100 }),
    indexRotationPeriod: requireOneOf('indexRotationPeriod', given.indexRotationPeriod ?? d.indexRotationPeriod, ['NoRotation', 'OneHour', 'OneDay', 'OneWeek', 'OneMonth'] as const),
    documentIdFormat: requireOneOf('documentIdFormat', given.documentIdFormat ?? d.documentIdFormat, ['FIREHOSE_DEFAULT', 'NO_DOCUMENT_ID'] as const),
    retryDurationMs: requireInteger('retryDurationInSeconds', given.retryDurationInSeconds ?? d.retryDurationInSeconds, 0, 7200) * 1000,
    headers: Object.freeze({ ...headers }),
    signing,
    s3Client: backup.client === undefined ? undefined : requireAwsClient<S3Client>('s3Backup.client', backup.client, 'an S3Client'),
    s3Bucket: requireString('s3Backup.bucket', backup.bucket, { maxLength: 255 }),
    s3BackupMode,
    backupPrefix: s3BackupMode === 'AllDocuments' ? FirehosePrefix.parse('s3Backup.prefix', backup.prefix ?? d.prefix, 'prefix') : undefined,
    errorOutputPrefix: FirehosePrefix.parse('s3Backup.errorOutputPrefix', backup.errorOutputPrefix ?? d.errorOutputPrefix, 'errorPrefix'),
    compressionFormat: requireOneOf('s3Backup.compressionFormat', backup.compressionFormat ?? d.compressionFormat, Object.keys(COMPRESSION_EXTENSIONS) as CompressionFormat[]),
    kmsKeyArn: requireKmsKeyArn('s3Backup.kmsKeyArn', backup.kmsKeyArn),
    requestTimeoutMs: requireInteger('requestTimeoutMs', given.requestTimeoutMs ?? d.requestTimeoutMs, 1, 2 ** 31 - 1),
    maxResponseBytes: requireInteger('maxResponseBytes', given.maxResponseBytes ?? d.maxResponseBytes, 1024),
    currentTimeMs: requireFunction('currentTimeMs', given.currentTimeMs ?? d.currentTimeMs) as () => number,
    clock: requireClock('clock', given.clock ?? d.clock),
    logger: requireLogger('logger', given.logger ?? d.logger),
  });
}
