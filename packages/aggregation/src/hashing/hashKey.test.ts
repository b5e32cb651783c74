import { createHash } from 'node:crypto';
import { InvalidRecordError } from '../errors/InvalidRecordError';
import { InvalidArgumentError, MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { effectiveHashKey, hashKeyDecimalOf, hashKeyOf, parseExplicitHashKey } from './hashKey';

describe('hash keys', () => {
  it('is MD5 of the UTF-8 partition key, read big-endian', () => {
    for (const key of ['a', 'partition-key', 'ключ', '🎉🎉']) {
      const hex = createHash('md5').update(Buffer.from(key, 'utf8')).digest('hex');
      expect(hashKeyOf(key)).toBe(BigInt(`0x${hex}`));
      expect(hashKeyDecimalOf(key)).toBe(BigInt(`0x${hex}`).toString());
    }
  });

  it('matches a hash key computed independently for a known key', () => {
    // md5("a") = 0cc175b9c0f1b6a831c399e269772661
    expect(hashKeyDecimalOf('a')).toBe('16955237001963240173058271559858726497');
  });

  it('accepts explicit hash keys from 0 to 2^128 - 1 in the form the Kinesis API takes', () => {
    expect(parseExplicitHashKey('0')).toBe(0n);
    expect(parseExplicitHashKey('123')).toBe(123n);
    expect(parseExplicitHashKey(MAX_HASH_KEY.toString())).toBe(MAX_HASH_KEY);
  });

  // Kinesis's pattern for ExplicitHashKey is 0|([1-9]\d{0,38}): it rejects leading zeros, so they are
  // rejected here rather than sent (or silently rewritten).
  it.each([
    ['0123', '"0123"'],
    ['00', '"00"'],
    [`000${MAX_HASH_KEY}`, `"000${MAX_HASH_KEY}"`],
    ['0'.repeat(50), `"${'0'.repeat(50)}"`],
    ['1'.padStart(50, '0'), `"${'1'.padStart(50, '0')}"`],
    ['', '""'],
    ['12a', '"12a"'],
    ['-1', '"-1"'],
    [' 1', '" 1"'],
    ['1e5', '"1e5"'],
    [(MAX_HASH_KEY + 1n).toString(), `"${MAX_HASH_KEY + 1n}"`],
    [42, '42'],
    [42n, '42n'],
    [null, 'null'],
  ])('rejects the explicit hash key %p, naming the field and the value', (value, shown) => {
    expect(() => parseExplicitHashKey(value)).toThrow(InvalidRecordError);
    expect(() => parseExplicitHashKey(value)).toThrow(`explicitHashKey: expected a decimal hash key in [0, 2^128 − 1] without leading zeros, got ${shown}`);
    expect(() => parseExplicitHashKey(value)).toThrow(expect.objectContaining({ field: 'explicitHashKey', code: 'InvalidRecord', retryable: false }));
  });

  it('rejects a huge digit string quickly and shows only its start', () => {
    expect(() => parseExplicitHashKey('9'.repeat(100_000))).toThrow(/… \(100000 characters\)$/);
  });

  it.each([42, null, undefined, { toString: () => 'k' }, Buffer.from('k')])('hashKeyOf(%p) is an InvalidArgumentError, not the hash of some other text', (value) => {
    expect(() => hashKeyOf(value as never)).toThrow(InvalidArgumentError);
    expect(() => hashKeyOf(value as never)).toThrow(/^partitionKey: expected a string, got /);
    expect(() => hashKeyDecimalOf(value as never)).toThrow(InvalidArgumentError);
  });

  it('effectiveHashKey names the bad field', () => {
    expect(() => effectiveHashKey(null as never)).toThrow(expect.objectContaining({ field: 'record' }));
    expect(() => effectiveHashKey({ partitionKey: 5 } as never)).toThrow(expect.objectContaining({ field: 'partitionKey' }));
    expect(() => effectiveHashKey({ partitionKey: 'a', explicitHashKey: '01' })).toThrow(expect.objectContaining({ field: 'explicitHashKey' }));
  });

  it('routes by the explicit hash key when there is one', () => {
    expect(effectiveHashKey({ partitionKey: 'a', explicitHashKey: '5' })).toBe(5n);
    expect(effectiveHashKey({ partitionKey: 'a' })).toBe(hashKeyOf('a'));
  });
});
