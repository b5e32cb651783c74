import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { compareHashKeyWords, hashKeyToWords, hashKeyWordsOf, wordsToHashKey } from './HashKeyWords';
import { hashKeyOf } from './hashKey';

const viaNode = (text: string) => BigInt(`0x${createHash('md5').update(text, 'utf8').digest('hex')}`);

describe('hashKeyWordsOf', () => {
  const out = new Uint32Array(4);
  const hashOf = (text: string) => {
    hashKeyWordsOf(text, out);
    return wordsToHashKey(out);
  };

  it('matches the RFC 1321 test suite', () => {
    const digests: Record<string, string> = {
      '': 'd41d8cd98f00b204e9800998ecf8427e',
      a: '0cc175b9c0f1b6a831c399e269772661',
      abc: '900150983cd24fb0d6963f7d28e17f72',
      'message digest': 'f96b697d7cb7938d525a2f31aaf161d0',
      abcdefghijklmnopqrstuvwxyz: 'c3fcd3d76192e4007dfb496cca67e13b',
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890': '57edf4a22be3c955ac49da2e2107b67a',
    };
    for (const [text, hex] of Object.entries(digests)) expect(hashOf(text)).toBe(BigInt(`0x${hex}`));
  });

  it('equals MD5 of the UTF-8 bytes at every padding boundary', () => {
    for (let length = 0; length <= 200; length++) {
      const text = 'k'.repeat(length);
      expect(hashOf(text)).toBe(viaNode(text));
    }
  });

  it('equals node:crypto for any string, non-ASCII and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => hashOf(text) === viaNode(text)),
      { numRuns: 2000 },
    );
  });

  it('agrees with hashKeyOf', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 256 }), (key) => hashOf(key) === hashKeyOf(key)));
  });
});

describe('hash key words', () => {
  it('round-trip through bigint and compare like bigints', () => {
    const key = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(wordsToHashKey(hashKeyToWords(a))).toBe(a);
        expect(Math.sign(compareHashKeyWords(hashKeyToWords(a), hashKeyToWords(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
