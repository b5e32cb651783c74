import { AnalyticsEngine, compileApplication, type SqlValue } from '@kinesis-toolkit/analytics';
import { compare, formatRate, type Comparison } from '../../../scripts/bench-harness';

const ROWS_PER_CALL = 20_000;

/** An engine running a sliding AVG over `rowsPerWindow` rows (one row per ms, RANGE of that many ms), fed `ROWS_PER_CALL` rows per call. */
function slidingSubject(rowsPerWindow: number): () => number {
  const sql = `
    CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (k VARCHAR(8), average DOUBLE);
    CREATE OR REPLACE PUMP p AS INSERT INTO "DESTINATION_SQL_STREAM"
      SELECT STREAM key, AVG(qty) OVER (RANGE INTERVAL '${rowsPerWindow / 1000}' SECOND PRECEDING) FROM "SOURCE_SQL_STREAM_001";`;
  const plan = compileApplication(sql, { sourceStreams: [{ name: 'SOURCE_SQL_STREAM_001', columns: [{ name: 'KEY', type: { name: 'VARCHAR', length: 8 } }, { name: 'QTY', type: { name: 'INTEGER' } }] }], referenceTables: [] });
  let last = 0;
  const engine = new AnalyticsEngine(plan, { onOutput: (_s, row) => (last = row.values[1] as number) });
  const values: SqlValue[][] = Array.from({ length: 1000 }, (_v, i) => ['K', i]);
  let rowtime = Date.UTC(2024, 0, 1);
  const feed = (rows: number) => {
    for (let i = 0; i < rows; i++) engine.insert({ rowtime: rowtime++, values: values[i % 1000]!, id: '' });
    return last;
  };
  feed(rowsPerWindow * 2); // the window is full before anything is measured
  return () => feed(ROWS_PER_CALL);
}

/** Cost per row of a sliding AVG with 100,000 rows per window against 1,000, same run. */
export async function runSlidingBench(): Promise<Comparison> {
  return compare({ candidate: { name: '100,000 rows per window', run: slidingSubject(100_000) }, baseline: { name: '1,000 rows per window', run: slidingSubject(1_000) } }, { rounds: 11, roundMs: 300, warmupMs: 1500 });
}

export function describeSliding(comparison: Comparison): string {
  const costRatio = 1 / comparison.candidate.ratio;
  const [low, high] = comparison.candidate.ratioQuartiles;
  return [
    '2. Sliding AVG(qty) OVER (RANGE INTERVAL … PRECEDING), one row per ms, incremental state',
    `   1,000 rows per window ${formatRate(comparison.baselineCallsPerSec * ROWS_PER_CALL)} rows/s, 100,000 rows per window ${formatRate(comparison.candidate.callsPerSec * ROWS_PER_CALL)} rows/s`,
    `   cost per row at 100,000 ÷ at 1,000 (same rounds): ${costRatio.toFixed(2)}× (${(1 / high).toFixed(2)}–${(1 / low).toFixed(2)}) — target ≤ 1.5×: ${costRatio <= 1.5 ? 'PASS' : 'ABOVE'}`,
  ].join('\n');
}
