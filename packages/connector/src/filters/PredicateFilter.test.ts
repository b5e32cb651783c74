import { PredicateFilter, predicateFilter } from './PredicateFilter';

describe('PredicateFilter', () => {
  it('keeps the items the predicate accepts (only a real true)', () => {
    const filter = predicateFilter((n: number) => n % 2 === 0);
    expect([1, 2, 3, 4].filter((n) => filter.keep(n))).toEqual([2, 4]);
    expect(new PredicateFilter(() => 1 as unknown as boolean).keep(0)).toBe(false);
  });

  it('rejects a predicate that is not a function', () => {
    expect(() => predicateFilter(true as never)).toThrow(/predicate: expected a function/);
  });
});
