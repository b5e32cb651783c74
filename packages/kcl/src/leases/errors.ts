import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A conditional write on a lease failed: another worker renewed, took or checkpointed it. */
export class LeaseLostError extends KinesisToolkitError {
  constructor(leaseKey: string, operation: string, cause?: unknown) {
    super('LeaseLost', `lease ${leaseKey}: ${operation} failed, the lease is no longer ours as we saw it`, {
      retryable: false,
      cause,
      context: { leaseKey, shardId: leaseKey },
    });
  }
}

/** A lease table item this worker cannot read as a lease. Reported and skipped, never fatal. */
export class MalformedLeaseError extends KinesisToolkitError {
  constructor(leaseKey: string, problem: string) {
    super('MalformedLease', `lease item ${JSON.stringify(leaseKey)}: ${problem}`, { retryable: false, context: { leaseKey } });
  }
}

/** The lease store could not be reached or answered with an error that is not a lost lease. */
export class LeaseStoreError extends KinesisToolkitError {
  constructor(operation: string, cause: unknown, retryable: boolean, leaseKey?: string) {
    super('LeaseStore', `${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      retryable,
      cause,
      context: leaseKey === undefined ? {} : { leaseKey },
    });
  }
}
