// Validation helpers shared by the emitters' resolve*Options functions. Each throws a TypeError
// that names the option, says what was expected and shows what came.

/** A short, safe rendering of a bad value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `an object (${value.constructor?.name ?? 'null prototype'})`;
}

/** Copies `options` without its `undefined` fields, so that spreading it over defaults keeps them. */
export function withoutUndefined<T extends object>(options: T): Partial<T> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`options: expected an object, got ${describe(options)}`);
  }
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

export function requireString(name: string, value: unknown, { allowEmpty = false } = {}): string {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0)) {
    throw new TypeError(`${name}: expected a ${allowEmpty ? '' : 'non-empty '}string, got ${describe(value)}`);
  }
  return value;
}

export function requireBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name}: expected true or false, got ${describe(value)}`);
  return value;
}

export function requireInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`;
    throw new TypeError(`${name}: expected an integer ${range}, got ${describe(value)}`);
  }
  return value;
}

export function requireFunction<F>(name: string, value: unknown): F {
  if (typeof value !== 'function') throw new TypeError(`${name}: expected a function, got ${describe(value)}`);
  return value as F;
}

/** Checks that `value` has the named methods (a client, a pool, a stream). */
export function requireMethods<T>(name: string, value: unknown, methods: readonly string[], what: string): T {
  const missing =
    value === null || typeof value !== 'object'
      ? methods
      : methods.filter((method) => typeof (value as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`${name}: expected ${what} (with ${methods.join(', ')}), got ${describe(value)}`);
  }
  return value as T;
}

export function requireOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new TypeError(`${name}: expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}
