import { BackoffPolicy } from './BackoffPolicy';

describe('BackoffPolicy', () => {
  it('draws each wait uniformly below a ceiling that doubles per retry', () => {
    const policy = new BackoffPolicy(100, 100_000, () => 0.5);
    expect([1, 2, 3, 4, 5].map((retry) => policy.delayMs(retry))).toEqual([50, 100, 200, 400, 800]);
  });

  it('caps the ceiling at maxDelayMs', () => {
    const policy = new BackoffPolicy(100, 1000, () => 0.999);
    expect([1, 4, 5, 10, 100].map((retry) => policy.delayMs(retry))).toEqual([99, 799, 999, 999, 999]);
  });

  it('spans the whole range [1, ceiling) with the random source (full jitter)', () => {
    let next = 0;
    const values = [0, 0.25, 0.75, 0.9999];
    const policy = new BackoffPolicy(1000, 5000, () => values[next++]!);
    expect(values.map(() => policy.delayMs(1))).toEqual([1, 250, 750, 999]);
  });

  it('never waits less than 1 ms', () => {
    const policy = new BackoffPolicy(1, 1, () => 0);
    expect(policy.delayMs(1)).toBe(1);
  });

  it('stays finite for huge retry counts', () => {
    const policy = new BackoffPolicy(100, 5000, () => 0.5);
    expect(policy.delayMs(10_000)).toBe(2500);
    expect(policy.delayMs(0)).toBe(50);
  });
});
