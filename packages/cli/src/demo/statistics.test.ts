import { distributionOf, formatCount, formatDuration, percentile, ratePerSecond } from './statistics';

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the value at rank ceil(p/100 · n)', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile(hundred, 0)).toBe(1);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
  });

  it('is undefined for no values and rejects p outside [0, 100]', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile(hundred, 101)).toThrow('percentile: expected p from 0 to 100, got 101');
    expect(() => percentile(hundred, Number.NaN)).toThrow(TypeError);
  });
});

describe('distributionOf', () => {
  it('sorts numerically (not as strings) and summarises', () => {
    const values = [900, 5, 80, 1000, 60, ...Array.from({ length: 95 }, () => 70)];
    expect(distributionOf(values)).toEqual({ count: 100, min: 5, p50: 70, p99: 900, max: 1000 });
  });

  it('summarises nothing as undefined', () => {
    expect(distributionOf([])).toEqual({ count: 0, min: undefined, p50: undefined, p99: undefined, max: undefined });
  });
});

describe('formatting', () => {
  it('formats rates, counts and durations', () => {
    expect(ratePerSecond(5000, 2000)).toBe(2500);
    expect(ratePerSecond(5, 0)).toBe(0);
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatDuration(850.4)).toBe('850 ms');
    expect(formatDuration(3420)).toBe('3.42 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
    expect(formatDuration(undefined)).toBe('n/a');
  });
});
