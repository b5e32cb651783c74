import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';
import type { Attempt } from './Attempt';

/**
 * A user record was not acknowledged within `recordTtlMs`; `attempts` says what every try met.
 * A record never sent because no shard map could be listed carries the last ListShards failure
 * as `cause`.
 */
export class RecordExpiredError extends KinesisToolkitError {
  readonly attempts: readonly Attempt[];

  constructor(ttlMs: number, attempts: readonly Attempt[], context: ErrorContext, cause?: unknown) {
    const last = attempts.at(-1);
    const why =
      last?.errorCode !== undefined
        ? `last error ${last.errorCode}: ${last.errorMessage ?? ''}`
        : cause instanceof Error
          ? `never sent: no shard map (${cause.message})`
          : 'never sent (rate limited or buffered)';
    super('RecordExpired', `record not acknowledged within ${ttlMs} ms after ${attempts.length} attempt(s); ${why}`, {
      retryable: true,
      cause,
      context,
    });
    this.attempts = attempts;
  }
}
