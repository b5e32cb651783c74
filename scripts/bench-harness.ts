/**
 * A small measuring harness shared by the benchmarks (each package's `bench/*.bench.ts`).
 *
 * It compares a candidate with a baseline on the same input: both are warmed up together,
 * then measured in interleaved rounds (who goes first changes every round), so machine
 * noise — a neighbour's burst, frequency scaling — hits both sides alike. It reports medians
 * over rounds and per-round ratios, all from the same run; it never checks an absolute time.
 */
import * as os from 'node:os';

/** One side of a comparison: a function that does a fixed amount of work per call. */
export interface BenchSubject {
  /** Shown in progress lines and errors. */
  readonly name: string;
  /** Does one unit of work. A returned promise is awaited and counted in the call's time. */
  readonly run: () => unknown;
}

/** Options of {@link compare}; all optional. */
export interface CompareOptions {
  /**
   * Warm-up time per subject, in milliseconds, before anything is measured. Split into four
   * slices taken in turn by the subjects; the last slice calibrates the round length.
   * @defaultValue 300
   */
  readonly warmupMs?: number;
  /**
   * Measured rounds; each runs every subject once. Many short rounds let the median shed
   * the ones a neighbour's burst of CPU use spoiled.
   * @defaultValue 21
   */
  readonly rounds?: number;
  /**
   * Target duration, in milliseconds, of one subject's share of a round.
   * @defaultValue 40
   */
  readonly roundMs?: number;
}

/** The resolved form of {@link CompareOptions}. */
export type ResolvedCompareOptions = Required<CompareOptions>;

const DEFAULTS: ResolvedCompareOptions = Object.freeze({ warmupMs: 300, rounds: 21, roundMs: 40 });

/** Validates options and fills in defaults. @throws TypeError naming the bad option. */
export function resolveCompareOptions(options: CompareOptions = {}): ResolvedCompareOptions {
  const resolved = { ...DEFAULTS, ...options };
  for (const name of ['warmupMs', 'rounds', 'roundMs'] as const) {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new TypeError(`${name}: expected a positive number, got ${String(value)}`);
    }
  }
  if (!Number.isInteger(resolved.rounds)) throw new TypeError(`rounds: expected an integer, got ${resolved.rounds}`);
  return Object.freeze(resolved);
}

/** The subjects of one {@link compare}. */
export interface ComparisonSubjects {
  readonly candidate: BenchSubject;
  readonly baseline: BenchSubject;
  /**
   * Further subjects measured in the same rounds and reported against the baseline — for
   * instance the part of the work no implementation can skip, which bounds the best ratio.
   * @defaultValue none
   */
  readonly references?: readonly BenchSubject[];
}

/** A subject's rate against the baseline's, from the same rounds. */
export interface RelativeRate {
  readonly name: string;
  /** Median over rounds of the subject's calls per second. */
  readonly callsPerSec: number;
  /** Median over rounds of subject ÷ baseline, each ratio taken within one round. */
  readonly ratio: number;
  /** First and third quartiles of the per-round ratios: how much the rounds disagreed. */
  readonly ratioQuartiles: readonly [number, number];
}

/** What {@link compare} measured. Rates are calls per second; multiply by the work per call. */
export interface Comparison {
  /** The candidate against the baseline. */
  readonly candidate: RelativeRate;
  /** Median over rounds of the baseline's calls per second. */
  readonly baselineCallsPerSec: number;
  /** Each of the `references`, in the order given, against the baseline. */
  readonly references: readonly RelativeRate[];
  readonly rounds: number;
}

type Gc = () => void;
/** A full GC, when node runs with `--expose-gc` (scripts/bench.js passes it). */
export const gc: Gc | undefined = (globalThis as { gc?: Gc }).gc;

// Results are kept here so no engine can prove a call's work unused.
const sink: unknown[] = [undefined];

