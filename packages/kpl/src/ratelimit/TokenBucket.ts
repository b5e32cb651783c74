import type { Clock } from '@kinesis-toolkit/aggregation';

/**
 * A two-dimensional token bucket — records per second and bytes per second — refilled
 * continuously from the clock, holding at most one second of each. A take succeeds only when
 * both dimensions can pay; a single item larger than the byte capacity is let through once the
 * bucket is full (the balance goes negative), so it cannot block a shard forever.
 */
export class TokenBucket {
  #records: number;
  #bytes: number;
  #updatedAt: number;

  constructor(
    private readonly recordsPerSecond: number,
    private readonly bytesPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.#records = recordsPerSecond;
    this.#bytes = bytesPerSecond;
    this.#updatedAt = clock.now();
  }

  /** Takes one record of `bytes` if both budgets allow; returns whether it did. */
  tryTake(bytes: number): boolean {
    this.#refill();
    const bytesOk = this.#bytes >= bytes || this.#bytes >= this.bytesPerSecond;
    if (this.#records < 1 || !bytesOk) return false;
    this.#records -= 1;
    this.#bytes -= bytes;
    return true;
  }

  /** Milliseconds until a record of `bytes` could be taken (0 if now). */
  waitMs(bytes: number): number {
    this.#refill();
    const needBytes = Math.min(bytes, this.bytesPerSecond) - this.#bytes;
    const recordWait = this.#records >= 1 ? 0 : ((1 - this.#records) / this.recordsPerSecond) * 1000;
    const byteWait = needBytes <= 0 ? 0 : (needBytes / this.bytesPerSecond) * 1000;
    return Math.ceil(Math.max(recordWait, byteWait));
  }

  #refill(): void {
    const now = this.clock.now();
    const elapsedMs = now - this.#updatedAt;
    if (elapsedMs <= 0) return;
    this.#updatedAt = now;
    this.#records = Math.min(this.recordsPerSecond, this.#records + (elapsedMs * this.recordsPerSecond) / 1000);
    this.#bytes = Math.min(this.bytesPerSecond, this.#bytes + (elapsedMs * this.bytesPerSecond) / 1000);
  }
}
