import { TestingError, type TestingErrorContext } from './TestingError';

/**
 * An emulator or server did not start: its process exited, it never answered within its
 * start timeout, or a port could not be bound. The message carries the tail of the server's
 * own output when there is one. Retryable: a second attempt (new ports) often succeeds.
 */
export class ServerStartError extends TestingError {
  /** The last lines the server wrote before it failed, if it is a child process. */
  readonly output: string;

  constructor(server: string, message: string, options: { cause?: unknown; output?: string; context?: TestingErrorContext } = {}) {
    const output = options.output?.trim() ?? '';
    super('SERVER_START_FAILED', `${server} did not start: ${message}${output === '' ? '' : `\n--- ${server} output ---\n${output}`}`, {
      retryable: true,
      cause: options.cause,
      context: { ...options.context, server },
    });
    this.output = output;
  }
}
