import type { Clock } from '@kinesis-toolkit/core';

/** Waits `delayMs` on the injected clock (so tests advance time instead of waiting). */
export function sleep(clock: Clock, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, delayMs);
  });
}

/**
 * Full-jitter exponential backoff: retry `n` (1-based) waits a uniformly random time below
 * min(maxDelayMs, baseDelayMs × 2^(n−1)), and never less than 1 ms.
 */
export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(Math.max(retry - 1, 0), 30));
  return Math.max(1, Math.floor(random() * ceiling));
}
