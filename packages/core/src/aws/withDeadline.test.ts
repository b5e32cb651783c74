import { ManualClock } from '../time/ManualClock';
import { withDeadline } from './withDeadline';
import { DeadlineExceededError } from '../errors/DeadlineExceededError';
import { AbortedError } from '../errors/AbortedError';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

describe('withDeadline', () => {
  it.each([Number.NaN, -1, Infinity])('rejects a deadline of %p with an InvalidArgumentError naming timeoutMs, without calling', async (timeoutMs) => {
    let called = false;
    const result = withDeadline('GetRecords', timeoutMs, async () => (called = true), { clock: new ManualClock() });
    await expect(result).rejects.toThrow(new InvalidArgumentError('timeoutMs', 'a finite number >= 0', timeoutMs));
    expect(called).toBe(false);
  });

  it('rejects with DeadlineExceededError and aborts the call when the deadline passes, even if the call ignores its signal', async () => {
    const clock = new ManualClock();
    let seen: AbortSignal | undefined;
    const result = withDeadline('GetRecords', 1_000, (signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    }, { clock, context: { shardId: 'shardId-1' } }).catch((error: unknown) => error);
    await clock.advance(999);
    expect(seen?.aborted).toBe(false);
    await clock.advance(1);
    const error = (await result) as DeadlineExceededError;
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error.retryable).toBe(true);
    expect(error.context).toMatchObject({ operation: 'GetRecords', timeoutMs: 1_000, shardId: 'shardId-1' });
    expect(seen?.aborted).toBe(true);
  });

  it('resolves with the answer and clears its timer', async () => {
    const clock = new ManualClock();
    await expect(withDeadline('x', 1_000, async () => 42, { clock })).resolves.toBe(42);
    expect(clock.pendingTimers).toBe(0);
  });

  it('passes the call\'s own failure through and clears its timer', async () => {
    const clock = new ManualClock();
    await expect(withDeadline('x', 1_000, async () => Promise.reject(new Error('boom')), { clock })).rejects.toThrow('boom');
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends early with the outer signal\'s reason and aborts the call', async () => {
    const clock = new ManualClock();
    const outer = new AbortController();
    let seen: AbortSignal | undefined;
    const result = withDeadline('x', 1_000, (signal) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    }, { clock, signal: outer.signal }).catch((error: unknown) => error);
    outer.abort();
    expect(await result).toBeInstanceOf(AbortedError);
    expect(seen?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not start the call when the outer signal has already fired', async () => {
    const outer = new AbortController();
    outer.abort(new Error('shutting down'));
    let called = false;
    await expect(
      withDeadline('x', 1_000, async () => {
        called = true;
      }, { clock: new ManualClock(), signal: outer.signal }),
    ).rejects.toThrow('shutting down');
    expect(called).toBe(false);
  });

  it('turns a synchronous throw of the call into a rejection', async () => {
    const clock = new ManualClock();
    await expect(withDeadline('x', 1_000, () => {
      throw new Error('sync');
    }, { clock })).rejects.toThrow('sync');
    expect(clock.pendingTimers).toBe(0);
  });
});
