import type { Clock } from '@kinesis-toolkit/core';

/**
 * Runs rounds at a fixed rate on a clock: each round is due `intervalMs` after the previous one
 * was due (or at once if that has passed), never earlier than due. Node's timers count from the
 * event loop's cached time and can fire a little early by this clock; rounds exactly an interval
 * apart keep lease expiry (whole rounds of unchanged counter) exact.
 */
export class FixedRateTimer {
  #timer: unknown;
  #stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** Runs `round(dueAt)` once the clock reads `dueAt`. */
  at(dueAt: number, round: (dueAt: number) => void): void {
    if (this.#stopped) return;
    this.#timer = this.clock.setTimeout(() => {
      if (this.#stopped) return;
      if (this.clock.now() < dueAt) this.at(dueAt, round);
      else round(dueAt);
    }, Math.max(0, dueAt - this.clock.now()));
  }

  /** Schedules the round after the one due at `previousDueAt`. */
  next(previousDueAt: number, round: (dueAt: number) => void): void {
    this.at(Math.max(previousDueAt + this.intervalMs, this.clock.now()), round);
  }

  stop(): void {
    this.#stopped = true;
    this.clock.clearTimeout(this.#timer);
  }
}
