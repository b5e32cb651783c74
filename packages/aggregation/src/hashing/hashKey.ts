import { InvalidRecordError } from '../errors/InvalidRecordError';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { md5OfUtf8 } from './md5';
import { hashKeyWordsOf, wordsToHashKey } from './HashKeyWords';

/** Decimal digits of 2^128 − 1: no valid hash key is longer. */
const MAX_HASH_KEY_DIGITS = MAX_HASH_KEY.toString().length;
const DECIMAL = /^[0-9]+$/;

/** The MD5 digest of a partition key's UTF-8 bytes, as Kinesis computes it. */
export function md5OfPartitionKey(partitionKey: string): Buffer {
  return md5OfUtf8(partitionKey);
}

/** Reads a 16-byte big-endian digest as an unsigned 128-bit integer. */
export function digestToHashKey(digest: Uint8Array): bigint {
  const view = new DataView(digest.buffer, digest.byteOffset, 16);
  return (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
}

/**
 * The 128-bit hash key Kinesis derives from a partition key: MD5 of its UTF-8 bytes read
 * as a big-endian unsigned integer. This picks the shard when no explicit hash key is given.
 */
export function hashKeyOf(partitionKey: string): bigint {
  // The JavaScript MD5 is ~2.5× faster than the native one-shot hash plus a DataView for keys.
  hashKeyWordsOf(partitionKey, scratchWords);
  return wordsToHashKey(scratchWords);
}

const scratchWords = new Uint32Array(4);

/** {@link hashKeyOf} as a decimal string, the form PutRecords' `ExplicitHashKey` takes. */
export function hashKeyDecimalOf(partitionKey: string): string {
  return hashKeyOf(partitionKey).toString();
}

/**
 * Validates an explicit hash key (decimal digits, 0 ≤ key ≤ 2^128 − 1) and returns its value.
 * @throws {@link InvalidRecordError} (field `explicitHashKey`) naming what is wrong.
 */
export function parseExplicitHashKey(explicitHashKey: unknown): bigint {
  if (typeof explicitHashKey !== 'string') {
    throw new InvalidRecordError('explicitHashKey', `expected a decimal string, got ${typeof explicitHashKey}`);
  }
  if (!DECIMAL.test(explicitHashKey)) {
    throw new InvalidRecordError('explicitHashKey', `expected decimal digits only, got ${JSON.stringify(explicitHashKey.slice(0, 50))}`);
  }
  // A cheap length check first keeps absurd inputs from being turned into huge bigints.
  const significant = explicitHashKey.replace(/^0+(?=.)/, '');
  const value = significant.length > MAX_HASH_KEY_DIGITS ? MAX_HASH_KEY + 1n : BigInt(significant);
  if (value > MAX_HASH_KEY) {
    throw new InvalidRecordError('explicitHashKey', 'must be at most 2^128 - 1 (340282366920938463463374607431768211455)');
  }
  return value;
}

/** The hash key that routes a record: its explicit hash key if it has one, else MD5 of its key. */
export function effectiveHashKey(record: { readonly partitionKey: string; readonly explicitHashKey?: string }): bigint {
  return record.explicitHashKey === undefined ? hashKeyOf(record.partitionKey) : parseExplicitHashKey(record.explicitHashKey);
}
