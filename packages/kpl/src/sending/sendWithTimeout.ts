import type { Clock } from '@kinesis-toolkit/core';

/** Thrown when a request is not answered within its timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs a request, giving up after `timeoutMs` on the given clock: the request's `AbortSignal`
 * fires and the promise rejects with {@link RequestTimeoutError} even if the client ignores the
 * signal. (The SDK's own `requestTimeout` only warns in current `@smithy/node-http-handler`.)
 * `signal` aborts it early (the producer closing).
 *
 * ```ts
 * await sendWithTimeout(clock, 6000, (abortSignal) => client.send(command, { abortSignal }));
 * ```
 */
export function sendWithTimeout<Output>(
  clock: Clock,
  timeoutMs: number,
  send: (abortSignal: AbortSignal) => Promise<Output>,
  signal?: AbortSignal,
): Promise<Output> {
  const controller = new AbortController();
  return new Promise<Output>((resolve, reject) => {
    const onAbort = () => {
      controller.abort();
      reject(signal?.reason ?? new Error('aborted'));
    };
    const timer = clock.setTimeout(() => {
      controller.abort();
      reject(new RequestTimeoutError(timeoutMs));
    }, timeoutMs);
    const done = () => {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    if (signal?.aborted) {
      done();
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    send(controller.signal).then(
      (output) => {
        done();
        resolve(output);
      },
      (error: unknown) => {
        done();
        reject(error);
      },
    );
  });
}
