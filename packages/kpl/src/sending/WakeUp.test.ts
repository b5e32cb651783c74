import { ManualClock } from '@kinesis-toolkit/core';
import { WakeUp } from './WakeUp';

describe('WakeUp', () => {
  it('fires once, at the earliest time asked for, and can be asked again after', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const wakeUp = new WakeUp(clock, () => fired.push(clock.now()));
    wakeUp.at(300);
    wakeUp.at(100);
    wakeUp.at(200);
    await clock.advance(1000);
    expect(fired).toEqual([100]);
    wakeUp.at(1500);
    await clock.advance(1000);
    expect(fired).toEqual([100, 1500]);
  });

  it('fires nothing once cancelled', async () => {
    const clock = new ManualClock();
    let fired = 0;
    const wakeUp = new WakeUp(clock, () => fired++);
    wakeUp.at(50);
    wakeUp.cancel();
    await clock.advance(100);
    expect(fired).toBe(0);
  });
});
