/** The methods a `clock` option must have (core's `Clock`). */
export const CLOCK_METHODS = Object.freeze(['now', 'setTimeout', 'clearTimeout'] as const);

/** The methods a `logger` option must have (core's `Logger`, which a pino logger satisfies). */
export const LOGGER_METHODS = Object.freeze(['debug', 'info', 'warn', 'error'] as const);
