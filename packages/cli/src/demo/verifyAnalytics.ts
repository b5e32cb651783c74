import { ANALYTICS_WINDOW_MS, type WindowCount } from './AnalyticsStage';
import { recordId, type DemoRecord } from './DemoRecord';

/** How many mismatching windows a verification names. */
const SAMPLE_SIZE = 3;

/** The analytics stage's counts compared with the sinks. */
export interface AnalyticsVerification {
  /** (source, window) pairs the sinks hold records for. */
  readonly windows: number;
  /** Rows the SQL application emitted (a window read in two ROWTIME windows is two rows). */
  readonly rows: number;
  /** Records the rows count, in all. */
  readonly counted: number;
  /** Distinct records the sinks hold. */
  readonly received: number;
  /** Windows whose count differs, e.g. `clicks 12:00:10: SQL 412, sinks 415`. */
  readonly mismatches: readonly string[];
  readonly mismatchCount: number;
  readonly passed: boolean;
}

const windowOf = (producedAt: number) => Math.floor(producedAt / ANALYTICS_WINDOW_MS) * ANALYTICS_WINDOW_MS;
const label = (source: string, windowStart: number) => `${source} ${new Date(windowStart).toISOString().slice(11, 19)}`;

/**
 * Checks the SQL application's counts exactly: for every source and 10-second window of
 * `producedAt`, the sum of the counts of the rows emitted for it equals the number of distinct
 * records (by `key#n`) of that source and window in the sinks — no window missing, none extra.
 */
export function verifyAnalytics(counts: readonly WindowCount[], received: Iterable<DemoRecord>): AnalyticsVerification {
  const expected = new Map<string, { source: string; windowStart: number; records: number }>();
  const seen = new Set<string>();
  for (const record of received) {
    const id = recordId(record);
    if (seen.has(id)) continue;
    seen.add(id);
    const windowStart = windowOf(record.producedAt);
    const key = `${record.source}\u0000${windowStart}`;
    const entry = expected.get(key) ?? { source: record.source, windowStart, records: 0 };
    entry.records++;
    expected.set(key, entry);
  }
  const actual = new Map<string, { source: string; windowStart: number; records: number }>();
  let counted = 0;
  for (const row of counts) {
    const key = `${row.source}\u0000${row.windowStart}`;
    const entry = actual.get(key) ?? { source: row.source, windowStart: row.windowStart, records: 0 };
    entry.records += row.records;
    counted += row.records;
    actual.set(key, entry);
  }
  const mismatches: string[] = [];
  let mismatchCount = 0;
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(key);
    const got = actual.get(key);
    if (want?.records === got?.records) continue;
    mismatchCount++;
    const { source, windowStart } = (want ?? got)!;
    if (mismatches.length < SAMPLE_SIZE) mismatches.push(`${label(source, windowStart)}: SQL ${got?.records ?? 0}, sinks ${want?.records ?? 0}`);
  }
  return { windows: expected.size, rows: counts.length, counted, received: seen.size, mismatches, mismatchCount, passed: mismatchCount === 0 && seen.size > 0 };
}
