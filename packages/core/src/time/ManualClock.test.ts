import { MANUAL_CLOCK_EPOCH_ORIGIN_MS } from './ManualClock';
import { SYSTEM_CLOCK, epochMsOf } from './Clock';
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

describe('wall-clock time (epochMs)', () => {
  it('ManualClock reads epochOriginMs + now(), moving as time is advanced: real dates, not 1970', async () => {
    const clock = new ManualClock(500, Date.UTC(2025, 5, 1));
    expect(clock.epochMs()).toBe(Date.UTC(2025, 5, 1) + 500);
    await clock.advance(1_000);
    expect(new Date(clock.epochMs()).toISOString()).toBe('2025-06-01T00:00:01.500Z');
    expect(new ManualClock().epochMs()).toBe(MANUAL_CLOCK_EPOCH_ORIGIN_MS);
  });

  it('SYSTEM_CLOCK.epochMs() is Date.now(), unlike now() (performance.now(), from the process start)', () => {
    const before = Date.now();
    const epoch = SYSTEM_CLOCK.epochMs!();
    expect(epoch).toBeGreaterThanOrEqual(before);
    expect(epoch).toBeLessThanOrEqual(Date.now());
    expect(SYSTEM_CLOCK.now()).toBeLessThan(before / 2);
  });

  it('epochMsOf reads a clock of your own without epochMs through Date.now()', () => {
    const bare = { now: () => 7, setTimeout: () => 0, clearTimeout: () => undefined };
    const before = Date.now();
    expect(epochMsOf(bare)).toBeGreaterThanOrEqual(before);
    expect(epochMsOf(new ManualClock(3, 1_000))).toBe(1_003);
  });

  it('rejects a negative epoch origin', () => {
    expect(() => new ManualClock(0, -1)).toThrow(InvalidArgumentError);
  });
});
