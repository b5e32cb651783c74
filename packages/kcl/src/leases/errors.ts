import { KinesisToolkitError } from '@kinesis-toolkit/core';

/** A conditional write on a lease failed: another worker renewed, took or checkpointed it. */
export class LeaseLostError extends KinesisToolkitError {
  constructor(leaseKey: string, operation: string, cause?: unknown, why = 'the lease is no longer ours as we saw it') {
    super('LEASE_LOST', `lease ${leaseKey}: ${operation} failed, ${why}`, {
      retryable: false,
      cause,
      context: { leaseKey, shardId: leaseKey },
    });
  }
}

/** A lease table item this worker cannot read as a lease. Reported and skipped, never fatal. */
export class MalformedLeaseError extends KinesisToolkitError {
  constructor(leaseKey: string, problem: string) {
    super('MALFORMED_LEASE', `lease item ${JSON.stringify(leaseKey)}: ${problem}`, { retryable: false, context: { leaseKey } });
  }
}

/** The lease store could not be reached or answered with an error that is not a lost lease. */
export class LeaseStoreError extends KinesisToolkitError {
  constructor(operation: string, cause: unknown, retryable: boolean, leaseKey?: string) {
    super('LEASE_STORE', `${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, {
      retryable,
      cause,
      context: leaseKey === undefined ? {} : { leaseKey },
    });
  }
}
