/**
 * Full-jitter exponential backoff: retry `n` (1 for the first) waits a uniformly random time in
 * [0, min(maxDelayMs, baseDelayMs × 2^(n−1))], at least 1 ms so a sink that fails at once cannot
 * become a busy loop.
 */
export function backoffDelayMs(retry: number, policy: { readonly baseDelayMs: number; readonly maxDelayMs: number }, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(retry - 1, 0), 30));
  return Math.max(1, Math.floor(random() * ceiling));
}
