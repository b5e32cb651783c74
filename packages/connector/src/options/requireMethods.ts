import { InvalidArgumentError, requireObject, withoutUndefined, type Clock, type Logger } from '@kinesis-toolkit/core';

// The connector's option resolvers use core's validators (`requireInteger`, `requireString`, …);
// what core has no validator for — "an object with these methods" (a client, a pool, a logger, a
// clock) — is checked here, with the same `name: expected …, got …` InvalidArgumentError.

/** An object with every one of `methods` (a client, a pool, an emitter). */
export function requireMethods<T>(name: string, value: unknown, methods: readonly string[], what: string): T {
  const ok = value !== null && typeof value === 'object' && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!ok) throw new InvalidArgumentError(name, `${what} (with ${methods.join(', ')})`, value);
  return value as T;
}

/** A {@link Logger}: `debug`, `info`, `warn`, `error`. */
export function requireLogger(name: string, value: unknown): Logger {
  return requireMethods<Logger>(name, value, ['debug', 'info', 'warn', 'error'], 'a Logger');
}

/** A {@link Clock}: `now`, `setTimeout`, `clearTimeout`. */
export function requireClock(name: string, value: unknown): Clock {
  return requireMethods<Clock>(name, value, ['now', 'setTimeout', 'clearTimeout'], 'a Clock');
}

/** The options object, checked to be one, without its `undefined` fields (so spreading it over defaults keeps them). */
export function givenOptions<T extends object>(name: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  return withoutUndefined(requireObject(name, options) as T);
}
