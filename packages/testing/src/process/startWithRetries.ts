import { isToolkitError, RetryPolicy, SYSTEM_CLOCK, type Clock, type Logger } from '@kinesis-toolkit/core';

// Port races need no real backoff: a few milliseconds, then new ports.
const START_RETRY = { baseDelayMs: 10, maxDelayMs: 200 } as const;

/**
 * Starts a server under core's {@link RetryPolicy}, up to `attempts` times (with new ports, as
 * `startOnce` picks them): most failures are a port taken between choosing it and the server
 * binding it. An error of the toolkit family that says it is not retryable (a bad option) ends
 * it at once.
 * @throws the last start's error when every attempt failed.
 */
export function startWithRetries<T>(name: string, attempts: number, logger: Logger, startOnce: () => Promise<T>, clock: Clock = SYSTEM_CLOCK): Promise<T> {
  return new RetryPolicy({ ...START_RETRY, maxAttempts: attempts }, { clock }).run(() => startOnce(), {
    isRetryable: (error) => !isToolkitError(error) || error.retryable,
    onRetry: ({ attempt, error }) => logger.warn({ attempt, error: String(error) }, `${name} did not start; retrying with new ports`),
  });
}
