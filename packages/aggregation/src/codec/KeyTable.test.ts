import fc from 'fast-check';
import { KeyTable } from './KeyTable';

describe('KeyTable', () => {
  it('finds each key at the position it was added, through growth and across clears', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 600 }), { maxLength: 4 }), (aggregates) => {
        const table = new KeyTable();
        for (const keys of aggregates) {
          table.clear();
          const expected = new Map<string, number>();
          for (const key of keys) {
            const found = table.indexOf(key);
            expect(found).toBe(expected.get(key) ?? -1);
            if (found < 0) expected.set(key, table.add(key, key.length));
          }
          expect(table.count).toBe(expected.size);
          expect(table.keys.slice(0, table.count)).toEqual([...expected.keys()]);
          for (const [key, index] of expected) expect(table.indexOf(key)).toBe(index);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('tells apart keys whose hashes collide', () => {
    const table = new KeyTable();
    // Equal-length strings differing in one code unit collide often in 256 slots; 2,000 of them surely do.
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    for (const key of keys) table.add(key, key.length);
    keys.forEach((key, i) => expect(table.indexOf(key)).toBe(i));
    expect(table.indexOf('absent')).toBe(-1);
  });
});
