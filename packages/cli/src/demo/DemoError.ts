import { KinesisToolkitError, type KinesisToolkitErrorOptions } from '@kinesis-toolkit/core';

/**
 * Something in the demo's own machinery failed (a worker would not start, a reshard did not
 * finish, a sink could not be read) — as opposed to a verification failure, which the summary
 * reports. `code` names the step.
 */
export class DemoError extends KinesisToolkitError {
  constructor(code: string, message: string, options: KinesisToolkitErrorOptions = {}) {
    super(code, message, options);
  }
}
