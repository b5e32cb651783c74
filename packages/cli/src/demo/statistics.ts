/**
 * The nearest-rank percentile of ascending-sorted values: the smallest value with at least `p`
 * percent of the values at or below it. `undefined` for no values.
 * @throws TypeError when `p` is not in [0, 100].
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (typeof p !== 'number' || !(p >= 0 && p <= 100)) throw new TypeError(`percentile: expected p from 0 to 100, got ${String(p)}`);
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** A distribution summarised for the report. */
export interface Distribution {
  readonly count: number;
  readonly min: number | undefined;
  readonly p50: number | undefined;
  readonly p99: number | undefined;
  readonly max: number | undefined;
}

/** Sorts a copy of `values` and takes min, p50, p99 and max. */
export function distributionOf(values: Iterable<number>): Distribution {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return { count: list.length, min: list[0], p50: percentile(list, 50), p99: percentile(list, 99), max: list[list.length - 1] };
}

/** Per second, from a count over a span in milliseconds; 0 for an empty span. */
export function ratePerSecond(count: number, spanMs: number): number {
  return spanMs > 0 ? (count * 1000) / spanMs : 0;
}

/** `1,234,567` — thousands separated, rounded to an integer. */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `850 ms`, `3.42 s`, `2 min 05 s`; `n/a` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}
