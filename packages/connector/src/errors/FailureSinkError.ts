import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/**
 * The failure sink rejected (threw on) failure records. Retryable: the pipeline keeps trying to
 * dead-letter them and does not checkpoint past them meanwhile.
 */
export class FailureSinkError extends KinesisToolkitError {
  declare readonly code: 'FailureSinkFailed';

  constructor(message: string, options: { readonly cause?: unknown; readonly context?: ErrorContext } = {}) {
    super('FailureSinkFailed', message, { retryable: true, cause: options.cause, context: options.context });
  }
}
