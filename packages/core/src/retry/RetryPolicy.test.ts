import { ManualClock } from '../time/ManualClock';
import { RetryPolicy, resolveRetryOptions } from './RetryPolicy';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';
import { AbortedError } from '../errors/AbortedError';

const throttled = (): Error => Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' });
const fatal = (): Error => Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' });

describe('RetryPolicy.delayMs (full jitter)', () => {
  it('draws uniformly under a ceiling that doubles from baseDelayMs and stops at maxDelayMs', () => {
    const top = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, { random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 50].map((n) => top.delayMs(n))).toEqual([99, 199, 399, 799, 999, 999]);
    const half = new RetryPolicy({ baseDelayMs: 100, maxDelayMs: 1_000 }, { random: () => 0.5 });
    expect(half.delayMs(3)).toBe(200);
  });

  it('never waits less than 1 ms, so an instant failure cannot become a busy loop', () => {
    expect(new RetryPolicy({}, { random: () => 0 }).delayMs(1)).toBe(1);
  });
});

describe('RetryPolicy.run', () => {
  it('retries retryable failures with the drawn waits on the injected clock, then returns the result', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ baseDelayMs: 100, maxAttempts: 5 }, { clock, random: () => 0.5 });
    const started: number[] = [];
    const result = policy.run(async (attempt) => {
      started.push(clock.now());
      if (attempt < 3) throw throttled();
      return 'ok';
    });
    await clock.advance(1_000);
    await expect(result).resolves.toBe('ok');
    expect(started).toEqual([0, 50, 150]);
  });

  it('throws the last error once maxAttempts attempts failed', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ maxAttempts: 3 }, { clock, random: () => 0.5 });
    let calls = 0;
    const result = policy.run(async () => {
      calls += 1;
      throw Object.assign(throttled(), { message: `attempt ${calls}` });
    });
    const settled = result.catch((error: unknown) => error);
    await clock.advance(10_000);
    expect(((await settled) as Error).message).toBe('attempt 3');
    expect(calls).toBe(3);
  });

  it('does not retry a fatal error', async () => {
    const policy = new RetryPolicy({ maxAttempts: 10 }, { clock: new ManualClock() });
    let calls = 0;
    await expect(
      policy.run(async () => {
        calls += 1;
        throw fatal();
      }),
    ).rejects.toThrow('no such stream');
    expect(calls).toBe(1);
  });

  it('uses the run\'s own isRetryable instead of the AWS classifier when given', async () => {
    const policy = new RetryPolicy({ maxAttempts: 10 }, { clock: new ManualClock() });
    let calls = 0;
    await expect(
      policy.run(
        async () => {
          calls += 1;
          throw throttled();
        },
        { isRetryable: () => false },
      ),
    ).rejects.toThrow('slow down');
    expect(calls).toBe(1);
  });

  it('starts no attempt past deadlineAt', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ baseDelayMs: 100, maxAttempts: Infinity }, { clock, random: () => 0.999 });
    const starts: number[] = [];
    const result = policy
      .run(
        async () => {
          starts.push(clock.now());
          throw throttled();
        },
        { deadlineAt: 500 },
      )
      .catch((error: unknown) => error);
    await clock.advance(5_000);
    expect(await result).toBeInstanceOf(Error);
    expect(starts.every((t) => t < 500)).toBe(true);
    expect(starts.length).toBe(3); // 0, 99, 298; the next (+399) would start after 500
  });

  it('stops waiting at once when the signal fires, with an AbortedError, and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ baseDelayMs: 1_000, maxAttempts: Infinity }, { clock, random: () => 0.9 });
    const controller = new AbortController();
    const result = policy.run(async () => Promise.reject(throttled()), { signal: controller.signal }).catch((error: unknown) => error);
    await clock.advance(1);
    expect(clock.pendingTimers).toBe(1);
    controller.abort();
    expect(await result).toBeInstanceOf(AbortedError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports each retry before its wait', async () => {
    const clock = new ManualClock();
    const policy = new RetryPolicy({ maxAttempts: 3 }, { clock, random: () => 0.5 });
    const events: Array<[number, number]> = [];
    const result = policy.run(async () => Promise.reject(throttled()), { onRetry: (e) => events.push([e.attempt, e.delayMs]) }).catch(() => undefined);
    await clock.advance(10_000);
    await result;
    expect(events).toEqual([
      [1, 50],
      [2, 100],
    ]);
  });
});

describe('RetryPolicy runtime', () => {
  it('rejects a random that is not a function (random: 5) with an InvalidArgumentError naming it', () => {
    expect(() => new RetryPolicy({}, { random: 5 as never })).toThrow(new InvalidArgumentError('random', 'a function', 5));
  });
});

describe('resolveRetryOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveRetryOptions({})).toEqual({ baseDelayMs: 100, maxDelayMs: 5_000, maxAttempts: 3 });
    expect(resolveRetryOptions({ maxAttempts: Infinity }).maxAttempts).toBe(Infinity);
  });

  it.each([
    [{ baseDelayMs: 0 }, 'retry.baseDelayMs: expected a number in [1, 3600000], got 0'],
    [{ baseDelayMs: 500, maxDelayMs: 100 }, 'retry.maxDelayMs: expected a number in [retry.baseDelayMs (500), 3600000], got 100'],
    [{ maxAttempts: 0 }, 'retry.maxAttempts: expected an integer >= 1 or Infinity, got 0'],
    [{ maxAttempts: 2.5 }, 'retry.maxAttempts: expected an integer >= 1 or Infinity, got 2.5'],
    [{ maxAtempts: 3 }, 'retry.maxAtempts: expected no such option — did you mean "maxAttempts"?, got 3'],
    ['fast', 'retry: expected an object, got "fast"'],
  ])('rejects %p with an InvalidArgumentError naming the field', (input, message) => {
    expect(() => resolveRetryOptions(input as never)).toThrow(new InvalidArgumentError('x', 'y', 'z').constructor as typeof InvalidArgumentError);
    expect(() => resolveRetryOptions(input as never)).toThrow(message);
  });
});
