import { InvalidArgumentError } from '../errors/InvalidArgumentError';
import type { Logger } from '../logging/Logger';
import type { Clock } from '../time/Clock';

// Validators for options, arguments and flags. Each throws an InvalidArgumentError whose message
// reads `name: expected …, got …`, and returns the value typed, so resolvers read as assignments:
//   const ttl = requireInteger('recordTtlMs', options.recordTtlMs ?? DEFAULTS.recordTtlMs, 100, 86_400_000);

function rangeText(min: number, max: number, unbounded: number): string {
  if (max >= unbounded) return `>= ${min}`;
  return `in [${min}, ${max}]`;
}

/** An integer in `[min, max]`. */
export function requireInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER, expected?: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(name, expected ?? `an integer ${rangeText(min, max, Number.MAX_SAFE_INTEGER)}`, value);
  }
  return value;
}

/** A finite number in `[min, max]`. */
export function requireNumber(name: string, value: unknown, min: number, max = Number.MAX_VALUE, expected?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new InvalidArgumentError(name, expected ?? `a number ${rangeText(min, max, Number.MAX_VALUE)}`, value);
  }
  return value;
}

/** A finite number above 0 (rates, scales). */
export function requirePositiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(name, 'a number > 0', value);
  return value;
}

/** Options of {@link requireString}. */
export interface StringRule {
  /** @defaultValue 1 (non-empty) */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** A pattern the whole string must match, with its description for the message. */
  readonly pattern?: RegExp;
  readonly expected?: string;
}

/** A string of `[minLength, maxLength]` characters (non-empty by default), matching `pattern` if given. */
export function requireString(name: string, value: unknown, rule: StringRule = {}): string {
  const minLength = rule.minLength ?? 1;
  const maxLength = rule.maxLength ?? Number.MAX_SAFE_INTEGER;
  const ok = typeof value === 'string' && value.length >= minLength && value.length <= maxLength && (rule.pattern === undefined || rule.pattern.test(value));
  if (!ok) {
    const length =
      maxLength === Number.MAX_SAFE_INTEGER ? (minLength === 1 ? 'a non-empty string' : `a string of at least ${minLength} characters`) : `a string of ${minLength} to ${maxLength} characters`;
    throw new InvalidArgumentError(name, rule.expected ?? length, value);
  }
  return value;
}

/** `true` or `false`. */
export function requireBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, 'true or false', value);
  return value;
}

/** A function. */
export function requireFunction(name: string, value: unknown): (...args: never[]) => unknown {
  if (typeof value !== 'function') throw new InvalidArgumentError(name, 'a function', value);
  return value as (...args: never[]) => unknown;
}

/** One of `allowed` (compared with `===`). */
export function requireOneOf<T extends string | number | boolean>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new InvalidArgumentError(name, `one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`, value);
  return value as T;
}

/** A plain object (not null, not an array). */
export function requireObject(name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidArgumentError(name, 'an object', value);
  return value as Record<string, unknown>;
}

/** An array, each element checked by `element(name[i], value)`. */
export function requireArray<T>(name: string, value: unknown, element: (name: string, value: unknown) => T): T[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(name, 'an array', value);
  return value.map((item, index) => element(`${name}[${index}]`, item));
}

/** An AWS SDK v3 client (anything with a `send` method), such as a `KinesisClient`. */
export function requireAwsClient<C>(name: string, value: unknown, clientName = 'an AWS SDK v3 client'): C {
  if (value === null || typeof value !== 'object' || typeof (value as { send?: unknown }).send !== 'function') {
    throw new InvalidArgumentError(name, `${clientName} (an object with a send() method)`, value);
  }
  return value as C;
}

/**
 * An object with every one of `methods` (a `Clock`, a `Logger`, a store…), named `what` in the
 * message: `clock: expected a Clock (with now, setTimeout, clearTimeout), got an object`.
 */
export function requireMethods<T>(name: string, value: unknown, methods: readonly string[], what: string): T {
  if (value === null || typeof value !== 'object') throw new InvalidArgumentError(name, `${what} (with ${methods.join(', ')})`, value);
  const missing = methods.find((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
  if (missing !== undefined) throw new InvalidArgumentError(`${name}.${missing}`, `a function (${what} has ${methods.join(', ')})`, (value as Record<string, unknown>)[missing]);
  return value as T;
}

/** A {@link Logger} (`debug`, `info`, `warn`, `error`, `child`): a pino logger fits as is. */
export function requireLogger(name: string, value: unknown): Logger {
  return requireMethods<Logger>(name, value, ['debug', 'info', 'warn', 'error', 'child'], 'a Logger');
}

/** A {@link Clock} (`now`, `setTimeout`, `clearTimeout`). */
export function requireClock(name: string, value: unknown): Clock {
  return requireMethods<Clock>(name, value, ['now', 'setTimeout', 'clearTimeout'], 'a Clock');
}

/**
 * An options argument: `undefined` (no options) or an object, returned without its `undefined`
 * fields so that spreading it over the defaults keeps them.
 */
export function givenOptions<T extends object>(name: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  return withoutUndefined(requireObject(name, options) as T);
}

/** An absolute http(s) URL, such as an endpoint. */
export function requireUrl(name: string, value: unknown): string {
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'http:' || url.protocol === 'https:') return value;
    } catch {
      // reported below
    }
  }
  throw new InvalidArgumentError(name, 'an http:// or https:// URL', value);
}

/** An `AbortSignal`. */
export function requireAbortSignal(name: string, value: unknown): AbortSignal {
  if (!(value instanceof AbortSignal)) throw new InvalidArgumentError(name, 'an AbortSignal', value);
  return value;
}

/**
 * Rejects keys of `options` that are not in `known`, naming the first with the closest known key
 * (a JavaScript caller's typo would otherwise be ignored silently).
 */
export function rejectUnknownOptions(scope: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closest(key, known);
    const name = scope === '' ? key : `${scope}.${key}`;
    throw new InvalidArgumentError(name, suggestion === undefined ? `no such option (known: ${known.join(', ')})` : `no such option — did you mean "${suggestion}"?`, (options as Record<string, unknown>)[key]);
  }
}

/** Drops keys whose value is `undefined`, so that spreading the result over defaults keeps them. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
