import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';
import { reasonOf } from './ShardFailedError';

/**
 * The worker cannot run: `start()` rejects with it, and a running worker emits it as `workerError`
 * and shuts down. `cause` is what happened (core's `AwsRequestError`, a `LeaseStoreError`, an
 * `InvalidArgumentError` for a bad processor…); `reason` is its most specific code
 * (`ResourceNotFoundException`, `AccessDeniedException`, `INVALID_ARGUMENT`…).
 */
export class WorkerFailedError extends KinesisToolkitError {
  /** The most specific code of the cause: the AWS error code when an AWS call failed. */
  readonly reason: string;

  constructor(what: string, cause: unknown, context: ErrorContext = {}) {
    const reason = reasonOf(cause);
    super('WORKER_FAILED', `${what}: ${(cause as Error)?.message ?? String(cause)}`, { retryable: false, cause, context: { ...context, reason } });
    this.reason = reason;
  }
}
