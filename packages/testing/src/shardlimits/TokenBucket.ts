import type { Clock } from '../time/Clock';

/** Slack for floating-point refills: 0.1 + 0.2 tokens must pay for 0.3. */
const EPSILON = 1e-9;

/**
 * A token bucket that refills continuously at `ratePerSecond` up to a capacity of one second's
 * worth — the shape of AWS's per-second shard limits, which allow a burst of one second's quota
 * and no more. Time comes from an injected {@link Clock}; the bucket sets no timers.
 *
 * Two rules beyond the textbook:
 * - A single demand larger than the whole capacity (one 1 MiB record against a scaled-down
 *   52 KiB/s limit) is admitted when the bucket is full, and leaves it in debt. Without this such
 *   a demand could never pass; with it the long-run rate still holds.
 * - {@link take} charges unconditionally and may drive the level below zero, for costs known
 *   only afterwards (the size of a GetRecords response): later demands wait until it refills.
 */
export class TokenBucket {
  readonly #clock: Clock;
  #ratePerSecond: number;
  #tokens: number;
  #refilledAt: number;

  constructor(ratePerSecond: number, clock: Clock) {
    this.#clock = clock;
    this.#ratePerSecond = ratePerSecond;
    this.#tokens = ratePerSecond;
    this.#refilledAt = clock.now();
  }

  /** Tokens added per second. */
  get ratePerSecond(): number {
    return this.#ratePerSecond;
  }

  /** The most the bucket holds: one second's worth. */
  get capacity(): number {
    return this.#ratePerSecond;
  }

  /** The level now, after refilling; negative while in debt. */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Whether `amount` may be taken now (see the class notes for demands above capacity). */
  canTake(amount: number): boolean {
    this.#refill();
    if (this.#tokens + EPSILON >= amount) return true;
    return amount > this.capacity && this.#tokens + EPSILON >= this.capacity;
  }

  /** Takes `amount` if {@link canTake} allows it; returns whether it did. */
  tryTake(amount: number): boolean {
    if (!this.canTake(amount)) return false;
    this.#tokens -= amount;
    return true;
  }

  /** Takes `amount` whatever the level; the bucket may go into debt. */
  take(amount: number): void {
    this.#refill();
    this.#tokens -= amount;
  }

  /** Returns tokens taken for work that did not happen; never above capacity. */
  giveBack(amount: number): void {
    this.#refill();
    this.#tokens = Math.min(this.capacity, this.#tokens + amount);
  }

  /** Fills the bucket to capacity and forgets any debt. */
  fill(): void {
    this.#tokens = this.capacity;
    this.#refilledAt = this.#clock.now();
  }

  /**
   * Changes the rate (and with it the capacity) from now on. Time already passed is credited at
   * the old rate; the level is then cut to the new capacity if it is above it.
   */
  setRate(ratePerSecond: number): void {
    this.#refill();
    this.#ratePerSecond = ratePerSecond;
    this.#tokens = Math.min(this.capacity, this.#tokens);
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedMs = now - this.#refilledAt;
    if (elapsedMs <= 0) return;
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsedMs * this.#ratePerSecond) / 1000);
    this.#refilledAt = now;
  }
}
