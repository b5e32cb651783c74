import type { Clock, TimerHandle } from '@kinesis-toolkit/core';

/**
 * One timer on the injected clock that fires at the earliest time asked for: asking for a later
 * time than the one set costs a comparison. Firing (or {@link cancel}) clears it; the callback
 * asks again for what it still needs. Internal.
 */
export class WakeUp {
  #timer: TimerHandle | undefined;
  #at = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly callback: () => void,
  ) {}

  /** Fires at `at` (a clock reading), or earlier if already set earlier. */
  at(at: number): void {
    if (at >= this.#at) return;
    this.clock.clearTimeout(this.#timer);
    this.#at = at;
    this.#timer = this.clock.setTimeout(() => this.#fire(), Math.max(0, at - this.clock.now()));
  }

  /** Clears it: nothing fires until asked again. */
  cancel(): void {
    this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#at = Infinity;
  }

  #fire(): void {
    this.cancel();
    this.callback();
  }
}
