import type { Clock } from '../time/Clock';
import { requireClock, requirePositiveNumber } from '../validation/validators';

/** Slack for floating-point refills: 0.1 + 0.2 tokens must pay for 0.3. */
const EPSILON = 1e-9;

/**
 * A token bucket refilled continuously at `ratePerSecond` from an injected clock, holding at most
 * `burstSeconds` of its rate. It sets no timers: callers ask {@link waitMs} and schedule themselves.
 *
 * - A demand larger than the whole capacity is admitted when the bucket is full and leaves it in
 *   debt, so it cannot block forever while the long-run rate still holds.
 * - {@link take} charges unconditionally (costs known only afterwards, like a GetRecords answer's size).
 *
 * The KPL's per-shard meter holds two (records/s and bytes/s, 0.2 s of burst so no one-second window
 * carries more than 1.2× the rate); the testing package's shard-limit proxy holds one per limit
 * with one second of burst, the shape of AWS's own per-second shard limits.
 */
export class TokenBucket {
  readonly #clock: Clock;
  readonly #burstSeconds: number;
  #ratePerSecond: number;
  #tokens: number;
  #refilledAt: number;

  constructor(ratePerSecond: number, clock: Clock, burstSeconds = 1) {
    this.#clock = requireClock('clock', clock);
    this.#burstSeconds = requirePositiveNumber('burstSeconds', burstSeconds);
    this.#ratePerSecond = requirePositiveNumber('ratePerSecond', ratePerSecond);
    this.#tokens = this.capacity;
    this.#refilledAt = clock.now();
  }

  /** Tokens added per second. */
  get ratePerSecond(): number {
    return this.#ratePerSecond;
  }

  /** The most the bucket holds: `burstSeconds` of its rate (at least one token). */
  get capacity(): number {
    return Math.max(1, this.#ratePerSecond * this.#burstSeconds);
  }

  /** The level now, after refilling; negative while in debt. */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Changes the rate from now on; tokens held are capped at the new capacity. */
  setRate(ratePerSecond: number): void {
    this.#refill();
    this.#ratePerSecond = requirePositiveNumber('ratePerSecond', ratePerSecond);
    this.#tokens = Math.min(this.#tokens, this.capacity);
  }

  /** Whether `amount` may be taken now (a demand above capacity passes once the bucket is full). */
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

  /** Milliseconds until `amount` could be taken (0 if now). */
  waitMs(amount: number): number {
    this.#refill();
    const needed = Math.min(amount, this.capacity) - this.#tokens;
    if (needed <= EPSILON) return 0;
    return Math.ceil((needed / this.#ratePerSecond) * 1000);
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedMs = now - this.#refilledAt;
    if (elapsedMs <= 0) return;
    this.#refilledAt = now;
    this.#tokens = Math.min(this.capacity, this.#tokens + (elapsedMs * this.#ratePerSecond) / 1000);
  }
}
