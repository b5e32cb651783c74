/** Context fields that say where an error happened; all optional. */
export interface ErrorContext {
  readonly streamName?: string;
  readonly shardId?: string;
  readonly leaseKey?: string;
  readonly partitionKey?: string;
  readonly sequenceNumber?: string;
  readonly [key: string]: unknown;
}

/** Options accepted by every kinesis-toolkit error. */
export interface KinesisToolkitErrorOptions {
  /** Whether the same operation may succeed if tried again. @defaultValue false */
  readonly retryable?: boolean;
  /** The underlying error, if any. */
  readonly cause?: unknown;
  /** Where it happened. @defaultValue {} */
  readonly context?: ErrorContext;
}

/**
 * The base of every error kinesis-toolkit throws or rejects with. Callers branch on the
 * subclass (or `code`) and on `retryable`; `context` names the stream, shard or record.
 */
export class KinesisToolkitError extends Error {
  /** A stable, machine-readable name for the kind of failure. */
  readonly code: string;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** Where it happened. */
  readonly context: ErrorContext;

  constructor(code: string, message: string, options: KinesisToolkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.context = options.context ?? {};
  }
}
