import type { Clock } from '@kinesis-toolkit/aggregation';

/** Thrown when a request is not answered within its timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs a request, aborting it after `timeoutMs` on the given clock. (The SDK's own
 * `requestTimeout` only warns in current `@smithy/node-http-handler` versions.)
 *
 * ```ts
 * await sendWithTimeout(clock, 6000, (abortSignal) => client.send(command, { abortSignal }));
 * ```
 */
export async function sendWithTimeout<Output>(clock: Clock, timeoutMs: number, send: (abortSignal: AbortSignal) => Promise<Output>): Promise<Output> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = clock.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    return await send(controller.signal);
  } catch (err) {
    throw timedOut ? new RequestTimeoutError(timeoutMs) : err;
  } finally {
    clock.clearTimeout(timer);
  }
}
