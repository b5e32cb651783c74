/**
 * @kinesis-toolkit/kcl — consumer workers sharing a stream through a DynamoDB lease table, and a
 * Lambda handler for Kinesis event-source mappings (also at `@kinesis-toolkit/kcl/lambda`).
 * @packageDocumentation
 */
export { Worker } from './Worker';
export type { WorkerParts } from './Worker';
export { WORKER_DEFAULTS, resolveWorkerOptions } from './config/WorkerOptions';
export type { InitialPosition, ResolvedWorkerOptions, WorkerOptions } from './config/WorkerOptions';
export type { InitializationInput, ProcessRecordsInput, RecordProcessor } from './processor/RecordProcessor';
export { BATCH_HANDLER_DEFAULTS } from './processor/BatchHandlerOptions';
export type { AutoCheckpoint, Batch, BatchHandlerOptions, EachRecordInput, FailedBatch } from './processor/BatchHandlerOptions';
export { kinesisHandler, KINESIS_HANDLER_DEFAULTS } from './lambda';
export type { KinesisBatchResponse, KinesisEvent, KinesisEventRecord, KinesisHandlerOptions, KinesisLambdaHandler, LambdaBatch, LambdaRecordInput } from './lambda';
export { Checkpointer } from './checkpoint/Checkpointer';
export type { PreparedCheckpointer } from './checkpoint/Checkpointer';
export type { LeaseLostEvent, LeaseLostReason, WorkerEvents } from './lifecycle/WorkerEvents';
export type {
  BlockOnParentTaskEvent,
  InitializeTaskEvent,
  LeaseRenewal,
  OperationEvent,
  ProcessTaskEvent,
  RecordsFetchedEvent,
  RenewAllLeasesEvent,
  ShardSyncTaskEvent,
  ShutdownTaskEvent,
  TakeLeasesEvent,
} from './lifecycle/OperationEvents';
export type { ExtendedSequenceNumber, Lease, SentinelCheckpoint } from './leases/Lease';
export { actualOwnerOf } from './leases/Lease';
export type { LeaseCallOptions, LeaseListing, LeaseStore } from './leases/LeaseStore';
export { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
export { InMemoryLeaseStore } from './leases/InMemoryLeaseStore';
export { LeaseLostError, LeaseStoreError, MalformedLeaseError } from './leases/errors';
export { InvalidCheckpointError, ShardEndNotCheckpointedError, ShardFailedError, ShardProcessingError, WorkerFailedError, WorkerStateError } from './errors';
export { DYNAMODB_LEASE_STORE_DEFAULTS } from './leases/DynamoDBLeaseStoreOptions';
export type { DynamoDBLeaseStoreOptions } from './leases/DynamoDBLeaseStoreOptions';
export type { UserRecord } from '@kinesis-toolkit/aggregation';
