import { KinesisToolkitError } from '@kinesis-toolkit/core';

/**
 * Bytes that open with the KPL magic could not be decoded as an aggregate (bad MD5,
 * truncated or malformed protobuf, an index outside its table). De-aggregation does not throw
 * it: such a record is delivered as one plain record, and this says why.
 */
export class CorruptAggregateError extends KinesisToolkitError {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super('CorruptAggregate', message, { retryable: false, cause: options.cause });
  }
}
