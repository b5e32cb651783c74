import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A record processor callback threw (`processorError` event); the same call is made again after a backoff. */
export class ShardProcessingError extends KinesisToolkitError {
  constructor(shardId: string, stage: string, cause: unknown, attempt?: number) {
    const tries = attempt === undefined ? '' : ` (attempt ${attempt}; retrying)`;
    super('PROCESSOR_FAILED', `${shardId}: ${stage} failed${tries}: ${(cause as Error)?.message ?? String(cause)}`, {
      retryable: true,
      cause,
      context: attempt === undefined ? { shardId, leaseKey: shardId, stage } : { shardId, leaseKey: shardId, stage, attempt },
    });
  }
}
