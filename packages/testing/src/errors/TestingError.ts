import { KinesisToolkitError, type ErrorContext, type KinesisToolkitErrorOptions } from '@kinesis-toolkit/core';

/** Context fields that say which server, resource or operation an error concerns; all optional. */
export interface TestingErrorContext extends ErrorContext {
  /** The emulator or server involved: `kinesalite`, `dynalite`, `s3rver`, `kinesis-mock`, `postgres`, `fault-proxy`. */
  readonly server?: string;
  readonly endpoint?: string;
  readonly bucketName?: string;
}

/** Options accepted by every error of this package. */
export interface TestingErrorOptions extends KinesisToolkitErrorOptions {
  /** Where it happened. @defaultValue {} */
  readonly context?: TestingErrorContext;
}

/**
 * The base of every error `@kinesis-toolkit/testing` throws or rejects with, a member of the
 * kinesis-toolkit error family ({@link KinesisToolkitError}): a stable `code`, a `retryable`
 * flag, a `cause` and a `context` naming the server or resource. Bad options and arguments are
 * core's `InvalidArgumentError`, as everywhere in the toolkit.
 */
export class TestingError extends KinesisToolkitError {
  declare readonly context: TestingErrorContext;

  /** @param code - `SERVER_START_FAILED`, `WAIT_TIMEOUT`, `NO_TEST_STACK`, `STOP_FAILED`. */
  constructor(code: string, message: string, options: TestingErrorOptions = {}) {
    super(code, message, options);
  }
}
