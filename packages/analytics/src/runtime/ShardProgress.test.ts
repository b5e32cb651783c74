import { ShardProgress } from './ShardProgress';

describe('ShardProgress', () => {
  const at = (rowtime: number, sequenceNumber: string) => ({ rowtime, sequenceNumber, subSequenceNumber: 0 });

  it('releases only the records before the earliest ROWTIME an open window needs', () => {
    const progress = new ShardProgress();
    [at(1000, '1'), at(2000, '2'), at(3000, '3'), at(3000, '4')].forEach((p) => progress.add(p));
    expect(progress.release(3000)).toEqual(at(2000, '2'));
    expect(progress.release(3000)).toBeUndefined();
    expect(progress.size).toBe(2);
    expect(progress.release(undefined)).toEqual(at(3000, '4'));
    expect(progress.size).toBe(0);
  });
});
