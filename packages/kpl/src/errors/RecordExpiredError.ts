import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';
import type { Attempt } from './Attempt';

/** A user record was not acknowledged within `recordTtlMs`; `attempts` says what every try met. */
export class RecordExpiredError extends KinesisToolkitError {
  readonly attempts: readonly Attempt[];

  constructor(ttlMs: number, attempts: readonly Attempt[], context: ErrorContext) {
    const last = attempts.at(-1);
    const why = last?.errorCode === undefined ? 'never sent (rate limited or buffered)' : `last error ${last.errorCode}: ${last.errorMessage ?? ''}`;
    super('RecordExpired', `record not acknowledged within ${ttlMs} ms after ${attempts.length} attempt(s); ${why}`, {
      retryable: true,
      context,
    });
    this.attempts = attempts;
  }
}
