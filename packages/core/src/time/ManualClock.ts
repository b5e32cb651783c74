import type { Clock, TimerHandle } from './Clock';
import { requireNumber } from '../validation/validators';

interface ScheduledTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** The wall-clock time a {@link ManualClock} reads at `now()` 0, by default: 2024-01-01T00:00:00Z. */
export const MANUAL_CLOCK_EPOCH_ORIGIN_MS = Date.UTC(2024, 0, 1);

/**
 * A {@link Clock} whose time moves only when a test says so. `advance(ms)` runs the timers that
 * fall due, in order, and lets promise chains settle after each one, so code that awaits between
 * timers (retries, polling) runs as it would in real time — without any real waiting.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const result = waitFor(() => ready, { clock, timeoutMs: 1_000 });
 * await clock.advance(1_000);
 * ```
 *
 * Its wall-clock reading, `epochMs()`, moves with `now()`: `epochOriginMs + now()`, so metric
 * timestamps in tests are fixed, real dates.
 */
export class ManualClock implements Clock {
  #now: number;
  readonly #epochOriginMs: number;
  #nextId = 1;
  #timers: ScheduledTimer[] = [];

  /**
   * @param startMs - the initial reading of `now()`. @defaultValue 0
   * @param epochOriginMs - the wall-clock time (epoch ms) at which `now()` reads 0. @defaultValue {@link MANUAL_CLOCK_EPOCH_ORIGIN_MS} (2024-01-01T00:00:00Z)
   */
  constructor(startMs = 0, epochOriginMs = MANUAL_CLOCK_EPOCH_ORIGIN_MS) {
    this.#now = requireNumber('startMs', startMs, -Number.MAX_VALUE);
    this.#epochOriginMs = requireNumber('epochOriginMs', epochOriginMs, 0);
  }

  now(): number {
    return this.#now;
  }

  /** Wall-clock time: `epochOriginMs + now()`. */
  epochMs(): number {
    return this.#epochOriginMs + this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.#nextId++, dueAt: this.#now + Math.max(delayMs, 0), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** How many timers are scheduled and not yet run. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, running every timer due on the way in due order (ties in the
   * order they were set) and settling promise chains after each.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await settle();
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = next.dueAt;
      next.callback();
      await settle();
    }
    this.#now = target;
    await settle();
  }

  #nextDue(limit: number): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueAt <= limit && (best === undefined || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id))) {
        best = timer;
      }
    }
    return best;
  }
}

/** Lets every queued promise callback run (one turn of the event loop). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
