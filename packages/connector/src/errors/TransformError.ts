import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/**
 * The stable codes of {@link TransformError}.
 *
 * - `TransformFailed`: a transformer's `toItem`/`transformBatch` (or a filter's `keep`) threw.
 * - `EmittableFailed`: a transformer's `toEmittable` threw for a buffered item.
 * - `InvalidJson`, `InvalidUtf8`: the record's bytes are not what the transformer reads.
 * - `ProcessingFailed`, `MissingRecordId`, `DuplicatedRecordId`, `InvalidResult`: a Firehose-style
 *   transformation function rejected the record, or answered for it wrongly.
 */
export type TransformErrorCode =
  | 'TransformFailed'
  | 'EmittableFailed'
  | 'InvalidJson'
  | 'InvalidUtf8'
  | 'ProcessingFailed'
  | 'MissingRecordId'
  | 'DuplicatedRecordId'
  | 'InvalidResult';

/**
 * A record could not be turned into an item (or an item into what the emitter writes). Never
 * retryable: the pipeline sends the record to the failure sink with this error and goes on.
 */
export class TransformError extends KinesisToolkitError {
  declare readonly code: TransformErrorCode;

  constructor(code: TransformErrorCode, message: string, options: { readonly cause?: unknown; readonly context?: ErrorContext } = {}) {
    super(code, message, { retryable: false, cause: options.cause, context: options.context });
  }
}
