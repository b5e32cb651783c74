import { rejectUnknownOptions, requireBoolean, requireInteger, requireObject } from '@kinesis-toolkit/core';
import { AGGREGATE_PARTITION_KEY, KPL_AGGREGATION_MAGIC, MAX_RECORD_BYTES, MD5_DIGEST_BYTES } from './limits';

/** Options of {@link AggregateBuilder}; all optional. */
export interface AggregateBuilderOptions {
  /**
   * Largest data size, in bytes, of a built aggregate (magic, protobuf and MD5 trailer).
   * @defaultValue 1 MiB minus the aggregate's partition key ("a"): 1,048,575
   */
  readonly maxBytes?: number;
  /**
   * Most user records in one aggregate.
   * @defaultValue unlimited (the KPL's 4,294,967,295)
   */
  readonly maxCount?: number;
  /**
   * Send an aggregate that holds a single user record as that plain record, as the KPL does.
   * @defaultValue true
   */
  readonly unaggregatedSingleRecord?: boolean;
}

/** The resolved, validated form of {@link AggregateBuilderOptions}. */
export type ResolvedAggregateBuilderOptions = Required<AggregateBuilderOptions>;

const DEFAULTS: ResolvedAggregateBuilderOptions = Object.freeze({
  maxBytes: MAX_RECORD_BYTES - Buffer.byteLength(AGGREGATE_PARTITION_KEY),
  maxCount: 0xffffffff,
  unaggregatedSingleRecord: true,
});

/** The smallest `maxBytes`: magic, MD5 trailer and a few protobuf bytes. */
const SMALLEST_AGGREGATE_BYTES = KPL_AGGREGATION_MAGIC.length + MD5_DIGEST_BYTES + 4;

/** The largest aggregate a stream with a raised record limit takes: 10 MiB. */
const MAX_AGGREGATE_BYTES = 10 * MAX_RECORD_BYTES;

/**
 * Validates options once and fills in defaults.
 * @throws `InvalidArgumentError` naming the option (`maxBytes: expected an integer in [24, 10485760], got NaN`).
 */
export function resolveAggregateBuilderOptions(options: AggregateBuilderOptions = {}): ResolvedAggregateBuilderOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, Object.keys(DEFAULTS));
  return Object.freeze({
    maxBytes: requireInteger('maxBytes', options.maxBytes ?? DEFAULTS.maxBytes, SMALLEST_AGGREGATE_BYTES, MAX_AGGREGATE_BYTES),
    maxCount: requireInteger('maxCount', options.maxCount ?? DEFAULTS.maxCount, 1),
    unaggregatedSingleRecord: requireBoolean('unaggregatedSingleRecord', options.unaggregatedSingleRecord ?? DEFAULTS.unaggregatedSingleRecord),
  });
}
