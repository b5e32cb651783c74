/**
 * @kinesis-toolkit/connector — transformer → filter → buffer → emitter pipelines on the KCL.
 * @packageDocumentation
 */
export type { Transformer } from './transformers/Transformer';
export type { Filter } from './filters/Filter';
export type { BufferThresholds, RecordBuffer, RecordBuffer as Buffer } from './buffers/RecordBuffer';
export type { BatchPosition, EmitBatch, Emitter, EmitResult, ItemSource } from './emitters/Emitter';
export type { FailureRecord, FailureSink } from './failures/FailureRecord';
