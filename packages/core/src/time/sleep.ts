import type { Clock } from './Clock';
import { SYSTEM_CLOCK } from './Clock';
import { abortReason } from './abortReason';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

/** Options of {@link sleep}. */
export interface SleepOptions {
  /** The time source. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
  /** Ends the wait early: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Waits `delayMs` on the given clock. Rejects with the signal's reason (an {@link AbortedError}
 * unless the signal carries its own) as soon as `signal` fires, clearing the timer, so a
 * shutting-down component never waits out a backoff.
 */
export function sleep(delayMs: number, options: SleepOptions = {}): Promise<void> {
  const clock = options.clock ?? SYSTEM_CLOCK;
  const signal = options.signal;
  // NaN would never fire on a ManualClock (and at once on the system clock): a hang, not a wait.
  if (!Number.isFinite(delayMs)) return Promise.reject(new InvalidArgumentError('delayMs', 'a finite number of milliseconds', delayMs));
  if (signal !== undefined && !(signal instanceof AbortSignal)) return Promise.reject(new InvalidArgumentError('signal', 'an AbortSignal', signal));
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, delayMs));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
