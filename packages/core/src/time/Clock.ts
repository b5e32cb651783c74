/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/**
 * A source of time and timers, injected wherever code waits so that tests can advance time
 * instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never goes backwards. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * Wall-clock time: milliseconds since 1970-01-01T00:00:00Z, for timestamps that leave the process
   * (metric timestamps, event times). `now()` is for measuring and waiting only: its origin is
   * arbitrary (the system clock's is the process start). Optional, so a clock of your own with only
   * the three methods above still works: {@link epochMsOf} reads `Date.now()` for it.
   */
  epochMs?(): number;
}

/**
 * The wall-clock time of `clock` in epoch milliseconds: its `epochMs()`, or `Date.now()` for a
 * clock without one.
 */
export function epochMsOf(clock: Clock): number {
  return clock.epochMs === undefined ? Date.now() : clock.epochMs();
}

/** The real clock: `performance.now()` for intervals, `Date.now()` for wall-clock time, and the global timers. */
export const SYSTEM_CLOCK: Clock = Object.freeze({
  now: () => performance.now(),
  epochMs: () => Date.now(),
  setTimeout: (callback: () => void, delayMs: number): TimerHandle => setTimeout(callback, delayMs),
  clearTimeout: (handle: TimerHandle) => clearTimeout(handle as NodeJS.Timeout),
});
