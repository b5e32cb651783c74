import { TokenBucket, type Clock } from '@kinesis-toolkit/core';

/** How much each of a shard's buckets holds, as seconds of its rate: the largest burst above the steady rate. */
export const BURST_SECONDS = 0.2;

/**
 * A shard's two write budgets — records per second and bytes per second — as two of core's
 * {@link TokenBucket}s holding {@link BURST_SECONDS} each, so no one-second window (how Kinesis
 * meters a shard) carries more than 1.2× the rate. A Kinesis record passes only when both can pay;
 * one larger than the byte capacity passes once that bucket is full (core's rule), so it cannot
 * block a shard forever.
 *
 * Both buckets read one clock reading per decision: the clock is read once when a decision
 * starts and both refill to that instant (this runs for every Kinesis record the producer sends).
 */
export class ShardBudget {
  readonly #clock: Clock;
  /** The reading both buckets see during one decision. */
  #now: number;
  readonly #records: TokenBucket;
  readonly #bytes: TokenBucket;

  constructor(recordsPerSecond: number, bytesPerSecond: number, clock: Clock) {
    this.#clock = clock;
    this.#now = clock.now();
    const decisionClock: Clock = { now: () => this.#now, setTimeout: clock.setTimeout.bind(clock), clearTimeout: clock.clearTimeout.bind(clock) };
    this.#records = new TokenBucket(recordsPerSecond, decisionClock, BURST_SECONDS);
    this.#bytes = new TokenBucket(bytesPerSecond, decisionClock, BURST_SECONDS);
  }

  /** Takes one record of `bytes` if both budgets allow it; returns whether it did. */
  tryTake(bytes: number): boolean {
    this.#now = this.#clock.now();
    if (!this.#records.tryTake(1)) return false;
    if (this.#bytes.tryTake(bytes)) return true;
    // The bytes cannot pay: the record token goes back (the same instant: nothing is lost but what exceeds capacity).
    this.#records.giveBack(1);
    return false;
  }

  /** Milliseconds until a record of `bytes` could pass (0 if now): the scarcer budget's wait. */
  waitMs(bytes: number): number {
    this.#now = this.#clock.now();
    return Math.max(this.#records.waitMs(1), this.#bytes.waitMs(bytes));
  }

  /** Changes both rates from now on; what each bucket holds is capped at its new capacity. */
  setRates(recordsPerSecond: number, bytesPerSecond: number): void {
    this.#now = this.#clock.now();
    this.#records.setRate(recordsPerSecond);
    this.#bytes.setRate(bytesPerSecond);
  }
}
