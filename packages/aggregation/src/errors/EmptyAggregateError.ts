import { KinesisToolkitError } from '@kinesis-toolkit/core';

/**
 * `AggregateBuilder.build()` was called with no records added since the last build (check
 * `builder.count` first). A programming error, never retryable.
 */
export class EmptyAggregateError extends KinesisToolkitError {
  constructor() {
    super('EmptyAggregate', 'AggregateBuilder.build(): no records to build (add records first, or check count > 0)', { retryable: false });
  }
}
