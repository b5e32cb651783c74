import { InvalidArgumentError, ManualClock } from '@kinesis-toolkit/core';
import { DASHBOARD_DEFAULTS, WALL_CLOCK, isLoopbackHost, resolveDashboardOptions } from './DashboardOptions';

const base = { streamName: 'clicks', applicationName: 'clicks-app' };

describe('resolveDashboardOptions', () => {
  it('fills every default and freezes the result', () => {
    const resolved = resolveDashboardOptions(base);
    expect(resolved).toEqual({ ...DASHBOARD_DEFAULTS, ...base });
    expect(Object.isFrozen(resolved)).toBe(true);
    expect(resolved.clock).toBe(WALL_CLOCK);
  });

  it('defaults to a wall clock: epoch milliseconds, comparable with Kinesis arrival timestamps', () => {
    const before = Date.now();
    expect(WALL_CLOCK.now()).toBeGreaterThanOrEqual(before);
  });

  it.each(['0.0.0.0', '192.168.1.10', 'example.com', '::'])('refuses the non-loopback host %s unless allowRemote, saying why', (host) => {
    expect(() => resolveDashboardOptions({ ...base, host })).toThrow(InvalidArgumentError);
    expect(() => resolveDashboardOptions({ ...base, host })).toThrow(/^host: expected a loopback address .* the page has no login and shows the stream, the lease table and the worker names to anyone who reaches it, got /);
    expect(resolveDashboardOptions({ ...base, host, allowRemote: true }).host).toBe(host);
  });

  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST'])('accepts the loopback host %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
    expect(resolveDashboardOptions({ ...base, host }).host).toBe(host);
  });

  it.each([
    [{ streamName: '' }, /^streamName: expected/],
    [{ applicationName: undefined }, /^applicationName: expected/],
    [{ port: 70_000 }, /^port: expected an integer/],
    [{ refreshIntervalMs: 10 }, /^refreshIntervalMs: expected an integer/],
    [{ throughput: 'cloudwatch' }, /^throughput: expected one of "tail", "off", got "cloudwatch"/],
    [{ throughputIntervalMs: 500 }, /^throughputIntervalMs: expected an integer/],
    [{ throughputWindowMs: 65_000 }, /^throughputWindowMs: expected a multiple of throughputBucketMs \(10000\)/],
    [{ clock: {} }, /^clock\.now: expected a function/],
    [{ refreshMs: 1000 }, /refreshMs/],
  ])('rejects %j', (bad, message) => {
    expect(() => resolveDashboardOptions({ ...base, ...(bad as object) } as never)).toThrow(message);
  });

  it('takes an injected clock', () => {
    const clock = new ManualClock(1_700_000_000_000);
    expect(resolveDashboardOptions({ ...base, clock }).clock).toBe(clock);
  });
});
