/** Drops keys whose value is `undefined`, so that spreading the result over defaults keeps them. */
export function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Throws a `TypeError` unless `value` is an integer within `[min, max]`. */
export function requireInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected an integer ${range(min, max, Number.MAX_SAFE_INTEGER)}, got ${describe(value)}`);
  }
  return value;
}

/** Throws a `TypeError` unless `value` is a finite number within `[min, max]`. */
export function requireNumber(name: string, value: unknown, min: number, max = Number.MAX_VALUE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`${name}: expected a number ${range(min, max, Number.MAX_VALUE)}, got ${describe(value)}`);
  }
  return value;
}

/** Throws a `TypeError` unless `value` is a finite number above 0 (rates, scales). */
export function requirePositiveNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${name}: expected a number > 0, got ${describe(value)}`);
  }
  return value;
}

/** Throws a `TypeError` unless `value` is a non-empty string. */
export function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name}: expected a non-empty string, got ${describe(value)}`);
  }
  return value;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function range(min: number, max: number, unbounded: number): string {
  return max === unbounded ? `>= ${min}` : `in [${min}, ${max}]`;
}
