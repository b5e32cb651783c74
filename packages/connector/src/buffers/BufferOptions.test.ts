import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { BUFFER_DEFAULTS, resolveBufferOptions } from './BufferOptions';

describe('resolveBufferOptions', () => {
  it('fills in the defaults and freezes the result', () => {
    const resolved = resolveBufferOptions({ maxRecords: 10, maxAgeMs: undefined });
    expect(resolved).toEqual({ ...BUFFER_DEFAULTS, maxRecords: 10 });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolveBufferOptions()).toEqual({ maxRecords: 1000, maxBytes: 5242880, maxAgeMs: 60000 });
  });

  it.each([
    [{ maxRecords: 0 }, /buffer.maxRecords: expected an integer in \[1, 10000000\], got 0/],
    [{ maxBytes: 1.5 }, /buffer.maxBytes: expected an integer/],
    [{ maxAgeMs: 2 ** 31 }, /buffer.maxAgeMs: expected an integer in \[1, 2147483647\]/],
    [{ maxAgeMs: '100' }, /got "100"/],
    [{ maxRecord: 3 }, /buffer.maxRecord: expected no such option — did you mean "maxRecords"\?, got 3/],
    [null, /buffer: expected an object/],
  ])('rejects %p', (options, message) => {
    expect(() => resolveBufferOptions(options as never)).toThrow(InvalidArgumentError);
    expect(() => resolveBufferOptions(options as never)).toThrow(message);
  });
});
