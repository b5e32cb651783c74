import type { Logger } from '@kinesis-toolkit/core';

/**
 * Starts a server, trying again (with new ports, as `startOnce` picks them) up to `attempts`
 * times: most failures are a port taken between choosing it and the server binding it.
 * @throws the last start's error when every attempt failed.
 */
export async function startWithRetries<T>(name: string, attempts: number, logger: Logger, startOnce: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await startOnce();
    } catch (error) {
      lastError = error;
      logger.warn({ attempt, error: String(error) }, `${name} did not start`);
    }
  }
  throw lastError;
}
