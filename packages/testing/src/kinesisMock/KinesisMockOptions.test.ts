import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { KINESIS_MOCK_DEFAULTS, resolveKinesisMockOptions } from './KinesisMockOptions';

describe('resolveKinesisMockOptions', () => {
  it('fills in every default', () => {
    expect(resolveKinesisMockOptions()).toEqual(KINESIS_MOCK_DEFAULTS);
    expect(KINESIS_MOCK_DEFAULTS).toMatchObject({ protocol: 'http', shardLimit: 1_000, logLevel: 'WARN', startTimeoutMs: 30_000, startAttempts: 3 });
  });

  it.each([
    [{ protocol: 'h2' }, 'protocol: expected one of "http", "https", got "h2"'],
    [{ logLevel: 'LOUD' }, 'logLevel: expected one of "ERROR", "WARN", "INFO", "DEBUG", "TRACE", got "LOUD"'],
    [{ startAttempts: 0 }, 'startAttempts: expected an integer >= 1, got 0'],
    [{ env: { SHARD_LIMIT: 5 } }, 'env.SHARD_LIMIT: expected a string, got 5'],
    [{ protocl: 'http' }, 'protocl: expected no such option — did you mean "protocol"?, got "http"'],
  ])('rejects %j with an InvalidArgumentError that names the option', (options, message) => {
    expect(() => resolveKinesisMockOptions(options as never)).toThrow(InvalidArgumentError);
    expect(() => resolveKinesisMockOptions(options as never)).toThrow(message);
  });
});