/** Whether a value is a promise-like, so a subject's calls must be awaited. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** Runs `calls` calls and returns the elapsed milliseconds. */
async function timeCalls(subject: BenchSubject, calls: number, awaited: boolean): Promise<number> {
  const { run } = subject;
  const start = process.hrtime.bigint();
  if (awaited) {
    for (let i = 0; i < calls; i++) sink[0] = await run();
  } else {
    // A tight synchronous loop: no microtask hop between calls of a synchronous subject.
    for (let i = 0; i < calls; i++) sink[0] = run();
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Calls a subject until `durationMs` passes; returns milliseconds per call. */
async function runFor(subject: BenchSubject, durationMs: number, awaited: boolean): Promise<number> {
  let calls = 0;
  let elapsedMs = 0;
  let batch = 1;
  while (elapsedMs < durationMs) {
    elapsedMs += await timeCalls(subject, batch, awaited);
    calls += batch;
    // Grow batches so the clock is read rarely for fast subjects.
    if (batch < 1024) batch *= 2;
  }
  return elapsedMs / calls;
}

/**
 * Measures `candidate` (and any `references`) against `baseline`: an interleaved warm-up, then
 * `rounds` rounds of about `roundMs` per subject, the order rotating from round to round.
 *
 * With `--expose-gc`, one full GC runs before the warm-up to clear the caller's set-up garbage,
 * and none during the rounds: a forced GC shrinks the young generation, and measurably slows
 * allocation-heavy code until the heap has grown back (aws-kinesis-agg's de-aggregation ran
 * 10–25% slower with a GC before every share), which would bias the ratio.
 */
export async function compare(subjects: ComparisonSubjects, options: CompareOptions = {}): Promise<Comparison> {
  const config = resolveCompareOptions(options);
  const all = [subjects.candidate, subjects.baseline, ...(subjects.references ?? [])];
  const baselineIndex = 1;

  // One probe call each tells synchronous subjects from asynchronous ones.
  const awaited: boolean[] = [];
  for (const subject of all) {
    const probe = subject.run();
    awaited.push(isThenable(probe));
    await probe;
  }

  gc?.();
  const perCallMs = all.map(() => 0);
  const slices = 4;
  for (let slice = 0; slice < slices; slice++) {
    for (const [i, subject] of all.entries()) perCallMs[i] = await runFor(subject, config.warmupMs / slices, awaited[i]!);
  }
  const calls = perCallMs.map((ms) => Math.max(1, Math.round(config.roundMs / ms)));

  const rates: number[][] = all.map(() => []);
  for (let round = 0; round < config.rounds; round++) {
    // Rotate who goes first, and reverse every other round, so no subject keeps one position.
    const order = all.map((_, i) => (i + round) % all.length);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const elapsedMs = await timeCalls(all[i]!, calls[i]!, awaited[i]!);
      rates[i]!.push((calls[i]! * 1000) / elapsedMs);
    }
  }

  const baselineRates = rates[baselineIndex]!;
  const relative = (i: number): RelativeRate => {
    const ratios = rates[i]!.map((rate, round) => rate / baselineRates[round]!);
    return {
      name: all[i]!.name,
      callsPerSec: quantile(rates[i]!, 0.5),
      ratio: quantile(ratios, 0.5),
      ratioQuartiles: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
    };
  };
  return {
    candidate: relative(0),
    baselineCallsPerSec: quantile(baselineRates, 0.5),
    references: all.slice(2).map((_, k) => relative(k + 2)),
    rounds: config.rounds,
  };
}

/** The q-quantile (0..1) of some numbers, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** Fails the benchmark: a wrong result is a failure, a slow one is not. */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Milliseconds as seconds with one decimal: `12.3`. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(1);
/** A share (0..1) as a percentage: `12.3%`. */
export const percent = (share: number, digits = 1): string => `${(share * 100).toFixed(digits)}%`;

/** A count per second with an SI suffix: `1.23 M`. */
export function formatRate(perSec: number): string {
  if (perSec >= 1e9) return `${(perSec / 1e9).toFixed(2)} G`;
  if (perSec >= 1e6) return `${(perSec / 1e6).toFixed(2)} M`;
  if (perSec >= 1e3) return `${(perSec / 1e3).toFixed(1)} k`;
  return perSec.toFixed(0);
}

/** Bytes per second as decimal megabytes (10^6 bytes) per second. */
export function formatMegabytes(bytesPerSec: number): string {
  return (bytesPerSec / 1e6).toFixed(1);
}

/** A ratio with its quartiles: `2.41× (2.30–2.52)`. */
export function formatRatio(rate: RelativeRate): string {
  const [low, high] = rate.ratioQuartiles;
  return `${rate.ratio.toFixed(2)}× (${low.toFixed(2)}–${high.toFixed(2)})`;
}

/** PASS when the median ratio reaches the target, BELOW otherwise. Never fails the process. */
export function verdict(rate: RelativeRate, target: number): string {
  return rate.ratio >= target ? 'PASS' : 'BELOW';
}

/**
 * A plain-text table: the first column left-aligned, the others right-aligned (they are
 * numbers), columns separated by two spaces, a rule under the header.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    widths
      .map((width, column) => {
        const cell = row[column] ?? '';
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * mulberry32: a small seeded generator of numbers in [0, 1), so every run benchmarks the same
 * bytes and keys.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  };
}

/** Bytes as binary megabytes (2^20 bytes): `123.4`. */
export function formatMebibytes(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/**
 * A positive integer from an environment variable, or `fallback` when it is unset or empty.
 * @throws TypeError naming the variable when it is set to anything else.
 */
export function positiveIntegerFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name}: expected a positive integer, got ${JSON.stringify(raw)}`);
  return value;
}

/** One line naming the machine and runtime, to print above results. */
export function describeEnvironment(): string {
  const cpus = os.cpus();
  const gcNote = gc === undefined ? 'gc not exposed: set-up garbage is not cleared before warm-up' : 'full gc before each warm-up';
  return `node ${process.version} on ${process.platform}/${process.arch}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}; ${gcNote}`;
}
