import fc from 'fast-check';
import { EmitterError } from '../EmitterError';
import { encodeCopyRow, encodeCopyValue } from './copyText';

/** Decodes one COPY text field (the inverse of the encoder, per the PostgreSQL manual). */
function decodeField(field: string): string | null {
  if (field === '\\N') return null;
  const escapes: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };
  return field.replace(/\\(.)/g, (_, char: string) => escapes[char] ?? char);
}

describe('encodeCopyValue', () => {
  it.each([
    [null, '\\N'],
    [undefined, '\\N'],
    ['plain', 'plain'],
    ['a\tb\nc\rd\\e', 'a\\tb\\nc\\rd\\\\e'],
    ['\\N', '\\\\N'],
    [42, '42'],
    [-0.5, '-0.5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [12345678901234567890n, '12345678901234567890'],
    [true, 't'],
    [false, 'f'],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), '2024-01-02T03:04:05.006Z'],
    [Buffer.from([0, 255, 10]), '\\\\x00ff0a'],
    [{ a: 'tab\there' }, '{"a":"tab\\\\there"}'],
    [[1, 'two'], '[1,"two"]'],
  ])('encodes %p as %p', (value, expected) => {
    expect(encodeCopyValue(value, 'c')).toBe(expected);
  });

  it('refuses what PostgreSQL cannot store, with InvalidItem naming the column', () => {
    for (const value of ['nul\u0000', new Date(NaN), () => 1, Symbol('s')]) {
      const error = (() => {
        try {
          encodeCopyValue(value, 'body');
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(EmitterError);
      expect(error).toMatchObject({ code: 'InvalidItem', retryable: false, context: { column: 'body' } });
    }
  });

  it('encodes any string without U+0000 so that decoding gives it back, in one field (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((text) => !text.includes('\u0000')), (text) => {
        const encoded = encodeCopyValue(text, 'c');
        expect(encoded).not.toMatch(/[\t\n\r]/);
        expect(decodeField(encoded)).toBe(text);
      }),
    );
  });
});

describe('encodeCopyRow', () => {
  it('joins fields with tabs and ends the line', () => {
    expect(encodeCopyRow(['a', null, 3], ['x', 'y', 'z'])).toBe('a\t\\N\t3\n');
  });
});
