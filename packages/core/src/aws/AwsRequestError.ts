import { KinesisToolkitError, type ErrorContext } from '../errors/KinesisToolkitError';
import type { AwsErrorClassification } from './classifyAwsError';

/** Where a failed AWS call was going, for {@link AwsRequestError}. */
export interface AwsRequestDescription {
  /** `Kinesis`, `DynamoDB`, `S3`, `Firehose`, `CloudWatch`. */
  readonly service: string;
  /** The API operation: `ListShards`, `UpdateItem`. */
  readonly operation: string;
  /** How many attempts were made (1 when the error was fatal). */
  readonly attempts: number;
  /** Stream, shard, table, bucket… */
  readonly context?: ErrorContext;
}

/**
 * An AWS call that failed for good: at once when the error is fatal, or when its retry budget
 * (attempts or deadline) ran out. `code` is the AWS error code (`ResourceNotFoundException`), the
 * network code (`ECONNREFUSED`) or `DEADLINE_EXCEEDED`; `kind` and `retryable` come from the one
 * classifier; `cause` is the SDK's own error, untouched.
 */
export class AwsRequestError extends KinesisToolkitError {
  readonly classification: AwsErrorClassification;
  readonly service: string;
  readonly operation: string;
  readonly attempts: number;

  constructor(cause: unknown, classification: AwsErrorClassification, request: AwsRequestDescription) {
    const detail = cause instanceof Error && cause.message !== '' && cause.message !== classification.code ? `: ${cause.message}` : '';
    const outcome =
      classification.kind === 'fatal'
        ? 'not retried (the request itself is wrong)'
        : `gave up after ${request.attempts} attempt${request.attempts === 1 ? '' : 's'} (${classification.kind})`;
    super(classification.code, `${request.service} ${request.operation} failed with ${classification.code}${detail} — ${outcome}`, {
      retryable: classification.retryable,
      cause,
      context: { service: request.service, operation: request.operation, attempts: request.attempts, ...request.context },
    });
    this.classification = classification;
    this.service = request.service;
    this.operation = request.operation;
    this.attempts = request.attempts;
  }

  /** The classifier's verdict: throttled, transient, expiredCredentials or fatal. */
  get kind(): AwsErrorClassification['kind'] {
    return this.classification.kind;
  }
}
