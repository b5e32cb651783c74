/**
 * @kinesis-toolkit/kcl/lambda — the Lambda handler alone (no Worker, no DynamoDB or Kinesis client
 * loaded at cold start). Also exported by `@kinesis-toolkit/kcl`.
 * @packageDocumentation
 */
export { kinesisHandler } from './kinesisHandler';
export type { KinesisLambdaHandler } from './kinesisHandler';
export { KINESIS_HANDLER_DEFAULTS, resolveKinesisHandlerOptions } from './KinesisHandlerOptions';
export type { KinesisHandlerOptions, LambdaBatch, LambdaRecordInput, ResolvedKinesisHandlerOptions } from './KinesisHandlerOptions';
export type { KinesisBatchResponse, KinesisEvent, KinesisEventRecord } from './KinesisEvent';
export type { UserRecord } from '@kinesis-toolkit/aggregation';
