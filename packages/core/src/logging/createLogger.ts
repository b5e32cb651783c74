import { requireFunction, requireObject, requireOneOf, rejectUnknownOptions } from '../validation/validators';
import { LOG_LEVELS, type LogContext, type LogLevel, type Logger } from './Logger';
import { redact } from './redact';

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  /** The least severe level written. @defaultValue 'info' */
  readonly level?: LogLevel;
  /** `json`: one JSON object per line (for log pipelines); `pretty`: one readable line. @defaultValue 'json' */
  readonly format?: 'json' | 'pretty';
  /** Where each finished line goes (without its newline). @defaultValue a write to standard error */
  readonly write?: (line: string) => void;
  /** Fields on every line. @defaultValue {} */
  readonly bindings?: LogContext;
  /** The time of a line. @defaultValue `() => new Date()` */
  readonly now?: () => Date;
}

/**
 * A levelled, structured {@link Logger} for applications and the CLI. Field values whose names
 * suggest secrets (`secretAccessKey`, `sessionToken`, `password`, `authorization`, `credentials`…)
 * are written as `[redacted]`, at any depth; errors are written as name, message, code and cause.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  requireObject('logger options', options);
  rejectUnknownOptions('', options, ['level', 'format', 'write', 'bindings', 'now']);
  const level = requireOneOf('level', options.level ?? 'info', LOG_LEVELS);
  const format = requireOneOf('format', options.format ?? 'json', ['json', 'pretty'] as const);
  const write = options.write === undefined ? (line: string) => void process.stderr.write(`${line}\n`) : (requireFunction('write', options.write) as (line: string) => void);
  const now = options.now ?? (() => new Date());
  return build(LOG_LEVELS.indexOf(level), format, write, now, options.bindings ?? {});
}

function build(threshold: number, format: 'json' | 'pretty', write: (line: string) => void, now: () => Date, bindings: LogContext): Logger {
  const at =
    (level: LogLevel) =>
    (context: LogContext, message: string): void => {
      if (LOG_LEVELS.indexOf(level) < threshold) return;
      const fields = redact({ ...bindings, ...context }) as LogContext;
      write(format === 'json' ? jsonLine(now(), level, message, fields) : prettyLine(now(), level, message, fields));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more: LogContext) => build(threshold, format, write, now, { ...bindings, ...more }),
  };
}

function jsonLine(time: Date, level: LogLevel, message: string, fields: LogContext): string {
  return JSON.stringify({ time: time.toISOString(), level, msg: message, ...fields }, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function prettyLine(time: Date, level: LogLevel, message: string, fields: LogContext): string {
  const rest = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`)
    .join(' ');
  return `${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${rest === '' ? '' : ` ${rest}`}`;
}
