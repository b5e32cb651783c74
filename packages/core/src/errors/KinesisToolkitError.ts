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

/** The fields every kinesis-toolkit error carries, whichever built-in class it extends. */
export interface ToolkitErrorFields {
  readonly code: string;
  readonly retryable: boolean;
  readonly context: ErrorContext;
}

// Marks an error as one of ours across copies of this package (two versions installed side by
// side, or a jest module registry) and across built-in bases (InvalidArgumentError is a TypeError).
const BRAND = Symbol.for('@kinesis-toolkit/error');

/** Stamps the family brand and the shared fields on an error; for classes that cannot extend {@link KinesisToolkitError}. */
export function brandToolkitError<E extends Error>(error: E, code: string, options: KinesisToolkitErrorOptions): E & ToolkitErrorFields {
  Object.defineProperty(error, BRAND, { value: true });
  const fields = { code, retryable: options.retryable ?? false, context: options.context ?? {} };
  return Object.assign(error, fields);
}

/**
 * The base of every error kinesis-toolkit throws or rejects with. Callers branch on the
 * subclass (or `code`) and on `retryable`; `context` names the stream, shard or record.
 *
 * `error instanceof KinesisToolkitError` holds for every error of the family — including
 * {@link InvalidArgumentError}, which is a `TypeError` as JavaScript convention wants for bad
 * arguments — and for errors from another installed copy of this package.
 */
export class KinesisToolkitError extends Error implements ToolkitErrorFields {
  /** A stable, machine-readable name for the kind of failure. */
  declare readonly code: string;
  /** Whether trying again may succeed. */
  declare readonly retryable: boolean;
  /** Where it happened. */
  declare readonly context: ErrorContext;

  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check; only the family's base recognises the brand.
    if (this !== KinesisToolkitError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(code: string, message: string, options: KinesisToolkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    brandToolkitError(this, code, options);
  }
}

/** Whether `value` is an error of the kinesis-toolkit family (see {@link KinesisToolkitError}). */
export function isToolkitError(value: unknown): value is Error & ToolkitErrorFields {
  return value instanceof KinesisToolkitError;
}
