import { InvalidArgumentError, NOOP_LOGGER } from '@kinesis-toolkit/core';
import { SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import { ManualClock } from '@kinesis-toolkit/core';
import {
  resolveShardLimitProxyOptions,
  SHARD_LIMIT_PROXY_DEFAULTS,
  shardLimitsAt,
  type ShardLimitProxyOptions,
} from './ShardLimitProxyOptions';

const target = 'http://127.0.0.1:4567';

describe('resolveShardLimitProxyOptions', () => {
  it('fills in the AWS limits and the other defaults', () => {
    expect(resolveShardLimitProxyOptions({ target })).toEqual({
      target,
      host: '127.0.0.1',
      port: 0,
      scale: 1,
      writeRecordsPerSecond: 1000,
      writeBytesPerSecond: 1024 * 1024,
      getRecordsCallsPerSecond: 5,
      readBytesPerSecond: 2 * 1024 * 1024,
      maxRecordsPerRequest: 500,
      maxBytesPerRequest: 10 * 1024 * 1024,
      clock: SYSTEM_CLOCK,
      logger: NOOP_LOGGER,
    });
    expect(resolveShardLimitProxyOptions({ target })).toEqual({ ...SHARD_LIMIT_PROXY_DEFAULTS, target });
  });

  it('keeps what is given, ignores undefined and freezes the result', () => {
    const clock = new ManualClock();
    const resolved = resolveShardLimitProxyOptions({ target, scale: 0.05, clock, port: undefined });
    expect(resolved).toMatchObject({ scale: 0.05, clock, port: 0 });
    expect(Object.isFrozen(resolved)).toBe(true);
  });

  it('rejects bad values with a TypeError that names them', () => {
    expect(() => resolveShardLimitProxyOptions(undefined as unknown as ShardLimitProxyOptions)).toThrow(new TypeError('options: expected an object, got undefined'));
    expect(() => resolveShardLimitProxyOptions({} as ShardLimitProxyOptions)).toThrow(new TypeError('target: expected an http:// or https:// URL, got undefined'));
    expect(() => resolveShardLimitProxyOptions({ target: '127.0.0.1:4567' })).toThrow(/^target: expected an http:\/\/ or https:\/\/ URL/);
    expect(() => resolveShardLimitProxyOptions({ target: 'https://127.0.0.1:4567' })).toThrow(/^target: expected an http: URL/);
    expect(() => resolveShardLimitProxyOptions({ target, scael: 1 } as never)).toThrow(InvalidArgumentError);
    expect(() => resolveShardLimitProxyOptions({ target, scael: 1 } as never)).toThrow('did you mean "scale"?');
    expect(() => resolveShardLimitProxyOptions({ target, scale: 0 })).toThrow(new TypeError('scale: expected a number > 0, got 0'));
    expect(() => resolveShardLimitProxyOptions({ target, writeBytesPerSecond: -1 })).toThrow(
      new TypeError('writeBytesPerSecond: expected a number > 0, got -1'),
    );
    expect(() => resolveShardLimitProxyOptions({ target, maxRecordsPerRequest: 1.5 })).toThrow(
      new TypeError('maxRecordsPerRequest: expected an integer >= 1, got 1.5'),
    );
    expect(() => resolveShardLimitProxyOptions({ target, port: 70_000 })).toThrow(TypeError);
    expect(() => resolveShardLimitProxyOptions({ target, clock: {} as ManualClock })).toThrow(/^clock\.now: expected a function \(a Clock has/);
  });
});

describe('shardLimitsAt', () => {
  it('scales the rate limits, not the request limits', () => {
    const options = resolveShardLimitProxyOptions({ target });
    expect(shardLimitsAt(options, 0.05)).toEqual({
      writeRecordsPerSecond: 50,
      writeBytesPerSecond: 52_428.8,
      getRecordsCallsPerSecond: 0.25,
      readBytesPerSecond: 104_857.6,
    });
    expect(shardLimitsAt(options, 1)).toEqual({
      writeRecordsPerSecond: 1000,
      writeBytesPerSecond: 1_048_576,
      getRecordsCallsPerSecond: 5,
      readBytesPerSecond: 2_097_152,
    });
  });
});
