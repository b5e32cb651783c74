import { KinesisToolkitError } from '@kinesis-toolkit/core';

/**
 * A shard's consumer stopped on a failure that retrying cannot fix (`shardError` event): `cause` is
 * the error (core's `AwsRequestError` for an AWS call, with the AWS code; a `LeaseStoreError` for the
 * lease table). Whether the worker stops too is its error policy (see the README).
 */
export class ShardFailedError extends KinesisToolkitError {
  constructor(shardId: string, stage: string, cause: unknown) {
    super('SHARD_FAILED', `${shardId}: stopped during ${stage}: ${(cause as Error)?.message ?? String(cause)}`, {
      retryable: false,
      cause,
      context: { shardId, leaseKey: shardId, stage, reason: reasonOf(cause) },
    });
  }
}

/** The most specific code in an error's cause chain: the AWS code, else the first toolkit code. */
export function reasonOf(error: unknown): string {
  let fallback: string | undefined;
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    const { code, service } = current as { code?: unknown; service?: unknown };
    if (typeof code === 'string' && typeof service === 'string') return code; // core's AwsRequestError
    if (typeof code === 'string') fallback ??= code;
  }
  return fallback ?? (error instanceof Error ? error.name : 'UnknownError');
}
