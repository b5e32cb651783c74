import { DEMO_SOURCES, SkewedKeys } from './SkewedKeys';

describe('SkewedKeys', () => {
  it('counts every key from 0 without gaps, so each draw is a distinct (key, n)', () => {
    const keys = new SkewedKeys({ seed: 7 });
    const seen = new Map<string, number[]>();
    for (let i = 0; i < 5_000; i++) {
      const { key, n, source } = keys.next();
      expect(key.startsWith(`${source}:`)).toBe(true);
      seen.set(key, [...(seen.get(key) ?? []), n]);
    }
    for (const ns of seen.values()) expect(ns).toEqual(ns.map((_, i) => i));
  });

  it('is skewed: the hottest key of the busiest source gets far more than a uniform share', () => {
    const keys = new SkewedKeys({ sources: 5, keysPerSource: 60, skew: 1.1, seed: 3 });
    const counts = new Map<string, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const { key } = keys.next();
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const uniformShare = draws / 300;
    expect(counts.get('clicks:0')!).toBeGreaterThan(20 * uniformShare);
    // Sources differ in volume: clicks (weight 1) well above logins (weight 1/5).
    const bySource = (source: string) => [...counts].filter(([key]) => key.startsWith(`${source}:`)).reduce((sum, [, c]) => sum + c, 0);
    expect(bySource('clicks')).toBeGreaterThan(3 * bySource('logins'));
    expect(new Set([...counts.keys()].map((k) => k.split(':')[0])).size).toBe(5);
  });

  it('repeats the same sequence for the same seed, and another for another seed', () => {
    const draw = (seed: number) => {
      const keys = new SkewedKeys({ seed });
      return Array.from({ length: 50 }, () => keys.next().key);
    };
    expect(draw(11)).toEqual(draw(11));
    expect(draw(11)).not.toEqual(draw(12));
  });

  it('lists every key it can draw', () => {
    expect(new SkewedKeys({ sources: 2, keysPerSource: 3 }).allKeys).toEqual(['clicks:0', 'clicks:1', 'clicks:2', 'orders:0', 'orders:1', 'orders:2']);
  });

  it('rejects options out of range with what was expected and what came', () => {
    expect(() => new SkewedKeys({ sources: DEMO_SOURCES.length + 1 })).toThrow(/sources: expected an integer from 1 to 8, got 9/);
    expect(() => new SkewedKeys({ keysPerSource: 0 })).toThrow(/keysPerSource/);
    expect(() => new SkewedKeys({ skew: -1 })).toThrow(/skew: expected a number from 0 to 5, got -1/);
    expect(() => new SkewedKeys({ seed: 1.5 })).toThrow(/seed/);
  });
});
