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

  it('forgets the records at or before a checkpoint it is given (a shard taken back)', () => {
    const progress = new ShardProgress();
    [at(1000, '9'), at(2000, '10'), at(3000, '11')].forEach((p) => progress.add(p));
    progress.discardThrough({ sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 });
    expect(progress.size).toBe(3);
    progress.discardThrough({ sequenceNumber: '10', subSequenceNumber: 0 });
    expect(progress.release(undefined)).toEqual(at(3000, '11'));
  });
});
