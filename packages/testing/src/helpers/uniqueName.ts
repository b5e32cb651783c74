import { requireString } from '@kinesis-toolkit/core';

/** The longest name {@link uniqueName} returns: S3's bucket name limit, the tightest of the three. */
export const UNIQUE_NAME_MAX_LENGTH = 63;

const FALLBACK_PREFIX = 'kt';
let counter = 0;

/**
 * A name no other call returns — in this process, in other jest workers (the pid is part of
 * it) or in earlier runs (so is the time) — that is valid at once as a Kinesis stream name, a
 * DynamoDB table name and an S3 bucket name: 3–63 characters of `a-z`, `0-9` and `-`, starting
 * and ending with a letter or digit. The prefix is lower-cased, other characters become `-`,
 * and it is shortened to fit; it is a readable hint, not a guarantee.
 *
 * @example `uniqueName('orders')` → `'orders-m3k2x9qa-1f3-0'`
 */
export function uniqueName(prefix = FALLBACK_PREFIX): string {
  requireString('prefix', prefix, { minLength: 0, expected: 'a string' });
  const suffix = `${Date.now().toString(36)}-${process.pid.toString(36)}-${(counter++).toString(36)}`;
  let head = prefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // S3 reserves these prefixes for its own kinds of bucket.
  if (head === '' || head.startsWith('xn-') || head.startsWith('sthree-') || head.startsWith('amzn-s3-demo-')) {
    head = head === '' ? FALLBACK_PREFIX : `${FALLBACK_PREFIX}-${head}`;
  }
  head = head.slice(0, UNIQUE_NAME_MAX_LENGTH - suffix.length - 1).replace(/-+$/g, '');
  return head === '' ? suffix : `${head}-${suffix}`;
}
