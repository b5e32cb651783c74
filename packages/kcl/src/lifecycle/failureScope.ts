import { AwsRequestError, InvalidArgumentError } from '@kinesis-toolkit/core';
import { LeaseStoreError } from '../leases/errors';

/**
 * How far a failure that retrying cannot fix reaches — the worker's error policy (README, "Errors"):
 * - `shard`: only this shard cannot be read (InvalidArgumentException, e.g. a checkpoint that is not
 *   from this shard; an unreadable lease item): the shard stops on this worker;
 * - `stream?`: ResourceNotFoundException from a shard's read: the shard is gone (trimmed) or the whole
 *   stream is; the worker asks DescribeStreamSummary and stops if the stream is gone;
 * - `worker`: the worker cannot go on — access denied, KMS or credential errors on the stream, any
 *   fatal lease-table error (the table deleted, access denied), a processor that is not one.
 */
export type FailureScope = 'shard' | 'stream?' | 'worker';

/** The scope of a failure the consumer or the worker could not retry. */
export function failureScope(error: unknown): FailureScope {
  if (error instanceof InvalidArgumentError) return 'worker';
  if (error instanceof LeaseStoreError) return 'worker';
  if (error instanceof AwsRequestError && error.service === 'Kinesis') {
    if (error.code === 'ResourceNotFoundException') return 'stream?';
    if (error.code === 'InvalidArgumentException') return 'shard';
    return 'worker';
  }
  return 'shard';
}
