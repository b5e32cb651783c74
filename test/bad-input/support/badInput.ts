import { AwsRequestError, isToolkitError } from '@kinesis-toolkit/core';

// Helpers of the bad-input suite (test/bad-input/*.test.ts). Every case states what a user may
// get wrong and what the toolkit must answer: a typed error of the KinesisToolkitError family
// that names the field (or, for the CLI, exit code 2 and one line naming the flag or key), at
// the boundary, bounded in time, and with no unhandled promise rejection.

/** How a call ended, observed for at most a bounded time. */
export type Outcome =
  | { readonly kind: 'returned' | 'resolved'; readonly value: unknown }
  | { readonly kind: 'threw' | 'rejected'; readonly error: unknown }
  | { readonly kind: 'hung'; readonly afterMs: number };

/** How long a unit case may take before it counts as a hang. */
export const UNIT_BOUND_MS = 2_000;

/** Calls `run` and waits (at most `withinMs`, then `hung`) for a returned promise to settle. */
export async function outcomeOf(run: () => unknown, withinMs = UNIT_BOUND_MS): Promise<Outcome> {
  let value: unknown;
  try {
    value = run();
  } catch (error) {
    return { kind: 'threw', error };
  }
  if (!isThenable(value)) return { kind: 'returned', value };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hung', afterMs: withinMs }), withinMs);
  });
  const settled = Promise.resolve(value).then(
    (resolved): Outcome => ({ kind: 'resolved', value: resolved }),
    (error: unknown): Outcome => ({ kind: 'rejected', error }),
  );
  try {
    return await Promise.race([settled, hung]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `error`'s `argument`, `field` or message (as a whole word, any case) names `field`. */
export function namesField(error: unknown, field: string): boolean {
  if (!(error instanceof Error)) return false;
  const { argument, field: ownField } = error as { argument?: unknown; field?: unknown };
  const word = new RegExp(`(^|[^A-Za-z0-9_])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9_])`, 'i');
  return argument === field || ownField === field || word.test(error.message);
}

/** One line describing an outcome, for failure messages. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'hung':
      return `it neither settled nor threw within ${outcome.afterMs} ms (a hang)`;
    case 'returned':
    case 'resolved':
      return `it ${outcome.kind} (accepted the bad input) with ${preview(outcome.value)}`;
    default: {
      const error = outcome.error;
      const kind = error instanceof Error ? `${error.name}${isToolkitError(error) ? ` (code ${error.code}${error.retryable ? ', retryable' : ''})` : ' (not a KinesisToolkitError)'}` : typeof error;
      return `it ${outcome.kind} ${kind}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
  }
}

/**
 * Asserts the bad-input contract for one call: it throws or rejects (within the bound) with an
 * error of the KinesisToolkitError family that names `field` and is not retryable — a boundary
 * error, not an AWS failure (`AwsRequestError`) nor a crash wrapped on the way. Resolves with it.
 */
export async function expectTypedError(run: () => unknown, field: string, withinMs = UNIT_BOUND_MS): Promise<Error> {
  const outcome = await outcomeOf(run, withinMs);
  const error = outcome.kind === 'threw' || outcome.kind === 'rejected' ? outcome.error : undefined;
  if (!isToolkitError(error) || error instanceof AwsRequestError || error.retryable || !namesField(error, field)) {
    throw new Error(`expected a non-retryable KinesisToolkitError naming "${field}" at the boundary, but ${describeOutcome(outcome)}`);
  }
  return error;
}

/** The unhandled rejections the suite's environment saw (see trackingEnvironment.js). */
export function unhandledRejections(): unknown[] {
  const seen = (globalThis as { __badInputUnhandledRejections?: unknown[] }).__badInputUnhandledRejections;
  if (seen === undefined) throw new Error('the bad-input tests need `@jest-environment ./test/bad-input/support/trackingEnvironment.js`');
  return seen;
}

/**
 * After each case: one macrotask (Node reports unhandled rejections at the end of the microtask
 * queue) and then no rejection may have gone unhandled. Clears the list for the next case.
 */
export function failOnUnhandledRejections(): void {
  afterEach(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const seen = unhandledRejections().splice(0);
    if (seen.length > 0) throw new Error(`unhandled rejection(s): ${seen.map((reason) => (reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason))).join('; ')}`);
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown>).then === 'function';
}

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Uint8Array) return `${value.constructor.name} of ${value.length} bytes`;
  try {
    const text = JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `<${v.length} bytes>` : v));
    return text === undefined ? String(value) : text.length > 160 ? `${text.slice(0, 157)}…` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
