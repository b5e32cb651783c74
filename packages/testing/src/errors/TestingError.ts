/** Context fields that say which server, resource or operation an error concerns; all optional. */
export interface TestingErrorContext {
  /** The emulator or server involved: `kinesalite`, `dynalite`, `s3rver`, `kinesis-mock`, `postgres`, `fault-proxy`. */
  readonly server?: string;
  readonly endpoint?: string;
  readonly streamName?: string;
  readonly bucketName?: string;
  readonly [key: string]: unknown;
}

/** Options accepted by every error of this package. */
export interface TestingErrorOptions {
  /** Whether the same operation may succeed if tried again. @defaultValue false */
  readonly retryable?: boolean;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Where it happened. @defaultValue {} */
  readonly context?: TestingErrorContext;
}

/**
 * The base of every error `@kinesis-toolkit/testing` throws or rejects with. It has the same
 * shape as the other kinesis-toolkit errors: a stable `code`, a `retryable` flag, a `cause`
 * and a `context` naming the server or resource.
 */
export class TestingError extends Error {
  /** A stable, machine-readable name for the kind of failure. */
  readonly code: string;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** Where it happened. */
  readonly context: TestingErrorContext;

  constructor(code: string, message: string, options: TestingErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = options.context ?? {};
  }
}
