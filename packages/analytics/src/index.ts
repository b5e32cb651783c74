/**
 * @kinesis-toolkit/analytics — Kinesis Data Analytics (KDA) SQL applications in Node.js: the
 * SQL dialect (streams, pumps, tumbling, sliding and stagger windows, reference tables,
 * error_stream), run in memory or on the KCL.
 * @packageDocumentation
 */
export { compileApplication } from './compileApplication';
export { parseApplicationSql } from './sql/parseApplicationSql';
export type * from './sql/ast';
export type { SourcePosition } from './sql/SourcePosition';
export { SqlError } from './sql/SqlError';
export type { SqlErrorKind } from './sql/SqlError';
export { planApplication } from './plan/planApplication';
export type { PlanOptions } from './plan/planApplication';
export { explainPlan } from './plan/explainPlan';
export { ERROR_STREAM, ERROR_STREAM_COLUMNS } from './plan/ApplicationPlan';
export type { ApplicationPlan, PlannedPump, PlannedStream, RepartitionStage } from './plan/ApplicationPlan';
export type { Catalog, ColumnSchema } from './plan/Catalog';
export { AnalyticsEngine } from './engine/AnalyticsEngine';
export type { EngineOptions } from './engine/AnalyticsEngine';
export type { StreamRow } from './engine/StreamRow';
export { formatOutputRow } from './engine/formatOutputRow';
export { runRows } from './engine/runRows';
export type { InputRow, RunRowsInput } from './engine/runRows';
export { fromDescribeApplication, inputStreamName } from './config/ApplicationConfig';
export type { ApplicationConfig, InputConfig, OutputConfig, ReferenceConfig } from './config/ApplicationConfig';
export { InvalidConfigError, columnsOf, validateSourceSchema } from './config/SourceSchema';
export type { RecordColumn, RecordFormat, SourceSchema } from './config/SourceSchema';
export { RecordMapper } from './config/RecordMapper';
export { formatDestinationRecord } from './config/formatDestinationRecord';
export { inferColumns } from './config/inferColumns';
export { parseReferenceFile, parseTestRows, TestInputError } from './config/testInput';
export type { ReferenceTableFile } from './config/testInput';
export { AnalyticsError } from './errors/AnalyticsError';
export { EvaluationError } from './errors/EvaluationError';
export type { SqlType, SqlValue } from './types/SqlType';
export { AnalyticsApplication } from './runtime/AnalyticsApplication';
export { AnalyticsRecordProcessor } from './runtime/AnalyticsRecordProcessor';
export { AnalyticsWorker } from './runtime/AnalyticsWorker';
export { RepartitionProcessor } from './runtime/RepartitionProcessor';
export { repartitionPlanOf } from './plan/repartitionPlan';
export type { RepartitionPlan } from './plan/repartitionPlan';
export { decodeRow, encodeRow } from './runtime/rowCodec';
export type { RepartitionedRow } from './runtime/rowCodec';
export type { AnalyticsWorkerOptions } from './runtime/AnalyticsWorker';
export { APPLICATION_DEFAULTS, resolveApplicationOptions } from './runtime/ApplicationOptions';
export type { ApplicationOptions, ReferenceSource, ResolvedApplicationOptions } from './runtime/ApplicationOptions';
export { s3ReferenceLoader } from './runtime/s3ReferenceLoader';
export type { AnalyticsOutput, OutputRow } from './outputs/AnalyticsOutput';
export { KinesisStreamOutput } from './outputs/KinesisStreamOutput';
export { EmitterOutput } from './outputs/EmitterOutput';
export { CallbackOutput } from './outputs/CallbackOutput';
export { rowKey } from './outputs/rowKey';
