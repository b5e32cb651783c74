import { InvalidArgumentError, NOOP_LOGGER } from '@kinesis-toolkit/core';
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

  it.each([
    [{ shardLimit: 0 }, 'shardLimit: expected an integer >= 1, got 0'],
    [{ host: '' }, 'host: expected a non-empty string, got ""'],
    [{ startTimeoutMs: Number.NaN }, 'startTimeoutMs: expected a number >= 1, got NaN'],
    [{ shardlimit: 5 }, 'shardlimit: expected no such option — did you mean "shardLimit"?, got 5'],
    [{ clientOptions: { maxAttempts: -1 } }, 'clientOptions.maxAttempts: expected an integer >= 1, got -1'],
    [{ logger: { info: () => undefined } }, 'logger.debug: expected a function (a Logger has debug, info, warn, error, child), got undefined'],
  ])('rejects %j with an InvalidArgumentError that names the option', (options, message) => {
    expect(() => resolveLocalStackOptions(options as never)).toThrow(InvalidArgumentError);
    expect(() => resolveLocalStackOptions(options as never)).toThrow(message);
  });
});
