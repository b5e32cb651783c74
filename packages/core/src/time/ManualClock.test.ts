import { ManualClock } from './ManualClock';
import { sleep } from './sleep';
import { InvalidArgumentError } from '../errors/InvalidArgumentError';

describe('ManualClock', () => {
  it('runs due timers in order and only when time is advanced', async () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('a2'), 10);
    const cancelled = clock.setTimeout(() => fired.push('never'), 15);
    clock.clearTimeout(cancelled);
    await clock.advance(9);
    expect(fired).toEqual([]);
    await clock.advance(11);
    expect(fired).toEqual(['a', 'a2', 'b']);
    expect(clock.now()).toBe(1_020);
    expect(clock.pendingTimers).toBe(0);
  });

  it('runs timers that callbacks schedule within the same advance, at their own time', async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const tick = (): void => {
      times.push(clock.now());
      if (times.length < 3) clock.setTimeout(tick, 5);
    };
    clock.setTimeout(tick, 5);
    await clock.advance(100);
    expect(times).toEqual([5, 10, 15]);
  });

  it('lets promise chains settle between timers', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 3; i += 1) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
        await Promise.resolve();
        seen.push(clock.now());
      }
    };
    const done = loop();
    await clock.advance(30);
    await done;
    expect(seen).toEqual([10, 20, 30]);
  });
});

describe('sleep', () => {
  it.each([Number.NaN, Infinity])('rejects a delay of %p with an InvalidArgumentError naming delayMs instead of never waking up', async (delayMs) => {
    const clock = new ManualClock();
    await expect(sleep(delayMs, { clock })).rejects.toThrow(new InvalidArgumentError('delayMs', 'a finite number of milliseconds', delayMs));
    expect(clock.pendingTimers).toBe(0);
  });
});
