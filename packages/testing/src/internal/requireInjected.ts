import { InvalidArgumentError, LOG_LEVELS, type Clock, type Logger } from '@kinesis-toolkit/core';

const LOGGER_METHODS = [...LOG_LEVELS, 'child'];
const CLOCK_METHODS = ['now', 'setTimeout', 'clearTimeout'];

function requireMethods<T>(name: string, value: unknown, methods: readonly string[], what: string): T {
  const ok = value !== null && typeof value === 'object' && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
  if (!ok) throw new InvalidArgumentError(name, `${what} (with ${methods.join(', ')})`, value);
  return value as T;
}

/** The `logger` option: an object with the {@link Logger} methods (a pino logger qualifies). */
export function requireLogger(name: string, value: unknown): Logger {
  return requireMethods(name, value, LOGGER_METHODS, 'a Logger');
}

/** The `clock` option: a {@link Clock} such as `SYSTEM_CLOCK` or a `ManualClock`. */
export function requireClock(name: string, value: unknown): Clock {
  return requireMethods(name, value, CLOCK_METHODS, 'a Clock');
}
