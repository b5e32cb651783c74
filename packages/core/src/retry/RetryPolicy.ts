import type { Clock } from '../time/Clock';
import { SYSTEM_CLOCK } from '../time/Clock';
import { sleep } from '../time/sleep';
import { abortReason } from '../time/abortReason';
import { classifyAwsError } from '../aws/classifyAwsError';
import { requireClock, requireFunction, requireInteger, requireNumber, requireObject, rejectUnknownOptions } from '../validation/validators';

/** Options of a {@link RetryPolicy}; every field is optional. */
export interface RetryOptions {
  /** The backoff ceiling of the first retry; it doubles with each retry. @defaultValue 100 */
  readonly baseDelayMs?: number;
  /** The largest backoff ceiling. @defaultValue 5000 */
  readonly maxDelayMs?: number;
  /** Most attempts in all, the first included (`Infinity`: until the deadline or the signal). @defaultValue 3 */
  readonly maxAttempts?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS: ResolvedRetryOptions = Object.freeze({ baseDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 3 });

/** What {@link RetryPolicy.run} reports before each retry. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first). */
  readonly attempt: number;
  readonly error: unknown;
  /** The wait before the next attempt. */
  readonly delayMs: number;
}

/** Per-run settings of {@link RetryPolicy.run}. */
export interface RetryRunOptions {
  /** Stops waiting and retrying: the run rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** No attempt starts after this reading of the policy's clock; the last error is thrown instead. */
  readonly deadlineAt?: number | undefined;
  /** Whether an error may be retried. @defaultValue `classifyAwsError(error).retryable` */
  readonly isRetryable?: ((error: unknown) => boolean) | undefined;
  /** Called before each retry's wait (for logs and metrics). */
  readonly onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Overrides the policy's `maxAttempts` for this run. */
  readonly maxAttempts?: number | undefined;
}

/**
 * The one retry policy of kinesis-toolkit: full-jitter exponential backoff — retry n waits a
 * uniformly random time in [0, min(maxDelayMs, baseDelayMs × 2^(n−1))], at least 1 ms — with an
 * explicit give-up condition (attempts, a deadline, an `AbortSignal`), waiting on an injected
 * clock so that tests advance time instead of sleeping.
 *
 * ```ts
 * const policy = new RetryPolicy({ maxAttempts: 5 }, { clock });
 * await policy.run((attempt) => emit(batch), { signal, onRetry: (e) => logger.warn({ attempt: e.attempt }, 'retrying') });
 * ```
 */
export class RetryPolicy {
  readonly options: ResolvedRetryOptions;
  readonly #clock: Clock;
  readonly #random: () => number;

  /**
   * @param options - backoff and attempts; validated (`InvalidArgumentError` naming the field, prefixed by `name`).
   * @param runtime - the clock and randomness to use. @defaultValue the system clock and `Math.random`
   * @param name - how the options are named in error messages. @defaultValue `'retry'`
   */
  constructor(options: RetryOptions = {}, runtime: { readonly clock?: Clock; readonly random?: () => number } = {}, name = 'retry') {
    this.options = resolveRetryOptions(options, name);
    this.#clock = runtime.clock === undefined ? SYSTEM_CLOCK : requireClock('clock', runtime.clock);
    this.#random = resolveRandom('random', runtime.random);
  }

  /** The clock this policy waits on. */
  get clock(): Clock {
    return this.#clock;
  }

  /** The wait before retry number `retry` (1 for the first retry): full jitter under a doubling, capped ceiling. */
  delayMs(retry: number): number {
    const exponent = Math.min(Math.max(retry - 1, 0), 30);
    const ceiling = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** exponent);
    return Math.max(1, Math.floor(this.#random() * ceiling));
  }

  /**
   * Runs `operation` until it resolves, an error is not retryable, the attempts or the deadline run
   * out, or `signal` fires. Rejects with the last error as it was thrown (callers wrap it with
   * what they know), or with the signal's reason.
   */
  async run<T>(operation: (attempt: number) => Promise<T>, options: RetryRunOptions = {}): Promise<T> {
    const maxAttempts = options.maxAttempts ?? this.options.maxAttempts;
    const isRetryable = options.isRetryable ?? ((error: unknown) => classifyAwsError(error).retryable);
    for (let attempt = 1; ; attempt += 1) {
      if (options.signal?.aborted) throw abortReason(options.signal);
      try {
        return await operation(attempt);
      } catch (error) {
        if (options.signal?.aborted) throw abortReason(options.signal);
        if (attempt >= maxAttempts || !isRetryable(error)) throw error;
        const delayMs = this.delayMs(attempt);
        if (options.deadlineAt !== undefined && this.#clock.now() + delayMs >= options.deadlineAt) throw error;
        options.onRetry?.({ attempt, error, delayMs });
        await sleep(delayMs, { clock: this.#clock, signal: options.signal });
      }
    }
  }
}

/** Validates retry options (every field named `name.field` in errors) and fills in the defaults. */
export function resolveRetryOptions(options: RetryOptions | undefined, name = 'retry'): ResolvedRetryOptions {
  if (options === undefined) return RETRY_DEFAULTS;
  requireObject(name, options);
  rejectUnknownOptions(name, options, Object.keys(RETRY_DEFAULTS));
  const baseDelayMs = requireNumber(`${name}.baseDelayMs`, options.baseDelayMs ?? RETRY_DEFAULTS.baseDelayMs, 1, 3_600_000);
  const maxDelayMs = requireNumber(`${name}.maxDelayMs`, options.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs, baseDelayMs, 3_600_000, `a number in [${name}.baseDelayMs (${baseDelayMs}), 3600000]`);
  const rawAttempts = options.maxAttempts ?? RETRY_DEFAULTS.maxAttempts;
  const maxAttempts = rawAttempts === Infinity ? Infinity : requireInteger(`${name}.maxAttempts`, rawAttempts, 1, Number.MAX_SAFE_INTEGER, 'an integer >= 1 or Infinity');
  return Object.freeze({ baseDelayMs, maxDelayMs, maxAttempts });
}

/** Validates the `random` option every component with jitter takes. */
export function resolveRandom(name: string, value: unknown): () => number {
  return value === undefined ? Math.random : (requireFunction(name, value) as () => number);
}
