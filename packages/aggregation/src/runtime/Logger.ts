/**
 * The logging interface of kinesis-toolkit. Pass your own (pino, winston and console all fit
 * through a thin adapter); by default
 * nothing is logged and library code never writes to the console.
 */
export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const ignore = (): void => undefined;

/** A {@link Logger} that drops everything: the default everywhere in kinesis-toolkit. */
export const NOOP_LOGGER: Logger = Object.freeze({ debug: ignore, info: ignore, warn: ignore, error: ignore });
