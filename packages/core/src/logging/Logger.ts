/** Structured fields of a log line. */
export type LogContext = Record<string, unknown>;

/** The levels kinesis-toolkit logs at, least severe first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Every {@link LogLevel}, least severe first. */
export const LOG_LEVELS: readonly LogLevel[] = Object.freeze(['debug', 'info', 'warn', 'error']);

/**
 * The logging interface of kinesis-toolkit: structured fields first, then the message — the
 * shape of pino, so a pino logger can be passed as is. `child(bindings)` returns a logger whose
 * lines carry `bindings` (component, stream, shard, worker). By default nothing is logged, and
 * library code never writes to the console; `createLogger()` gives a levelled JSON or pretty
 * logger for applications and the CLI.
 */
export interface Logger {
  debug(context: LogContext, message: string): void;
  info(context: LogContext, message: string): void;
  warn(context: LogContext, message: string): void;
  error(context: LogContext, message: string): void;
  child(bindings: LogContext): Logger;
}

const ignore = (): void => undefined;

/** A {@link Logger} that drops everything: the default everywhere in kinesis-toolkit. */
export const NOOP_LOGGER: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: (): Logger => NOOP_LOGGER,
});
