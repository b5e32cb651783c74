import type { Clock } from '@kinesis-toolkit/core';

/** How much a bucket holds, as seconds of its rate: the largest burst above the steady rate. */
export const BURST_SECONDS = 0.2;

/**
 * A two-dimensional token bucket — records per second and bytes per second — refilled
 * continuously from the clock, holding at most {@link BURST_SECONDS} of each, so no one-second
 * window (how Kinesis meters a shard) carries more than 1.2× the rate. A take succeeds only when
 * both dimensions can pay; an item larger than the byte capacity is let through once the bucket
 * is full (the balance goes negative), so it cannot block a shard forever.
 */
export class TokenBucket {
  #records: number;
  #bytes: number;
  #updatedAt: number;
  #recordCapacity: number;
  #byteCapacity: number;

  #recordsPerSecond: number;
  #bytesPerSecond: number;

  constructor(
    recordsPerSecond: number,
    bytesPerSecond: number,
    private readonly clock: Clock,
  ) {
    this.#recordsPerSecond = recordsPerSecond;
    this.#bytesPerSecond = bytesPerSecond;
    this.#recordCapacity = Math.max(1, recordsPerSecond * BURST_SECONDS);
    this.#byteCapacity = bytesPerSecond * BURST_SECONDS;
    this.#records = this.#recordCapacity;
    this.#bytes = this.#byteCapacity;
    this.#updatedAt = clock.now();
  }

  /** Lowers (or raises) the rates from now on; tokens held are capped at the new capacity. */
  setRates(recordsPerSecond: number, bytesPerSecond: number): void {
    this.#refill();
    this.#recordsPerSecond = recordsPerSecond;
    this.#bytesPerSecond = bytesPerSecond;
    this.#recordCapacity = Math.max(1, recordsPerSecond * BURST_SECONDS);
    this.#byteCapacity = bytesPerSecond * BURST_SECONDS;
    this.#records = Math.min(this.#records, this.#recordCapacity);
    this.#bytes = Math.min(this.#bytes, this.#byteCapacity);
  }

  /** Takes one record of `bytes` if both budgets allow; returns whether it did. */
  tryTake(bytes: number): boolean {
    this.#refill();
    const bytesOk = this.#bytes >= bytes || this.#bytes >= this.#byteCapacity;
    if (this.#records < 1 || !bytesOk) return false;
    this.#records -= 1;
    this.#bytes -= bytes;
    return true;
  }

  /** Milliseconds until a record of `bytes` could be taken (0 if now). */
  waitMs(bytes: number): number {
    this.#refill();
    const needBytes = Math.min(bytes, this.#byteCapacity) - this.#bytes;
    const recordWait = this.#records >= 1 ? 0 : ((1 - this.#records) / this.#recordsPerSecond) * 1000;
    const byteWait = needBytes <= 0 ? 0 : (needBytes / this.#bytesPerSecond) * 1000;
    return Math.ceil(Math.max(recordWait, byteWait));
  }

  #refill(): void {
    const now = this.clock.now();
    const elapsedMs = now - this.#updatedAt;
    if (elapsedMs <= 0) return;
    this.#updatedAt = now;
    this.#records = Math.min(this.#recordCapacity, this.#records + (elapsedMs * this.#recordsPerSecond) / 1000);
    this.#bytes = Math.min(this.#byteCapacity, this.#bytes + (elapsedMs * this.#bytesPerSecond) / 1000);
  }
}
