/**
 * @kinesis-toolkit/aggregation — the KPL aggregated-record wire format, partition-key
 * hashing and shard lookup. No AWS calls.
 * @packageDocumentation
 */
export { AggregateBuilder, resolveAggregateBuilderOptions } from './AggregateBuilder';
export type { AggregateBuilderOptions, ResolvedAggregateBuilderOptions } from './AggregateBuilder';
export { aggregate } from './aggregate';
export type { AggregateOptions } from './aggregate';
export { deaggregate, isAggregated } from './deaggregate';
export type { DeaggregateOptions, DeaggregationResult, HashKeyRange, LambdaKinesisRecord, SdkKinesisRecord } from './deaggregate';
export type { KinesisRecordOutput, UserRecord, UserRecordInput } from './records/UserRecord';
export { validatePartitionKey, validateUserRecord } from './records/validateUserRecord';
export { effectiveHashKey, hashKeyDecimalOf, hashKeyOf, parseExplicitHashKey } from './hashing/hashKey';
export { ShardMap } from './hashing/ShardMap';
export { compareHashKeyWords, hashKeyToWords, hashKeyWordsOf, utf8ByteLength, wordsToHashKey } from './hashing/HashKeyWords';
export type { ShardDescription, ShardRange } from './hashing/ShardMap';
export { InvalidRecordError } from './errors/InvalidRecordError';
export type { RecordField } from './errors/InvalidRecordError';
export { RecordTooLargeError } from './errors/RecordTooLargeError';
export { EmptyAggregateError } from './errors/EmptyAggregateError';
export { CorruptAggregateError } from './codec/CorruptAggregateError';
export { InvalidShardMapError } from './hashing/InvalidShardMapError';
export {
  AGGREGATE_PARTITION_KEY,
  KPL_AGGREGATION_MAGIC,
  MAX_PARTITION_KEY_LENGTH,
  MAX_RECORD_BYTES,
  MD5_DIGEST_BYTES,
} from './limits';
