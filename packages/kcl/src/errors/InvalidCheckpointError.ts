import { KinesisToolkitError } from '@kinesis-toolkit/core';

/**
 * A checkpoint argument that cannot be checkpointed: not a position at all (`checkpoint(123)`,
 * `checkpoint({ sequenceNumber: 'abc' })`, a sub-sequence number of NaN), before the last
 * checkpoint, or past the last record delivered. Thrown before anything is written; not retryable.
 * `argument` names what was wrong (`position`, `position.sequenceNumber`, `subSequenceNumber`, `state`).
 */
export class InvalidCheckpointError extends KinesisToolkitError {
  /** The argument of `checkpoint()` / `prepareCheckpoint()` that was wrong. */
  readonly argument: string;

  constructor(shardId: string, argument: string, problem: string, cause?: unknown) {
    super('INVALID_CHECKPOINT', `${shardId}: checkpoint ${argument}: ${problem}`, { retryable: false, cause, context: { shardId, leaseKey: shardId, argument } });
    this.argument = argument;
  }
}
