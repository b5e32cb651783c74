import { KinesisToolkitError, type KinesisToolkitErrorOptions } from '@kinesis-toolkit/core';

/**
 * The stable codes of {@link EmitterError}: what kind of sink write failed.
 *
 * - `S3WriteFailed`, `DynamoDBWriteFailed`, `PostgresWriteFailed`, `RedshiftLoadFailed`,
 *   `HttpDeliveryFailed`, `FileWriteFailed`: the sink refused or could not be reached.
 * - `InvalidItem`: an item cannot be written as it is (wrong type, a character the sink cannot
 *   store); retrying the same item cannot help.
 * - `TeeEmitFailed`: one or more emitters behind a {@link TeeEmitter} threw.
 * - `AccessDenied`: the sink refused the request's credentials (HTTP 401/403 of a whole request);
 *   retrying the same request cannot help.
 * - `SigningFailed`: a request could not be signed (no AWS credentials could be loaded).
 */
export type EmitterErrorCode =
  | 'S3WriteFailed'
  | 'DynamoDBWriteFailed'
  | 'PostgresWriteFailed'
  | 'RedshiftLoadFailed'
  | 'HttpDeliveryFailed'
  | 'FileWriteFailed'
  | 'InvalidItem'
  | 'TeeEmitFailed'
  | 'AccessDenied'
  | 'SigningFailed';

/**
 * What the connector's emitters throw when a whole batch could not be written. `retryable`
 * says whether the same batch may succeed later (a timeout, throttling, a lost connection) or
 * not (a missing table, a bad credential, a malformed item); `context` names the stream, shard
 * and batch.
 */
export class EmitterError extends KinesisToolkitError {
  declare readonly code: EmitterErrorCode;

  constructor(code: EmitterErrorCode, message: string, options: KinesisToolkitErrorOptions = {}) {
    super(code, message, options);
  }
}
