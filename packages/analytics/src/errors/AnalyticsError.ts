import { KinesisToolkitError, type KinesisToolkitErrorOptions } from '@kinesis-toolkit/core';

/**
 * The base of every error `@kinesis-toolkit/analytics` throws or rejects with. `code` names the
 * kind of failure; `context` says where (application, stream, pump, shard).
 */
export class AnalyticsError extends KinesisToolkitError {
  constructor(code: string, message: string, options: KinesisToolkitErrorOptions = {}) {
    super(code, message, options);
  }
}
