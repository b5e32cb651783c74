import { CborWriter } from './CborWriter';

const hex = (writer: CborWriter): string => Buffer.from(writer.bytes()).toString('hex');

describe('CborWriter: RFC 8949 Appendix A encodings, shortest heads', () => {
  it.each([
    [0, '00'],
    [23, '17'],
    [24, '1818'],
    [1000, '1903e8'],
    [1_000_000, '1a000f4240'],
    [1_000_000_000_000, '1b000000e8d4a51000'],
    [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
  ])('unsigned %d → %s', (value, expected) => {
    expect(hex(new CborWriter().unsigned(value))).toBe(expected);
  });

  it('text, bytes, booleans, tag 1, indefinite-length map and array', () => {
    expect(hex(new CborWriter().text(''))).toBe('60');
    expect(hex(new CborWriter().text('IETF'))).toBe('6449455446');
    expect(hex(new CborWriter().text('\u00fc'))).toBe('62c3bc');
    expect(hex(new CborWriter().text('\ud800\udd51'))).toBe('64f0908591');
    expect(hex(new CborWriter().bytesValue(new Uint8Array([1, 2, 3, 4])))).toBe('4401020304');
    expect(hex(new CborWriter().boolean(false).boolean(true))).toBe('f4f5');
    expect(hex(new CborWriter().epochMillis(1_363_896_240_000))).toBe('c11b0000013d8e8d0780');
    expect(hex(new CborWriter().startMap().text('a').unsigned(1).text('b').startArray().unsigned(2).unsigned(3).end().end())).toBe('bf61610161629f0203ffff');
  });

  it('grows past its first guess without losing bytes (a 70,000-byte string takes a 4-byte head)', () => {
    const data = new Uint8Array(70_000).map((_, i) => i % 251);
    const bytes = new CborWriter(8).startArray().bytesValue(data).end().bytes();
    expect(Buffer.from(bytes.subarray(0, 6)).toString('hex')).toBe('9f5a00011170');
    expect(bytes.subarray(6, 6 + data.length)).toEqual(data);
    expect(bytes[bytes.length - 1]).toBe(0xff);
  });
});
