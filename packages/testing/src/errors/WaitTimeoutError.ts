import { TestingError } from './TestingError';

/**
 * `waitFor` gave up: its condition did not hold within `timeoutMs`. `cause` is the last error
 * the condition threw, if it threw.
 */
export class WaitTimeoutError extends TestingError {
  /** What was being waited for, as given in `description`. */
  readonly description: string;
  /** How long `waitFor` waited before giving up. */
  readonly timeoutMs: number;
  /** How many times the condition was evaluated. */
  readonly attempts: number;

  constructor(description: string, timeoutMs: number, attempts: number, lastError?: unknown) {
    const last = lastError === undefined ? '' : `; last error: ${describeError(lastError)}`;
    super('WAIT_TIMEOUT', `Timed out after ${timeoutMs} ms waiting for ${description} (${attempts} attempts)${last}`, {
      retryable: false,
      cause: lastError,
      context: { description, timeoutMs, attempts },
    });
    this.description = description;
    this.timeoutMs = timeoutMs;
    this.attempts = attempts;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
