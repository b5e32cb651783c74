import { matchFailed } from './matchFailed';

describe('matchFailed', () => {
  it('matches equal primitives as a multiset: one failure marks one position', () => {
    expect(matchFailed(['{"a":1}', '{"a":1}', '{"b":2}'], ['{"a":1}'])).toEqual({ positions: [0], unknown: 0 });
    expect(matchFailed(['x', 'y', 'x'], ['x', 'x'])).toEqual({ positions: [0, 2], unknown: 0 });
  });

  it('matches objects by identity, never by shape', () => {
    const [a, b] = [{ id: 1 }, { id: 1 }];
    expect(matchFailed([a, b], [b])).toEqual({ positions: [1], unknown: 0 });
    expect(matchFailed([a, b], [{ id: 1 }])).toEqual({ positions: [], unknown: 1 });
  });

  it('returns positions in batch order and counts what is not in the batch', () => {
    expect(matchFailed(['a', 'b', 'c'], ['c', 'zz', 'a'])).toEqual({ positions: [0, 2], unknown: 1 });
  });
});
