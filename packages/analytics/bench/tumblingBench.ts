import { AnalyticsEngine, compileApplication, RecordMapper } from '@kinesis-toolkit/analytics';
import { check, compare, formatRate, formatRatio, verdict, type Comparison } from '../../../scripts/bench-harness';
import { benchRecords, INPUT_SCHEMA, TUMBLING_SQL } from './benchRecords';

type Row = [key: string, n: number, total: number, average: number, end: number];

/**
 * The SQL engine against a hand-written loop computing the same tumbling COUNT/SUM/AVG per key per
 * minute from the same 100 B JSON records (the ceiling); JSON.parse alone is the floor of both.
 */
export async function runTumblingBench(records: number): Promise<{ comparison: Comparison; records: number }> {
  const input = benchRecords(records, Date.UTC(2024, 0, 1), 6); // 10 windows of 60 s
  const mapper = new RecordMapper(INPUT_SCHEMA, 'bench');
  const plan = compileApplication(TUMBLING_SQL, { sourceStreams: [{ name: 'SOURCE_SQL_STREAM_001', columns: mapper.columns }], referenceTables: [] });

  const engineRun = (): Row[] => {
    const out: Row[] = [];
    const engine = new AnalyticsEngine(plan, { onOutput: (_s, row) => out.push([...(row.values as [string, number, number, number]), row.rowtime]) });
    for (let i = 0; i < input.length; i++) {
      const record = input[i]!;
      const rows = mapper.rowsOf(record.data);
      for (let j = 0; j < rows.length; j++) engine.insert({ rowtime: record.rowtime, values: rows[j]!, id: String(i) });
    }
    engine.flush();
    return out;
  };

  const loopRun = (): Row[] => {
    const out: Row[] = [];
    let windowStart = -1;
    let groups = new Map<string, { n: number; total: number }>();
    const close = () => {
      for (const [key, g] of groups) out.push([key, g.n, g.total, g.total / g.n, windowStart + 60_000]);
      groups = new Map();
    };
    for (let i = 0; i < input.length; i++) {
      const record = input[i]!;
      const start = Math.floor(record.rowtime / 60_000) * 60_000;
      if (start !== windowStart) {
        if (windowStart >= 0) close();
        windowStart = start;
      }
      const parsed = JSON.parse(record.data.toString('utf8')) as { key: string; qty: number };
      const group = groups.get(parsed.key);
      if (group === undefined) groups.set(parsed.key, { n: 1, total: parsed.qty });
      else {
        group.n++;
        group.total += parsed.qty;
      }
    }
    close();
    return out;
  };

  const parseOnly = () => {
    let n = 0;
    for (const record of input) n += (JSON.parse(record.data.toString('utf8')) as { qty: number }).qty;
    return n;
  };

  check(JSON.stringify(engineRun()) === JSON.stringify(loopRun()), 'the engine and the hand-written loop disagree on the tumbling results');
  const comparison = await compare(
    { candidate: { name: 'SQL engine', run: engineRun }, baseline: { name: 'hand-written loop', run: loopRun }, references: [{ name: 'JSON.parse only', run: parseOnly }] },
    { rounds: 11, roundMs: 300, warmupMs: 1500 },
  );
  return { comparison, records };
}

export function describeTumbling({ comparison, records }: { comparison: Comparison; records: number }): string {
  const engineRate = comparison.candidate.callsPerSec * records;
  const loopRate = comparison.baselineCallsPerSec * records;
  return [
    `1. Tumbling GROUP BY key, STEP(ROWTIME BY 60 s) with COUNT/SUM/AVG over ${records} JSON records of 100 B (100 keys, 10 windows)`,
    `   SQL engine ${formatRate(engineRate)} rows/s, hand-written loop ${formatRate(loopRate)} rows/s, JSON.parse only ${formatRate(comparison.references[0]!.callsPerSec * records)} rows/s`,
    `   engine / loop (same rounds): ${formatRatio(comparison.candidate)} — target ≥ 50 %: ${verdict(comparison.candidate, 0.5)}`,
  ].join('\n');
}
