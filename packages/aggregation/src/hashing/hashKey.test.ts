import { createHash } from 'node:crypto';
import { InvalidRecordError } from '../errors/InvalidRecordError';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
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

  it('accepts explicit hash keys from 0 to 2^128 - 1, leading zeros included', () => {
    expect(parseExplicitHashKey('0')).toBe(0n);
    expect(parseExplicitHashKey(MAX_HASH_KEY.toString())).toBe(MAX_HASH_KEY);
    expect(parseExplicitHashKey(`000${MAX_HASH_KEY}`)).toBe(MAX_HASH_KEY);
  });

  it.each([
    ['', /decimal digits/],
    ['12a', /decimal digits/],
    ['-1', /decimal digits/],
    [' 1', /decimal digits/],
    ['1e5', /decimal digits/],
    [(MAX_HASH_KEY + 1n).toString(), /at most 2\^128 - 1/],
    ['9'.repeat(1000), /at most 2\^128 - 1/],
    [42, /expected a decimal string, got number/],
  ])('rejects the explicit hash key %p', (value, message) => {
    expect(() => parseExplicitHashKey(value)).toThrow(InvalidRecordError);
    expect(() => parseExplicitHashKey(value)).toThrow(message);
    expect(() => parseExplicitHashKey(value)).toThrow(expect.objectContaining({ field: 'explicitHashKey' }));
  });

  it('routes by the explicit hash key when there is one', () => {
    expect(effectiveHashKey({ partitionKey: 'a', explicitHashKey: '5' })).toBe(5n);
    expect(effectiveHashKey({ partitionKey: 'a' })).toBe(hashKeyOf('a'));
  });
});
