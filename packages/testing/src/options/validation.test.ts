import { requireInteger, requireNumber, requirePositiveNumber, requireString, withoutUndefined } from './validation';

describe('option validation', () => {
  it('says what was expected and what came', () => {
    expect(() => requireInteger('port', 70_000, 0, 65_535)).toThrow(new TypeError('port: expected an integer in [0, 65535], got 70000'));
    expect(() => requireInteger('shardLimit', 1.5, 1)).toThrow(new TypeError('shardLimit: expected an integer >= 1, got 1.5'));
    expect(() => requireNumber('probability', Number.NaN, 0, 1)).toThrow(new TypeError('probability: expected a number in [0, 1], got NaN'));
    expect(() => requireString('host', '')).toThrow(new TypeError('host: expected a non-empty string, got ""'));
    expect(() => requireNumber('timeoutMs', '5' as unknown as number, 0)).toThrow(new TypeError('timeoutMs: expected a number >= 0, got "5"'));
    expect(() => requirePositiveNumber('scale', 0)).toThrow(new TypeError('scale: expected a number > 0, got 0'));
    expect(() => requirePositiveNumber('scale', Number.POSITIVE_INFINITY)).toThrow(new TypeError('scale: expected a number > 0, got Infinity'));
  });

  it('passes good values through', () => {
    expect(requireInteger('port', 0, 0, 65_535)).toBe(0);
    expect(requireNumber('probability', 1, 0, 1)).toBe(1);
    expect(requireString('host', '::1')).toBe('::1');
    expect(requirePositiveNumber('scale', 0.05)).toBe(0.05);
  });

  it('drops undefined fields so that they do not hide defaults', () => {
    expect({ a: 1, b: 2, ...withoutUndefined({ a: undefined, b: 3 }) }).toEqual({ a: 1, b: 3 });
  });
});
