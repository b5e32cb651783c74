// The streaming operators against a brute-force batch evaluation of the same query over the whole
// input: random rows (keys, nullable values, ROWTIME gaps in quarter seconds, so ties and rows exactly
// on a window boundary are common) and random window sizes.
import fc from 'fast-check';
import { runRows } from '../src/engine/runRows';

interface Row {
  readonly rowtime: number;
  readonly k: string;
  readonly v: number | null;
}

const rowsArbitrary = fc
  .array(fc.record({ gap: fc.integer({ min: 0, max: 10 }).map((quarterSeconds) => quarterSeconds * 250), k: fc.constantFrom('a', 'b', 'c'), v: fc.option(fc.integer({ min: -50, max: 50 }), { freq: 5 }) }), { maxLength: 80 })
  .map((steps) => {
    let rowtime = Date.UTC(2024, 0, 1);
    return steps.map(({ gap, k, v }): Row => ({ rowtime: (rowtime += gap), k, v }));
  });

const COLUMNS = [
  { name: 'K', type: { name: 'VARCHAR' as const, length: 1 } },
  { name: 'V', type: { name: 'INTEGER' as const } },
];

function stream(sql: string, rows: readonly Row[]): unknown[][] {
  const out: unknown[][] = [];
  runRows({
    sql,
    columns: COLUMNS,
    rows: rows.map((row) => ({ rowtime: row.rowtime, record: { K: row.k, V: row.v } })),
    onRow: ({ stream: _stream, ROWTIME, ...columns }) => out.push([Date.parse(ROWTIME as string), ...Object.values(columns)]),
  });
  return out;
}

/** COUNT(*), SUM, MIN, MAX, COUNT(DISTINCT) of the values, SQL style (nulls ignored, NULL for none). */
function aggregate(values: readonly (number | null)[]): unknown[] {
  const present = values.filter((v): v is number => v !== null);
  return [
    values.length,
    present.length === 0 ? null : present.reduce((a, b) => a + b, 0),
    present.length === 0 ? null : Math.min(...present),
    present.length === 0 ? null : Math.max(...present),
    new Set(present).size,
  ];
}

const DESTINATION = 'CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (k VARCHAR(1), c BIGINT, s BIGINT, mn INTEGER, mx INTEGER, cd BIGINT);';

describe('streaming results equal a batch evaluation of the same query', () => {
  it('tumbling GROUP BY k, STEP(ROWTIME BY w): one row per window and key at the window end, windows in order, keys in first-seen order', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 6 }), (rows, seconds) => {
        const sql = `${DESTINATION}
          CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM k, COUNT(*), SUM(v), MIN(v), MAX(v), COUNT(DISTINCT v) FROM "SOURCE_SQL_STREAM_001" AS s
          GROUP BY k, STEP(s.ROWTIME BY INTERVAL '${seconds}' SECOND);`;
        const size = seconds * 1000;
        const groups = new Map<string, { end: number; k: string; values: (number | null)[] }>();
        for (const row of rows) {
          const start = Math.floor(row.rowtime / size) * size;
          const key = `${start}|${row.k}`;
          const group = groups.get(key) ?? { end: start + size, k: row.k, values: [] };
          group.values.push(row.v);
          groups.set(key, group);
        }
        const expected = [...groups.values()].sort((a, b) => a.end - b.end).map((g) => [g.end, g.k, ...aggregate(g.values)]);
        expect(stream(sql, rows)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['RANGE', (rows: readonly Row[], i: number, size: number) => rows.filter((r, j) => j <= i && r.k === rows[i]!.k && r.rowtime > rows[i]!.rowtime - size * 1000)],
    ['ROWS', (rows: readonly Row[], i: number, size: number) => rows.filter((r, j) => j <= i && r.k === rows[i]!.k).slice(-(size + 1))],
  ] as const)('sliding %s windows PARTITION BY k: one row per input row, aggregates over exactly the rows in its frame', (frame, inWindow) => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 6 }), (rows, size) => {
        const spec = frame === 'RANGE' ? `RANGE INTERVAL '${size}' SECOND PRECEDING` : `ROWS ${size} PRECEDING`;
        const sql = `${DESTINATION}
          CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM k, COUNT(*) OVER w, SUM(v) OVER w, MIN(v) OVER w, MAX(v) OVER w, COUNT(DISTINCT v) OVER w
          FROM "SOURCE_SQL_STREAM_001" WINDOW w AS (PARTITION BY k ${spec});`;
        const expected = rows.map((row, i) => [row.rowtime, row.k, ...aggregate(inWindow(rows, i, size).map((r) => r.v))]);
        expect(stream(sql, rows)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('sliding AVG over RANGE equals the mean of the frame', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 6 }), (rows, size) => {
        const sql = `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (a DOUBLE);
          CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM AVG(v) OVER (PARTITION BY k RANGE INTERVAL '${size}' SECOND PRECEDING) FROM "SOURCE_SQL_STREAM_001";`;
        const actual = stream(sql, rows).map((row) => row[1] as number | null);
        rows.forEach((row, i) => {
          const values = rows.filter((r, j) => j <= i && r.k === row.k && r.rowtime > row.rowtime - size * 1000 && r.v !== null).map((r) => r.v as number);
          const mean = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
          if (mean === null) expect(actual[i]).toBeNull();
          else expect(actual[i]).toBeCloseTo(mean, 9);
        });
      }),
      { numRuns: 100 },
    );
  });

  it('stagger windows PARTITION BY k: a window opens at a key’s first row, holds its rows until open + range, emits at open + range', () => {
    fc.assert(
      fc.property(rowsArbitrary, fc.integer({ min: 1, max: 6 }), (rows, seconds) => {
        const sql = `${DESTINATION}
          CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
          SELECT STREAM k, COUNT(*), SUM(v), MIN(v), MAX(v), COUNT(DISTINCT v) FROM "SOURCE_SQL_STREAM_001"
          WINDOWED BY STAGGER (PARTITION BY k RANGE INTERVAL '${seconds}' SECOND);`;
        const range = seconds * 1000;
        const windows: { opened: number; order: number; k: string; values: (number | null)[] }[] = [];
        for (const k of ['a', 'b', 'c']) {
          let current: (typeof windows)[number] | undefined;
          rows.forEach((row, index) => {
            if (row.k !== k) return;
            if (current === undefined || row.rowtime >= current.opened + range) windows.push((current = { opened: row.rowtime, order: index, k, values: [] }));
            current.values.push(row.v);
          });
        }
        const expected = windows.sort((a, b) => a.opened - b.opened || a.order - b.order).map((w) => [w.opened + range, w.k, ...aggregate(w.values)]);
        expect(stream(sql, rows)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
