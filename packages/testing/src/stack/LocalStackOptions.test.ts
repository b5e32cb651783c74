import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { LOCAL_STACK_DEFAULTS, resolveLocalStackOptions } from './LocalStackOptions';

describe('resolveLocalStackOptions', () => {
  it('fills in every default', () => {
    expect(resolveLocalStackOptions()).toEqual({
      host: '127.0.0.1',
      shardLimit: 10_000,
      startTimeoutMs: 15_000,
      clientOptions: {},
      logger: NOOP_LOGGER,
    });
    expect(resolveLocalStackOptions({})).toEqual(LOCAL_STACK_DEFAULTS);
  });

  it('keeps what is given, ignores undefined and freezes the result', () => {
    const resolved = resolveLocalStackOptions({ host: '::1', shardLimit: undefined });
    expect(resolved.host).toBe('::1');
    expect(resolved.shardLimit).toBe(10_000);
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('rejects bad values with a TypeError that names them', () => {
    expect(() => resolveLocalStackOptions({ shardLimit: 0 })).toThrow(new TypeError('shardLimit: expected an integer >= 1, got 0'));
    expect(() => resolveLocalStackOptions({ host: '' })).toThrow(new TypeError('host: expected a non-empty string, got ""'));
    expect(() => resolveLocalStackOptions({ startTimeoutMs: Number.NaN })).toThrow(TypeError);
  });
});
