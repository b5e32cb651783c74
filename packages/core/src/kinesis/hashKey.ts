import { InvalidArgumentError } from '../errors/InvalidArgumentError';

/** The largest 128-bit hash key, 2^128 − 1. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** A hash key as the Kinesis API accepts it: a decimal without leading zeros (`0|([1-9]\d{0,38})`). */
export const HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;

/** Whether `value` is a hash key Kinesis accepts: canonical decimal, in [0, 2^128 − 1]. */
export function isHashKey(value: unknown): value is string {
  return typeof value === 'string' && HASH_KEY_PATTERN.test(value) && BigInt(value) <= MAX_HASH_KEY;
}

/**
 * Parses a decimal hash key as the Kinesis API accepts it — `0` or digits without leading zeros,
 * at most 2^128 − 1 — into a bigint. Anything else (`'0123'`, `' 1'`, `'1e3'`, a number, 2^128) is an
 * {@link InvalidArgumentError} naming `name`: the service would reject it, so it is never sent.
 */
export function parseHashKey(name: string, value: unknown): bigint {
  if (typeof value !== 'string' || !HASH_KEY_PATTERN.test(value)) {
    throw new InvalidArgumentError(name, 'a decimal hash key in [0, 2^128 − 1] without leading zeros', value);
  }
  const key = BigInt(value);
  if (key > MAX_HASH_KEY) throw new InvalidArgumentError(name, 'a decimal hash key in [0, 2^128 − 1] without leading zeros', value);
  return key;
}
