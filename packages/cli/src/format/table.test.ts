import { formatTable } from './table';

describe('formatTable', () => {
  it('aligns columns to the widest cell, right-aligns where asked, and trims trailing spaces', () => {
    const text = formatTable(
      [{ header: 'SHARD' }, { header: 'N', align: 'right' }, { header: 'OWNER' }],
      [
        ['shardId-000000000000', 7, 'worker-a'],
        ['s1', 1234, undefined],
      ],
    );
    expect(text).toBe(
      [
        'SHARD                    N  OWNER',
        '--------------------  ----  --------',
        'shardId-000000000000     7  worker-a',
        's1                    1234',
        '',
      ].join('\n'),
    );
  });

  it('keeps one row on one line: control characters are escaped', () => {
    const text = formatTable(['A', 'B'], [['x\ny', 'tab\there']], { underline: false });
    expect(text.split('\n')).toEqual(['A     B', 'x\\ny  tab\\there', '']);
  });

  it('counts code points, not UTF-16 units, for the width', () => {
    const text = formatTable(['K', 'V'], [['😀', '1'], ['ab', '2']], { underline: false });
    expect(text).toBe('K   V\n😀   1\nab  2\n');
  });

  it('applies gap and indent', () => {
    expect(formatTable(['A', 'B'], [['1', '2']], { gap: 1, indent: '  ', underline: false })).toBe('  A B\n  1 2\n');
  });

  it('rejects a row with more cells than columns', () => {
    expect(() => formatTable(['A'], [['1', '2']])).toThrow(new TypeError('formatTable: row 0 has 2 cells, expected at most 1 (one per column)'));
  });
});
