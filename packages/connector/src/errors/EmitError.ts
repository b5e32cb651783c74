import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/**
 * The stable codes of {@link EmitError}.
 *
 * - `EmitFailed`: the emitter threw, or reported items failed without an error of its own.
 * - `RetriesExhausted`: items failed every allowed attempt and no failure sink is configured, so
 *   they are retried (and nothing is checkpointed past them) until they succeed.
 */
export type EmitErrorCode = 'EmitFailed' | 'RetriesExhausted';

/**
 * Items of a flushed batch were not written. The pipeline does not checkpoint past them and tries
 * them again later. `retryable` (default true) is false when they failed for a reason a retry
 * cannot fix (an item the sink refused, access denied) and there is no failure sink to take them.
 * `context` names the shard and batch.
 */
export class EmitError extends KinesisToolkitError {
  declare readonly code: EmitErrorCode;

  constructor(code: EmitErrorCode, message: string, options: { readonly cause?: unknown; readonly context?: ErrorContext; readonly retryable?: boolean } = {}) {
    super(code, message, { retryable: options.retryable ?? true, cause: options.cause, context: options.context });
  }
}
