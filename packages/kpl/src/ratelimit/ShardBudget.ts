import { TokenBucket, type Clock } from '@kinesis-toolkit/core';

/** How much each of a shard's buckets holds, as seconds of its rate: the largest burst above the steady rate. */
export const BURST_SECONDS = 0.2;

/**
 * A shard's two write budgets — records per second and bytes per second — as two of core's
 * {@link TokenBucket}s holding {@link BURST_SECONDS} each, so no one-second window (how Kinesis
 * meters a shard) carries more than 1.2× the rate. A Kinesis record passes only when both can pay;
 * one larger than the byte capacity passes once that bucket is full (core's rule), so it cannot
 * block a shard forever.
 */
export class ShardBudget {
  readonly #records: TokenBucket;
  readonly #bytes: TokenBucket;

  constructor(recordsPerSecond: number, bytesPerSecond: number, clock: Clock) {
    this.#records = new TokenBucket(recordsPerSecond, clock, BURST_SECONDS);
    this.#bytes = new TokenBucket(bytesPerSecond, clock, BURST_SECONDS);
  }

  /** Takes one record of `bytes` if both budgets allow it; returns whether it did. */
  tryTake(bytes: number): boolean {
    if (!this.#records.canTake(1) || !this.#bytes.canTake(bytes)) return false;
    this.#records.take(1);
    this.#bytes.take(bytes);
    return true;
  }

  /** Milliseconds until a record of `bytes` could pass (0 if now): the scarcer budget's wait. */
  waitMs(bytes: number): number {
    return Math.max(this.#records.waitMs(1), this.#bytes.waitMs(bytes));
  }

  /** Changes both rates from now on; what each bucket holds is capped at its new capacity. */
  setRates(recordsPerSecond: number, bytesPerSecond: number): void {
    this.#records.setRate(recordsPerSecond);
    this.#bytes.setRate(bytesPerSecond);
  }
}
