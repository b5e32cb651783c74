/** The synthetic sources of the demo, busiest first. */
export const DEMO_SOURCES = Object.freeze(['clicks', 'orders', 'payments', 'sensors', 'logins', 'searches', 'carts', 'reviews']);

/** Options of {@link SkewedKeys}; every field is optional. */
export interface SkewedKeysOptions {
  /** How many of {@link DEMO_SOURCES} produce. @defaultValue 5 */
  readonly sources?: number;
  /** Distinct partition keys per source. @defaultValue 60 */
  readonly keysPerSource?: number;
  /** Zipf exponent: 0 is uniform; at 1.1 the top key of a source gets about a fifth of its records. @defaultValue 1.1 */
  readonly skew?: number;
  /** Seed of the pseudo-random sequence, so that a run can be repeated. @defaultValue 1 */
  readonly seed?: number;
}

/** Every default of {@link SkewedKeysOptions}. */
export const SKEWED_KEYS_DEFAULTS = Object.freeze({ sources: 5, keysPerSource: 60, skew: 1.1, seed: 1 });

/** One draw: a source, one of its keys, and that key's next counter value. */
export interface KeyDraw {
  readonly source: string;
  /** The partition key, `${source}:${rank}`. */
  readonly key: string;
  /** 0 for the key's first draw, then 1, 2, … */
  readonly n: number;
}

/**
 * Draws partition keys the way real traffic looks: a few sources of different volume (source i
 * has weight 1/(i+1)), and within each a Zipf-like skew where a handful of keys are hot. Keeps a
 * counter per key, so every draw is a distinct (key, n). Deterministic for a given seed.
 */
export class SkewedKeys {
  readonly #sources: string[];
  readonly #keysPerSource: number;
  readonly #sourceCdf: number[];
  readonly #keyCdf: number[];
  readonly #counters = new Map<string, number>();
  #state: number;

  /** @throws TypeError for an option out of range. */
  constructor(options: SkewedKeysOptions = {}) {
    const { sources, keysPerSource, skew, seed } = { ...SKEWED_KEYS_DEFAULTS, ...withoutUndefined(options) };
    if (!Number.isInteger(sources) || sources < 1 || sources > DEMO_SOURCES.length) {
      throw new TypeError(`sources: expected an integer from 1 to ${DEMO_SOURCES.length}, got ${String(sources)}`);
    }
    if (!Number.isInteger(keysPerSource) || keysPerSource < 1 || keysPerSource > 100_000) {
      throw new TypeError(`keysPerSource: expected an integer from 1 to 100000, got ${String(keysPerSource)}`);
    }
    if (typeof skew !== 'number' || !Number.isFinite(skew) || skew < 0 || skew > 5) throw new TypeError(`skew: expected a number from 0 to 5, got ${String(skew)}`);
    if (!Number.isInteger(seed)) throw new TypeError(`seed: expected an integer, got ${String(seed)}`);
    this.#sources = DEMO_SOURCES.slice(0, sources);
    this.#keysPerSource = keysPerSource;
    this.#sourceCdf = cumulative(this.#sources.map((_, i) => 1 / (i + 1)));
    this.#keyCdf = cumulative(Array.from({ length: keysPerSource }, (_, rank) => 1 / (rank + 1) ** skew));
    this.#state = seed >>> 0;
  }

  /** Every partition key this space can draw. */
  get allKeys(): string[] {
    return this.#sources.flatMap((source) => Array.from({ length: this.#keysPerSource }, (_, rank) => `${source}:${rank}`));
  }

  /** The next key and its counter. */
  next(): KeyDraw {
    const source = this.#sources[pick(this.#sourceCdf, this.#random())]!;
    const key = `${source}:${pick(this.#keyCdf, this.#random())}`;
    const n = this.#counters.get(key) ?? 0;
    this.#counters.set(key, n + 1);
    return { source, key, n };
  }

  /** mulberry32: small, fast, and good enough to shape traffic. */
  #random(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let running = 0;
  return weights.map((w) => (running += w / total));
}

/** The first index whose cumulative weight exceeds `u` (binary search). */
function pick(cdf: readonly number[], u: number): number {
  let low = 0;
  let high = cdf.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (u < cdf[mid]!) high = mid;
    else low = mid + 1;
  }
  return low;
}

function withoutUndefined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
