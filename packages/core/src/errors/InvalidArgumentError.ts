import { brandToolkitError, type ErrorContext, type ToolkitErrorFields } from './KinesisToolkitError';

/**
 * A bad option, argument or flag, reported at the boundary before anything runs. A `TypeError`
 * (the JavaScript convention for bad arguments) that is also a member of the
 * {@link KinesisToolkitError} family: `code` is `'INVALID_ARGUMENT'`, `retryable` is false and
 * `argument` names what was wrong (`'recordTtlMs'`, `'retry.baseDelayMs'`, `'--records'`).
 *
 * The message always reads `argument: expected …, got …`.
 */
export class InvalidArgumentError extends TypeError implements ToolkitErrorFields {
  declare readonly code: string;
  declare readonly retryable: boolean;
  declare readonly context: ErrorContext;
  /** The option, argument, field or flag that was wrong. */
  readonly argument: string;
  /** What was expected, in words: `an integer in [1, 500]`. */
  readonly expected: string;

  constructor(argument: string, expected: string, got: unknown, options: { readonly context?: ErrorContext; readonly cause?: unknown } = {}) {
    super(`${argument}: expected ${expected}, got ${describeValue(got)}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InvalidArgumentError';
    this.argument = argument;
    this.expected = expected;
    brandToolkitError(this, 'INVALID_ARGUMENT', { context: { argument, ...options.context } });
  }
}

/** How a value is shown after `got` in validation messages: short, unambiguous and never huge. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length > 80 ? `${JSON.stringify(value.slice(0, 77))}… (${value.length} characters)` : JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'function':
      return 'a function';
    default:
      if (Array.isArray(value)) return `an array of ${value.length}`;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `a Date (${value.toISOString()})`;
      if (value instanceof Uint8Array) return `${value.constructor.name} of ${value.length} bytes`;
      if (value instanceof Error) return `an error (${value.name}: ${value.message})`;
      {
        const name = (value as object).constructor?.name;
        return name && name !== 'Object' ? `a ${name}` : 'an object';
      }
  }
}
