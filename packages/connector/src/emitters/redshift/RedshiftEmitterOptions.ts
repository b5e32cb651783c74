import type { S3Client } from '@aws-sdk/client-s3';
import { NOOP_LOGGER, type Logger } from '@kinesis-toolkit/core';
import { describe, requireBoolean, requireFunction, requireMethods, requireOneOf, requireString, withoutUndefined } from '../internal/options';
import { KeyPrefix } from '../s3/KeyPrefix';
import type { SqlExecutor } from './SqlExecutor';

/** Options of {@link RedshiftEmitter}; `s3Client`, `bucket`, `executor`, `table` and `iamRoleArn` are required. */
export interface RedshiftEmitterOptions {
  /** Writes the batch files and manifests. */
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
  logger: NOOP_LOGGER as Logger,
});

/** The complete, validated configuration of a {@link RedshiftEmitter}. */
export interface ResolvedRedshiftEmitterOptions
  extends Readonly<Omit<Required<RedshiftEmitterOptions>, 'prefix' | 'schema' | 'columns'>> {
  readonly prefix: KeyPrefix;
  readonly schema?: string;
  readonly columns?: readonly string[];
}

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/**
 * Validates {@link RedshiftEmitterOptions} and fills in the defaults.
 * @throws TypeError naming the bad option.
 */
export function resolveRedshiftEmitterOptions(options: RedshiftEmitterOptions): ResolvedRedshiftEmitterOptions {
  const merged = { ...REDSHIFT_EMITTER_DEFAULTS, ...withoutUndefined(options) };
  requireMethods('s3Client', merged.s3Client, ['send'], 'an S3Client');
  requireString('bucket', merged.bucket);
  requireString('recordDelimiter', merged.recordDelimiter, { allowEmpty: true });
  requireOneOf('compression', merged.compression, ['none', 'gzip']);
  requireMethods('executor', merged.executor, ['query'], 'a SqlExecutor such as a pg.Client');
  requireString('table', merged.table);
  if (merged.schema !== undefined) requireString('schema', merged.schema);
  const columns = merged.columns;
  if (columns !== undefined && (!Array.isArray(columns) || columns.length === 0 || !columns.every((column) => typeof column === 'string' && column.length > 0))) {
    throw new TypeError(`columns: expected a non-empty array of column names, got ${describe(columns)}`);
  }
  if (typeof merged.iamRoleArn !== 'string' || !IAM_ROLE_ARN.test(merged.iamRoleArn)) {
    throw new TypeError(`iamRoleArn: expected an IAM role ARN such as arn:aws:iam::123456789012:role/RedshiftCopy, got ${describe(merged.iamRoleArn)}`);
  }
  requireString('copyOptions', merged.copyOptions, { allowEmpty: true });
  requireString('trackingTable', merged.trackingTable);
  requireBoolean('createTrackingTable', merged.createTrackingTable);
  requireFunction('currentTimeMs', merged.currentTimeMs);
  requireMethods('logger', merged.logger, ['debug', 'info', 'warn', 'error'], 'a Logger');
  return Object.freeze({ ...(merged as Required<RedshiftEmitterOptions>), prefix: KeyPrefix.parse('prefix', merged.prefix) });
}
