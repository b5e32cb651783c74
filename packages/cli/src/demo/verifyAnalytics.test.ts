import type { DemoRecord } from './DemoRecord';
import { verifyAnalytics } from './verifyAnalytics';

const record = (source: string, n: number, producedAt: number): DemoRecord => ({ runId: 'r', source, key: `${source}:0`, n, producedAt });

describe('verifyAnalytics', () => {
  const received = [record('clicks', 0, 1_000), record('clicks', 1, 9_999), record('clicks', 2, 10_000), record('orders', 0, 15_000)];

  it('passes when the rows, summed per source and 10 s window of producedAt, equal the distinct records received', () => {
    // clicks 0–10 s counted in two rows (read in two ROWTIME windows); a record received twice counts once.
    const result = verifyAnalytics(
      [
        { id: 'a', source: 'clicks', windowStart: 0, records: 1 },
        { id: 'b', source: 'clicks', windowStart: 0, records: 1 },
        { id: 'c', source: 'clicks', windowStart: 10_000, records: 1 },
        { id: 'd', source: 'orders', windowStart: 10_000, records: 1 },
      ],
      [...received, received[0]!],
    );
    expect(result).toEqual({ windows: 3, rows: 4, counted: 4, received: 4, mismatches: [], mismatchCount: 0, passed: true });
  });

  it('names the windows whose counts differ: too few, too many, missing, extra', () => {
    const result = verifyAnalytics(
      [
        { id: 'a', source: 'clicks', windowStart: 0, records: 1 },
        { id: 'c', source: 'clicks', windowStart: 10_000, records: 2 },
        { id: 'e', source: 'views', windowStart: 20_000, records: 5 },
      ],
      received,
    );
    expect(result.passed).toBe(false);
    expect(result.mismatchCount).toBe(4);
    expect(result.mismatches).toEqual(['clicks 00:00:00: SQL 1, sinks 2', 'clicks 00:00:10: SQL 2, sinks 1', 'orders 00:00:10: SQL 0, sinks 1']);
  });

  it('does not pass on nothing received', () => {
    expect(verifyAnalytics([], []).passed).toBe(false);
  });
});
