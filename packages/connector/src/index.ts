/**
 * @kinesis-toolkit/connector — transformer → filter → buffer → emitter pipelines on the KCL.
 * @packageDocumentation
 */
export type { Transformer } from './transformers/Transformer';
export type { Filter } from './filters/Filter';
export type { BufferThresholds, RecordBuffer, RecordBuffer as Buffer } from './buffers/RecordBuffer';
export type { BatchPosition, EmitBatch, Emitter, EmitResult, ItemSource, RejectedItem } from './emitters/Emitter';
export type { FailureRecord, FailureSink } from './failures/FailureRecord';
// Pipeline core: createPipeline, buffers, transformers, filters, failure handling.
export type { TransformContext, TransformOutcome } from './transformers/Transformer';
export { createPipeline } from './pipeline/createPipeline';
export type { Pipeline } from './pipeline/createPipeline';
export { PIPELINE_DEFAULTS, resolvePipelineOptions } from './pipeline/PipelineOptions';
export type { BufferContext, BufferFactory, PipelineOptions, PipelineRetryOptions, ResolvedPipelineOptions } from './pipeline/PipelineOptions';
export { PipelineProcessor } from './pipeline/PipelineProcessor';
export type {
  CheckpointedEvent,
  CheckpointFailedEvent,
  DeadLetteredEvent,
  EmitFailedEvent,
  FailureSinkFailedEvent,
  FlushedEvent,
  FlushReason,
  PipelineEvents,
  RetriesExhaustedEvent,
  TransformFailedEvent,
} from './pipeline/PipelineEvents';
export { MemoryBuffer } from './buffers/MemoryBuffer';
export { BUFFER_DEFAULTS, resolveBufferOptions } from './buffers/BufferOptions';
export type { ResolvedBufferOptions } from './buffers/BufferOptions';
export { JsonTransformer } from './transformers/JsonTransformer';
export type { JsonTransformerOptions } from './transformers/JsonTransformer';
export { StringTransformer } from './transformers/StringTransformer';
export { PassThroughTransformer } from './transformers/PassThroughTransformer';
export { FirehoseTransformer, firehoseTransformer } from './transformers/FirehoseTransformer';
export type {
  FirehoseInputRecord,
  FirehoseResultRecord,
  FirehoseTransformationEvent,
  FirehoseTransformationResult,
  FirehoseTransformerOptions,
  FirehoseTransformFunction,
} from './transformers/FirehoseTransformer';
export { PredicateFilter, predicateFilter } from './filters/PredicateFilter';
export { InMemoryFailureSink } from './failures/InMemoryFailureSink';
export { toFailureRecord } from './failures/toFailureRecord';
export { TransformError } from './errors/TransformError';
export type { TransformErrorCode } from './errors/TransformError';
export { EmitError } from './errors/EmitError';
export type { EmitErrorCode } from './errors/EmitError';
export { FailureSinkError } from './errors/FailureSinkError';
// Sink emitters.
export { EmitterError } from './emitters/EmitterError';
export type { EmitterErrorCode } from './emitters/EmitterError';
export type { ByteItem } from './emitters/internal/itemBytes';
export { KeyPrefix } from './emitters/s3/KeyPrefix';
export type { KeyPrefixValues } from './emitters/s3/KeyPrefix';
export { S3Emitter } from './emitters/s3/S3Emitter';
export { S3_EMITTER_DEFAULTS, resolveS3EmitterOptions } from './emitters/s3/S3EmitterOptions';
export type { ResolvedS3EmitterOptions, S3EmitterOptions } from './emitters/s3/S3EmitterOptions';
export { S3FailureSink, S3_FAILURE_SINK_DEFAULTS, resolveS3FailureSinkOptions } from './emitters/s3/S3FailureSink';
export type { ResolvedS3FailureSinkOptions, S3FailureSinkOptions } from './emitters/s3/S3FailureSink';
export { DynamoDBEmitter, MAX_BATCH_WRITE_ITEMS } from './emitters/dynamodb/DynamoDBEmitter';
export type { DynamoDBItem } from './emitters/dynamodb/DynamoDBEmitter';
export { DYNAMODB_EMITTER_DEFAULTS, resolveDynamoDBEmitterOptions } from './emitters/dynamodb/DynamoDBEmitterOptions';
export type { DynamoDBEmitterOptions, ResolvedDynamoDBEmitterOptions } from './emitters/dynamodb/DynamoDBEmitterOptions';
export { PostgresEmitter } from './emitters/postgres/PostgresEmitter';
export type { PostgresRow } from './emitters/postgres/PostgresEmitter';
export { POSTGRES_EMITTER_DEFAULTS, resolvePostgresEmitterOptions } from './emitters/postgres/PostgresEmitterOptions';
export type { PostgresEmitterOptions, PostgresPool, PostgresPoolClient, ResolvedPostgresEmitterOptions } from './emitters/postgres/PostgresEmitterOptions';
export { encodeCopyRow, encodeCopyValue } from './emitters/postgres/copyText';
export { RedshiftEmitter } from './emitters/redshift/RedshiftEmitter';
export type { RedshiftBatchFiles } from './emitters/redshift/RedshiftEmitter';
export { REDSHIFT_EMITTER_DEFAULTS, resolveRedshiftEmitterOptions } from './emitters/redshift/RedshiftEmitterOptions';
export type { RedshiftEmitterOptions, ResolvedRedshiftEmitterOptions } from './emitters/redshift/RedshiftEmitterOptions';
export type { SqlExecutor } from './emitters/redshift/SqlExecutor';
export { HttpEndpointEmitter } from './emitters/http/HttpEndpointEmitter';
export { HTTP_ENDPOINT_EMITTER_DEFAULTS, resolveHttpEndpointEmitterOptions } from './emitters/http/HttpEndpointEmitterOptions';
export type { HttpEndpointEmitterOptions, ResolvedHttpEndpointEmitterOptions } from './emitters/http/HttpEndpointEmitterOptions';
export { StdoutEmitter } from './emitters/debug/StdoutEmitter';
export type { StdoutEmitterOptions } from './emitters/debug/StdoutEmitter';
export { FileEmitter } from './emitters/debug/FileEmitter';
export type { FileEmitterOptions } from './emitters/debug/FileEmitter';
export { LINE_FORMAT_DEFAULTS } from './emitters/debug/formatLines';
export type { LineFormatOptions } from './emitters/debug/formatLines';
export { TeeEmitter, TEE_EMITTER_DEFAULTS, resolveTeeEmitterOptions } from './emitters/TeeEmitter';
export type { TeeEmitterOptions } from './emitters/TeeEmitter';
export { MappingEmitter } from './emitters/MappingEmitter';
// Firehose delivery to S3 (object names, prefixes, dynamic partitioning, compression, Parquet).
export { FirehoseS3Emitter } from './emitters/firehose/FirehoseS3Emitter';
export { FIREHOSE_S3_EMITTER_DEFAULTS, firehoseBufferThresholds, resolveFirehoseS3EmitterOptions } from './emitters/firehose/FirehoseS3EmitterOptions';
export { requireKmsKeyArn } from './emitters/firehose/kmsKeyArn';
export type { ResolvedS3Backup, S3BackupOptions } from './emitters/firehose/backup/S3BackupOptions';
export type {
  BufferingHints,
  DynamicPartitioningOptions,
  FirehoseS3EmitterOptions,
  FormatConversionOptions,
  ResolvedFirehoseS3EmitterOptions,
} from './emitters/firehose/FirehoseS3EmitterOptions';
export { DEFAULT_TIME_PREFIX, FirehosePrefix, MAX_EVALUATED_PREFIX_LENGTH, MAX_PREFIX_LENGTH } from './emitters/firehose/FirehosePrefix';
export type { ErrorOutputType, PrefixValues } from './emitters/firehose/FirehosePrefix';
export { FirehoseTimeZone } from './emitters/firehose/FirehoseTimeZone';
export { COMPRESSION_EXTENSIONS, compressObject } from './emitters/firehose/compression/compressObject';
export type { CompressionFormat } from './emitters/firehose/compression/compressObject';
export { RecordSchema } from './emitters/firehose/conversion/RecordSchema';
export type { ColumnType, ConvertedRow, SchemaColumn } from './emitters/firehose/conversion/RecordSchema';
export type { ParquetCompression } from './emitters/firehose/conversion/writeParquet';
export { JqQuery } from './emitters/firehose/partitioning/JqQuery';
export { firehoseObjectName } from './emitters/firehose/objectName';
export { lambdaPartitionKeysOf } from './transformers/lambdaPartitionKeys';
// OpenSearch / Elasticsearch (_bulk), as Firehose delivers.
export { OpenSearchEmitter } from './emitters/opensearch/OpenSearchEmitter';
export { OPENSEARCH_EMITTER_DEFAULTS, resolveOpenSearchEmitterOptions } from './emitters/opensearch/OpenSearchEmitterOptions';
export type { OpenSearchEmitterOptions, OpenSearchS3BackupMode, OpenSearchS3BackupOptions, ResolvedOpenSearchEmitterOptions } from './emitters/opensearch/OpenSearchEmitterOptions';
export { OPENSEARCH_SIGNING_DEFAULTS } from './emitters/opensearch/OpenSearchSigning';
export type { OpenSearchSigningOptions, ResolvedOpenSearchSigning } from './emitters/opensearch/OpenSearchSigning';
export { rotatedIndexName } from './emitters/opensearch/indexRotation';
export type { IndexRotationPeriod } from './emitters/opensearch/indexRotation';
