import type { Clock } from '../time/Clock';
import { SYSTEM_CLOCK } from '../time/Clock';
import { abortReason } from '../time/abortReason';
import { DeadlineExceededError } from '../errors/DeadlineExceededError';
import type { ErrorContext } from '../errors/KinesisToolkitError';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

/** Options of {@link withDeadline}. */
export interface DeadlineOptions {
  /** The time source. @defaultValue the system clock */
  readonly clock?: Clock | undefined;
  /** Aborts the call early (shutdown): rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Added to the {@link DeadlineExceededError}'s context. */
  readonly context?: ErrorContext | undefined;
}

/**
 * Runs `call` with a deadline: after `timeoutMs` on the clock the call's `AbortSignal` fires and
 * the promise rejects with a {@link DeadlineExceededError} — even if the callee ignores the signal
 * (the AWS SDK's own `requestTimeout` only warns in current `@smithy/node-http-handler`). `signal`
 * ends it early with the signal's reason. The timer is cleared whichever way it ends.
 */
export function withDeadline<T>(operation: string, timeoutMs: number, call: (signal: AbortSignal) => Promise<T>, options: DeadlineOptions = {}): Promise<T> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const outer = options.signal;
  // A NaN deadline never passes on a ManualClock: the very hang this function exists to prevent.
  if (!(timeoutMs >= 0 && timeoutMs < Infinity)) return Promise.reject(new InvalidArgumentError('timeoutMs', 'a finite number >= 0', timeoutMs));
  if (typeof call !== 'function') return Promise.reject(new InvalidArgumentError('call', 'a function (signal) => Promise', call));
  if (outer?.aborted) return Promise.reject(abortReason(outer));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clock.clearTimeout(timer);
      outer?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = (): void => {
      if (!finish()) return;
      const reason = abortReason(outer as AbortSignal);
      controller.abort(reason);
      reject(reason);
    };
    const timer = clock.setTimeout(() => {
      if (!finish()) return;
      const error = new DeadlineExceededError(operation, timeoutMs, options.context);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    outer?.addEventListener('abort', onAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = call(controller.signal);
    } catch (error) {
      if (finish()) reject(error);
      return;
    }
    pending.then(
      (value) => {
        if (finish()) resolve(value);
      },
      (error: unknown) => {
        if (finish()) reject(error);
      },
    );
  });
}
