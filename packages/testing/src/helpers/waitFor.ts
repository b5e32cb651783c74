import { WaitTimeoutError } from '../errors/WaitTimeoutError';
import { requireClock } from '@kinesis-toolkit/core';
import {
  DeadlineExceededError,
  rejectUnknownOptions,
  requireAbortSignal,
  requireFunction,
  requireNumber,
  requireObject,
  requireString,
  sleep,
  SYSTEM_CLOCK,
  withDeadline,
  withoutUndefined,
  type Clock,
} from '@kinesis-toolkit/core';

/** Options of {@link waitFor}; every field is optional. */
export interface WaitForOptions {
  /** Give up after this long. @defaultValue 5000 */
  readonly timeoutMs?: number;
  /** Pause between two evaluations of the condition. @defaultValue 50 */
  readonly intervalMs?: number;
  /** Names what is awaited, in the timeout message. @defaultValue `'the condition'` */
  readonly description?: string;
  /** Stops waiting at once, rejecting with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Where time comes from; tests may pass a fake. @defaultValue {@link SYSTEM_CLOCK} */
  readonly clock?: Clock;
}

/** Every default of {@link WaitForOptions}. */
export const WAIT_FOR_DEFAULTS: Readonly<{ timeoutMs: number; intervalMs: number; description: string; clock: Clock }> = Object.freeze({
  timeoutMs: 5_000,
  intervalMs: 50,
  description: 'the condition',
  clock: SYSTEM_CLOCK,
});

/** The values of `T` that count as "the condition holds". */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/**
 * Evaluates `condition` until it returns (or resolves to) a truthy value, and resolves with that
 * value. A condition that throws or rejects counts as "not yet" (a stream that does not exist
 * yet, say); its last error becomes the timeout error's `cause`. Bounded: after `timeoutMs` it
 * rejects with a {@link WaitTimeoutError} that says what was awaited, for how long and how many
 * times it was checked — also when an evaluation is still in flight at the deadline.
 *
 * @example
 * ```ts
 * const records = await waitFor(async () => (await getRecords()).filter(isMine).length >= 3 && records,
 *   { timeoutMs: 10_000, description: 'three records on the stream' });
 * ```
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Truthy<T>> {
  requireFunction('condition', condition);
  const { timeoutMs, intervalMs, description, clock, signal } = resolveWaitForOptions(options);
  signal?.throwIfAborted();
  const deadline = clock.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    const outcome = await settleBefore(evaluate(condition), deadline - clock.now(), clock, signal);
    if (outcome.kind === 'value') {
      if (outcome.value) return outcome.value as Truthy<T>;
      lastError = undefined;
    } else if (outcome.kind === 'error') {
      lastError = outcome.error;
    }
    const remainingMs = deadline - clock.now();
    if (outcome.kind === 'timeout' || remainingMs <= 0) {
      throw new WaitTimeoutError(description, timeoutMs, attempts, lastError);
    }
    await sleep(Math.min(intervalMs, remainingMs), { clock, signal });
  }
}

function resolveWaitForOptions(options: WaitForOptions): Readonly<typeof WAIT_FOR_DEFAULTS & { signal?: AbortSignal }> {
  requireObject('options', options);
  rejectUnknownOptions('', options, [...Object.keys(WAIT_FOR_DEFAULTS), 'signal']);
  const resolved = { ...WAIT_FOR_DEFAULTS, ...withoutUndefined(options) };
  requireNumber('timeoutMs', resolved.timeoutMs, 0);
  requireNumber('intervalMs', resolved.intervalMs, 0);
  requireString('description', resolved.description);
  requireClock('clock', resolved.clock);
  if (resolved.signal !== undefined) requireAbortSignal('signal', resolved.signal);
  return resolved;
}

type Outcome<T> = { kind: 'value'; value: T } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function evaluate<T>(condition: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { kind: 'value', value: await condition() };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** Bounds an evaluation by the time left (core's deadline), so that a hung condition cannot outlast it. */
async function settleBefore<T>(outcome: Promise<Outcome<T>>, remainingMs: number, clock: Clock, signal?: AbortSignal): Promise<Outcome<T>> {
  try {
    return await withDeadline('waitFor', Math.max(remainingMs, 0), () => outcome, { clock, signal });
  } catch (error) {
    if (error instanceof DeadlineExceededError) return { kind: 'timeout' };
    throw error;
  }
}
