/**
 * Full-jitter exponential backoff: the n-th retry waits a uniformly random time in
 * [0, min(maxDelayMs, baseDelayMs × 2^(n−1))]. Spreads retries of many records instead of
 * synchronising them into waves. Never less than 1 ms, so a request that fails at once cannot
 * turn into a busy loop.
 */
export class BackoffPolicy {
  constructor(
    private readonly baseDelayMs: number,
    private readonly maxDelayMs: number,
    private readonly random: () => number,
  ) {}

  /** The wait before retry number `retry` (1 for the first retry). */
  delayMs(retry: number): number {
    const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(Math.max(retry - 1, 0), 30));
    return Math.max(1, Math.floor(this.random() * ceiling));
  }
}
