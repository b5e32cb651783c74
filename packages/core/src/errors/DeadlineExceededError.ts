import { KinesisToolkitError, type ErrorContext } from './KinesisToolkitError';

/**
 * A call was not answered within its deadline and was abandoned (its `AbortSignal` fired). Retryable:
 * the call may succeed on another connection. `context.operation` names the call.
 */
export class DeadlineExceededError extends KinesisToolkitError {
  /** The deadline that passed, in milliseconds. */
  readonly timeoutMs: number;

  constructor(operation: string, timeoutMs: number, context: ErrorContext = {}) {
    super('DEADLINE_EXCEEDED', `${operation}: no answer within ${timeoutMs} ms (abandoned; will retry if its budget allows)`, {
      retryable: true,
      context: { operation, timeoutMs, ...context },
    });
    this.timeoutMs = timeoutMs;
  }
}
