import { WaitTimeoutError } from '../errors/WaitTimeoutError';
import { InvalidArgumentError, ManualClock } from '@kinesis-toolkit/core';
import { waitFor } from './waitFor';

describe('waitFor', () => {
  it('resolves with the first truthy value without waiting when it already holds', async () => {
    const clock = new ManualClock();
    await expect(waitFor(() => 'ready', { clock })).resolves.toBe('ready');
    expect(clock.now()).toBe(0);
  });

  it('polls every intervalMs until the condition holds', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const result = waitFor(() => (++calls >= 3 ? { calls } : undefined), { clock, intervalMs: 100, timeoutMs: 1_000 });
    await clock.advance(199);
    expect(calls).toBe(2);
    await clock.advance(1);
    await expect(result).resolves.toEqual({ calls: 3 });
  });

  it('treats a throwing or rejecting condition as not yet', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const result = waitFor(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('ResourceNotFoundException');
        return true;
      },
      { clock, intervalMs: 10 },
    );
    await clock.advance(20);
    await expect(result).resolves.toBe(true);
  });

  it('times out with a message naming what was awaited, how long and the last error', async () => {
    const clock = new ManualClock();
    const failure = new Error('stream not found');
    const result = waitFor(
      () => {
        throw failure;
      },
      { clock, timeoutMs: 500, intervalMs: 100, description: 'stream s1 to become ACTIVE' },
    );
    const assertion = expect(result).rejects.toThrow(
      'Timed out after 500 ms waiting for stream s1 to become ACTIVE (6 attempts); last error: Error: stream not found',
    );
    await clock.advance(500);
    await assertion;
    const error = (await result.catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.cause).toBe(failure);
    expect(error.attempts).toBe(6);
    expect(error.code).toBe('WAIT_TIMEOUT');
  });

  it('gives up at the deadline even when the condition never settles', async () => {
    const clock = new ManualClock();
    const result = waitFor(() => new Promise<boolean>(() => undefined), { clock, timeoutMs: 300, description: 'a hung call' });
    const assertion = expect(result).rejects.toBeInstanceOf(WaitTimeoutError);
    await clock.advance(300);
    await assertion;
    expect(clock.pendingTimers).toBe(0);
  });

  it('stops at once when its signal aborts', async () => {
    const clock = new ManualClock();
    const abort = new AbortController();
    const result = waitFor(() => false, { clock, signal: abort.signal, timeoutMs: 10_000 });
    await clock.advance(100);
    abort.abort(new Error('test over'));
    await expect(result).rejects.toThrow('test over');
  });

  it.each([
    [{ timeoutMs: -1 }, 'timeoutMs: expected a number >= 0, got -1'],
    [{ intervalMs: Number.NaN }, 'intervalMs: expected a number >= 0, got NaN'],
    [{ timeout: 5 }, 'timeout: expected no such option — did you mean "timeoutMs"?, got 5'],
    [{ clock: Date }, 'clock: expected a Clock (with now, setTimeout, clearTimeout), got a function'],
    [{ signal: 'stop' }, 'signal: expected an AbortSignal, got "stop"'],
  ])('rejects %j with an InvalidArgumentError naming the option', async (options, message) => {
    const result = waitFor(() => true, options as never);
    await expect(result).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(result).rejects.toThrow(message);
  });

  it('rejects a condition that is not a function', async () => {
    await expect(waitFor('ready' as never)).rejects.toThrow(new InvalidArgumentError('condition', 'a function', 'ready'));
  });

  it('works on the real clock too', async () => {
    let ready = false;
    setTimeout(() => (ready = true), 20);
    await expect(waitFor(() => ready, { timeoutMs: 2_000, intervalMs: 5 })).resolves.toBe(true);
  });
});
