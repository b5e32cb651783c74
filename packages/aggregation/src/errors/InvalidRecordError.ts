import { KinesisToolkitError, type ErrorContext } from '@kinesis-toolkit/core';

/** The part of a user record that was rejected. */
export type RecordField = 'partitionKey' | 'explicitHashKey' | 'data' | 'record';

/**
 * A user record was rejected at the boundary because one of its fields breaks a Kinesis
 * rule (empty or too long partition key, malformed explicit hash key, data that is not bytes).
 * Never retryable: the same record fails the same way.
 */
export class InvalidRecordError extends KinesisToolkitError {
  /** The field that broke the rule. */
  readonly field: RecordField;

  constructor(field: RecordField, message: string, context: ErrorContext = {}) {
    super('InvalidRecord', `${field}: ${message}`, { retryable: false, context });
    this.field = field;
  }
}
