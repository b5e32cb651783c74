import type { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError, NOOP_LOGGER, SYSTEM_CLOCK, rejectUnknownOptions, requireAwsClient, requireBoolean, requireFunction, requireInteger, requireOneOf, requireString, type Clock, type Logger, givenOptions, requireClock, requireLogger, requireMethods } from '@kinesis-toolkit/core';
import { KeyPrefix } from '../s3/KeyPrefix';
import type { SqlExecutor } from './SqlExecutor';

/** Options of {@link RedshiftEmitter}; `bucket`, `executor`, `table` and `iamRoleArn` are required. */
export interface RedshiftEmitterOptions {
  /** Writes the batch files and manifests. @defaultValue a client of its own (`new S3Client({ maxAttempts: 1 })`), destroyed at `shutdown()` */
  readonly s3Client?: S3Client;
  /** The staging bucket Redshift loads from. */
  readonly bucket?: string;
  /** Key prefix of the batch files, with `!{timestamp:…}` (first record's arrival, UTC). @defaultValue `'redshift/!{timestamp:yyyy/MM/dd/HH}/'` */
  readonly prefix?: string;
  /** Written after every item; COPY reads one row per line. @defaultValue `'\n'` */
  readonly recordDelimiter?: string;
  /** `'gzip'` compresses the files (`.gz`) and adds `GZIP` to the COPY. @defaultValue `'none'` */
  readonly compression?: 'none' | 'gzip';
  /** One session to Redshift (see {@link SqlExecutor}). */
  readonly executor?: SqlExecutor;
  /** The target table. */
  readonly table?: string;
  /** Its schema. @defaultValue the session's search_path */
  readonly schema?: string;
  /** The COPY column list. @defaultValue all columns, in table order */
  readonly columns?: readonly string[];
  /** The IAM role Redshift assumes to read the bucket: `arn:aws:iam::123456789012:role/name`. */
  readonly iamRoleArn?: string;
  /**
   * Data format and conversion options appended to the COPY, as trusted SQL from your
   * configuration (never from data), e.g. `"FORMAT AS JSON 'auto' TIMEFORMAT 'auto'"` or `"CSV"`.
   * @defaultValue `''` (pipe-delimited text, Redshift's default)
   */
  readonly copyOptions?: string;
  /** The table recording loaded files (created if missing). @defaultValue `'kinesis_toolkit_loaded_files'` */
  readonly trackingTable?: string;
  /** Run `CREATE TABLE IF NOT EXISTS` for the tracking table before the first load. @defaultValue true */
  readonly createTrackingTable?: boolean;
  /** Epoch milliseconds, for `loaded_at` and keys of records without an arrival time. @defaultValue `Date.now` */
  readonly currentTimeMs?: () => number;
  /** Each S3 request not answered in this time is abandoned and counts as a failed (retryable) attempt. @defaultValue 60000 */
  readonly requestTimeoutMs?: number;
  /** Runs the S3 request deadlines. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** @defaultValue {@link NOOP_LOGGER} */
  readonly logger?: Logger;
}

/** Every default of {@link RedshiftEmitterOptions}. */
export const REDSHIFT_EMITTER_DEFAULTS = Object.freeze({
  prefix: 'redshift/!{timestamp:yyyy/MM/dd/HH}/',
  recordDelimiter: '\n',
  compression: 'none' as 'none' | 'gzip',
  copyOptions: '',
  trackingTable: 'kinesis_toolkit_loaded_files',
  createTrackingTable: true,
  currentTimeMs: (): number => Date.now(),
  requestTimeoutMs: 60_000,
  clock: SYSTEM_CLOCK as Clock,
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link RedshiftEmitter}. */
export interface ResolvedRedshiftEmitterOptions
  extends Readonly<Omit<Required<RedshiftEmitterOptions>, 'prefix' | 'schema' | 'columns' | 's3Client'>> {
  readonly s3Client: S3Client | undefined;
  readonly prefix: KeyPrefix;
  readonly schema?: string;
  readonly columns?: readonly string[];
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Validates {@link RedshiftEmitterOptions} and fills in the defaults.
 * @throws InvalidArgumentError naming the bad option.
 */
export function resolveRedshiftEmitterOptions(options: RedshiftEmitterOptions): ResolvedRedshiftEmitterOptions {
  const given = givenOptions('options', options);
  rejectUnknownOptions('', options, [...Object.keys(REDSHIFT_EMITTER_DEFAULTS), 's3Client', 'bucket', 'executor', 'table', 'schema', 'columns', 'iamRoleArn']);
  const merged = { ...REDSHIFT_EMITTER_DEFAULTS, ...given };
  const columns = merged.columns;
  if (columns !== undefined && (!Array.isArray(columns) || columns.length === 0 || !columns.every((column) => typeof column === 'string' && column.length > 0))) {
    throw new InvalidArgumentError('columns', 'a non-empty array of column names', columns);
  }
  if (typeof merged.iamRoleArn !== 'string' || !IAM_ROLE_ARN.test(merged.iamRoleArn)) {
    throw new InvalidArgumentError('iamRoleArn', 'an IAM role ARN such as arn:aws:iam::123456789012:role/RedshiftCopy', merged.iamRoleArn);
  }
  const resolved: ResolvedRedshiftEmitterOptions = {
    s3Client: merged.s3Client === undefined ? undefined : requireAwsClient<S3Client>('s3Client', merged.s3Client, 'an S3Client'),
    bucket: requireString('bucket', merged.bucket, { maxLength: 255 }),
    prefix: KeyPrefix.parse('prefix', merged.prefix),
    recordDelimiter: requireString('recordDelimiter', merged.recordDelimiter, { minLength: 0 }),
    compression: requireOneOf('compression', merged.compression, ['none', 'gzip'] as const),
    executor: requireMethods('executor', merged.executor, ['query'], 'a SqlExecutor such as a pg.Client'),
    table: requireString('table', merged.table),
    ...(merged.schema !== undefined ? { schema: requireString('schema', merged.schema) } : {}),
    ...(columns !== undefined ? { columns: Object.freeze([...columns]) } : {}),
    iamRoleArn: merged.iamRoleArn,
    copyOptions: requireString('copyOptions', merged.copyOptions, { minLength: 0 }),
    trackingTable: requireString('trackingTable', merged.trackingTable),
    createTrackingTable: requireBoolean('createTrackingTable', merged.createTrackingTable),
    currentTimeMs: requireFunction('currentTimeMs', merged.currentTimeMs) as () => number,
    requestTimeoutMs: requireInteger('requestTimeoutMs', merged.requestTimeoutMs, 1, 2 ** 31 - 1),
    clock: requireClock('clock', merged.clock),
    logger: requireLogger('logger', merged.logger),
  };
  return Object.freeze(resolved);
}
