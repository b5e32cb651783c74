import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/** What went wrong, as a stable code. */
export type AgentErrorCode =
  /** A record is larger than the destination takes (Firehose: 1,000 KiB). Not retryable. */
  | 'RecordTooLarge'
  /** Firehose refused a record for good (its `ErrorCode` is fatal), or the request failed for good. */
  | 'FirehoseRecordFailed'
  /** A record was not acknowledged within its time to live (retries included). */
  | 'RecordExpired'
  /** The producer was closed before the record was sent. */
  | 'ProducerClosed'
  /** The EC2 instance metadata service (IMDSv2) did not answer: ADDEC2METADATA off EC2, or IMDS disabled. */
  | 'Ec2MetadataUnavailable'
  /** agent.json is not usable: an unknown key, a known key we do not support, a bad value. */
  | 'InvalidAgentConfig';

/**
 * The errors of `@kinesis-toolkit/agent`: a {@link KinesisToolkitError} with a `code`, `retryable`,
 * a `cause` (the AWS error, untouched) and context (`deliveryStreamName`, `flow`, `key`).
 */
export class AgentError extends KinesisToolkitError {
  constructor(code: AgentErrorCode, message: string, options: { retryable?: boolean; cause?: unknown; context?: ErrorContext } = {}) {
    super(code, message, { retryable: options.retryable ?? false, cause: options.cause, context: options.context ?? {} });
  }
}
