import { KinesisToolkitError } from './KinesisToolkitError';

/** Work was stopped on purpose (shutdown, close, a lease lost) through an `AbortSignal`. Not retryable. */
export class AbortedError extends KinesisToolkitError {
  constructor(message = 'the operation was aborted', cause?: unknown) {
    super('ABORTED', message, { retryable: false, cause });
  }
}
