import { ManualClock } from '@kinesis-toolkit/testing';
import { RequestTimeoutError, sendWithTimeout } from './sendWithTimeout';

describe('sendWithTimeout', () => {
  it('returns the answer and clears its timer', async () => {
    const clock = new ManualClock();
    await expect(sendWithTimeout(clock, 1000, async () => 'ok')).resolves.toBe('ok');
    expect(clock.pendingTimers).toBe(0);
  });

  it('passes other errors through unchanged', async () => {
    const clock = new ManualClock();
    const error = new Error('nope');
    await expect(sendWithTimeout(clock, 1000, async () => Promise.reject(error))).rejects.toBe(error);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts a request not answered in time and throws RequestTimeoutError', async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const pending = sendWithTimeout(
      clock,
      1000,
      (abortSignal) =>
        new Promise<never>((_, reject) => {
          signal = abortSignal;
          abortSignal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        }),
    );
    const outcome = pending.catch((error: unknown) => error);
    await clock.advance(999);
    expect(signal?.aborted).toBe(false);
    await clock.advance(1);
    expect(signal?.aborted).toBe(true);
    const error = await outcome;
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).name).toBe('RequestTimeoutError');
    expect((error as Error).message).toContain('1000');
  });
});
