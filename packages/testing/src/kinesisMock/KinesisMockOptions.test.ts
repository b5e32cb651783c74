import { KINESIS_MOCK_DEFAULTS, resolveKinesisMockOptions } from './KinesisMockOptions';

describe('resolveKinesisMockOptions', () => {
  it('fills in every default', () => {
    expect(resolveKinesisMockOptions()).toEqual(KINESIS_MOCK_DEFAULTS);
    expect(KINESIS_MOCK_DEFAULTS).toMatchObject({ protocol: 'http', shardLimit: 1_000, logLevel: 'WARN', startTimeoutMs: 30_000, startAttempts: 3 });
  });

  it('rejects bad values with a TypeError that names them', () => {
    expect(() => resolveKinesisMockOptions({ protocol: 'h2' as never })).toThrow(new TypeError(`protocol: expected 'http' or 'https', got "h2"`));
    expect(() => resolveKinesisMockOptions({ logLevel: 'LOUD' as never })).toThrow(/^logLevel: expected ERROR, WARN/);
    expect(() => resolveKinesisMockOptions({ startAttempts: 0 })).toThrow(new TypeError('startAttempts: expected an integer >= 1, got 0'));
  });
});
