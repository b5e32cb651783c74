import type { Clock, LogContext, Logger } from '@kinesis-toolkit/core';

/**
 * A view of `logger` that lets at most one warn or error line through per `intervalMs` (debug and
 * info pass): the line after a quiet spell says how many were held back (`suppressed`). For
 * PutMetricData failures, which would otherwise repeat every retry and every interval.
 */
export function throttledWarnings(logger: Logger, intervalMs: number, clock: Clock): Logger {
  let lastAt: number | undefined;
  let suppressed = 0;
  const gate = (level: 'warn' | 'error', target: Logger) => (context: LogContext, message: string) => {
    const now = clock.now();
    if (lastAt !== undefined && now - lastAt < intervalMs) {
      suppressed++;
      return;
    }
    lastAt = now;
    target[level](suppressed > 0 ? { ...context, suppressed } : context, message);
    suppressed = 0;
  };
  const wrap = (target: Logger): Logger => ({
    debug: (context, message) => target.debug(context, message),
    info: (context, message) => target.info(context, message),
    warn: gate('warn', target),
    error: gate('error', target),
    child: (bindings) => wrap(target.child(bindings)),
  });
  return wrap(logger);
}
