import { RetryPolicy, classifyAwsError, type Clock, type Logger } from '@kinesis-toolkit/core';

/** Failures in a row logged at debug (throttling and the codes a loop expects now and then) before they are logged at warn. */
export const QUIET_FAILURES = 4;

/** What a {@link ReadFailures} needs. */
export interface ReadFailuresSettings {
  readonly shardId: string;
  /** The call, for log lines: `GetRecords`, `SubscribeToShard`. */
  readonly operation: string;
  /** Codes the classifier calls fatal that this loop retries (ExpiredIteratorException, ResourceInUseException). */
  readonly retryableCodes: ReadonlySet<string>;
  /** The shortest pause after a failure. */
  readonly minPauseMs: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly logger: Logger;
}

/**
 * The failures in a row of one shard's read loop. Each failure goes through core's classifier:
 * a fatal one (not in `retryableCodes`) ends the loop (logged at error); any other gets a pause
 * from core's `RetryPolicy` (full jitter from 200 ms, capped at 10 s, never ending) and a log line
 * with the count in a row — at debug for the first few throttles and expected codes, at warn
 * otherwise — so a loop never retries silently.
 */
export class ReadFailures {
  readonly #retry: RetryPolicy;
  #count = 0;

  constructor(private readonly settings: ReadFailuresSettings) {
    this.#retry = new RetryPolicy({ baseDelayMs: 200, maxDelayMs: 10_000, maxAttempts: Infinity }, { clock: settings.clock, random: settings.random });
  }

  /** A call succeeded: the count starts again. */
  reset(): void {
    this.#count = 0;
  }

  /** Counts a failure: the pause before trying again, or `undefined` when retrying cannot help. */
  next(error: unknown): number | undefined {
    const s = this.settings;
    const { kind, code } = classifyAwsError(error);
    const expected = s.retryableCodes.has(code);
    const message = (error as Error | undefined)?.message;
    if (kind === 'fatal' && !expected) {
      s.logger.error({ shardId: s.shardId, code, error: message }, `${s.operation} failed and cannot be retried`);
      return undefined;
    }
    this.#count++;
    const pauseMs = Math.max(s.minPauseMs, this.#retry.delayMs(this.#count));
    const fields = { shardId: s.shardId, code, kind, consecutiveFailures: this.#count, pauseMs, error: message };
    if ((kind === 'throttled' || expected) && this.#count <= QUIET_FAILURES) s.logger.debug(fields, `${s.operation} failed; trying again after a pause`);
    else s.logger.warn(fields, `${s.operation} failed ${this.#count} time(s) in a row; trying again after a pause`);
    return pauseMs;
  }
}
