import type { BufferThresholds } from './RecordBuffer';

/** The thresholds of {@link BufferThresholds}, resolved: every field set and checked. */
export type ResolvedBufferOptions = Readonly<Required<BufferThresholds>>;

/** Every buffer default in one place (the README's table is checked against it). */
export const BUFFER_DEFAULTS: ResolvedBufferOptions = Object.freeze({
  maxRecords: 1000,
  maxBytes: 5 * 1024 * 1024,
  maxAgeMs: 60000,
});

const KNOWN = new Set(Object.keys(BUFFER_DEFAULTS));

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function positiveInteger(name: string, value: unknown, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw new TypeError(`buffer.${name}: expected an integer from 1 to ${max}, got ${show(value)}`);
  }
}

/**
 * Validates buffer thresholds once and fills in the defaults.
 * @throws TypeError naming the threshold, what was expected and what came.
 */
export function resolveBufferOptions(options: BufferThresholds = {}): ResolvedBufferOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`buffer: expected an object like { maxRecords, maxBytes, maxAgeMs }, got ${show(options)}`);
  for (const name of Object.keys(options)) if (!KNOWN.has(name)) throw new TypeError(`buffer.${name}: not a buffer option (expected maxRecords, maxBytes or maxAgeMs)`);
  const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const resolved = { ...BUFFER_DEFAULTS, ...given } as ResolvedBufferOptions;
  positiveInteger('maxRecords', resolved.maxRecords, 10_000_000);
  positiveInteger('maxBytes', resolved.maxBytes, 2 ** 40);
  // Timers cannot wait longer than 2^31 - 1 ms.
  positiveInteger('maxAgeMs', resolved.maxAgeMs, 2 ** 31 - 1);
  return Object.freeze(resolved);
}
