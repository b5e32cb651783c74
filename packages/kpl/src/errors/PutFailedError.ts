import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';
import type { Attempt } from './Attempt';

/**
 * A user record failed for a reason retrying cannot fix (stream not found, access denied, KMS key
 * disabled, invalid argument), or was throttled with `failIfThrottled` set.
 */
export class PutFailedError extends KinesisToolkitError {
  /** The AWS error code or name. */
  readonly errorCode: string;
  readonly attempts: readonly Attempt[];

  constructor(errorCode: string, message: string, attempts: readonly Attempt[], options: { retryable: boolean; cause?: unknown; context: ErrorContext }) {
    super('PutFailed', `${errorCode}: ${message}`, options);
    this.errorCode = errorCode;
    this.attempts = attempts;
  }
}
