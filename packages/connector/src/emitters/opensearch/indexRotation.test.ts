import { rotatedIndexName } from './indexRotation';

describe('rotatedIndexName (Firehose’s index rotation suffixes)', () => {
  const at = new Date(Date.UTC(2016, 4, 24, 7, 30));
  it.each([
    ['NoRotation', 'myindex'],
    ['OneHour', 'myindex-2016-05-24-07'],
    ['OneDay', 'myindex-2016-05-24'],
    ['OneWeek', 'myindex-2016-w21'],
    ['OneMonth', 'myindex-2016-05'],
  ] as const)('%s → %s', (period, name) => {
    expect(rotatedIndexName('myindex', period, at)).toBe(name);
  });

  it('numbers weeks as ISO 8601 does, across the turn of the year', () => {
    expect(rotatedIndexName('i', 'OneWeek', new Date(Date.UTC(2021, 0, 3)))).toBe('i-2020-w53');
    expect(rotatedIndexName('i', 'OneWeek', new Date(Date.UTC(2024, 11, 30)))).toBe('i-2025-w01');
  });
});
