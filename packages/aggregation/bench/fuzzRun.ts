/**
 * The aggregation benchmark's long fuzz run: the unit suite's property (`test/deaggregate.fuzz.test.ts`)
 * over many more hostile records, with a table of what each kind of damage gave.
 */
import fc from 'fast-check';
import { formatTable } from '../../../scripts/bench-harness';
import { checkDeaggregate, deaggregateOptionsArb, hostileRecordArb } from '../test/fuzz/hostileRecords';

/** What a fuzz run found. */
export interface FuzzReport {
  readonly passed: boolean;
  readonly table: string;
  readonly summary: string;
}

/** Runs `runs` cases; a mismatch or a throw stops the run and is reported with its seed and counterexample. */
export function runFuzz(runs: number): FuzzReport {
  const outcomes = new Map<string, { aggregated: number; corrupt: number; plain: number; bytes: number }>();
  const seed = Date.now() % 2 ** 31;
  const startedAt = performance.now();
  const details = fc.check(
    fc.property(hostileRecordArb, deaggregateOptionsArb, fc.boolean(), (input, options, asLambda) => {
      const { expected, mismatch } = checkDeaggregate(input, options, asLambda);
      if (mismatch !== undefined) throw new Error(`${input.kind}: ${mismatch}`);
      const row = outcomes.get(input.kind) ?? { aggregated: 0, corrupt: 0, plain: 0, bytes: 0 };
      row[expected]++;
      row.bytes += input.bytes.length;
      outcomes.set(input.kind, row);
    }),
    { numRuns: runs, seed },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const rows = [...outcomes].sort(([a], [b]) => a.localeCompare(b));
  const table = formatTable(
    ['kind of input', 'cases', 'decoded', 'corrupt (raw)', 'plain (raw)', 'mean bytes'],
    rows.map(([kind, row]) => {
      const cases = row.aggregated + row.corrupt + row.plain;
      return [kind, String(cases), String(row.aggregated), String(row.corrupt), String(row.plain), (row.bytes / cases).toFixed(0)];
    }),
  );
  const total = rows.reduce((sum, [, row]) => sum + row.aggregated + row.corrupt + row.plain, 0);
  const summary = details.failed
    ? `FUZZ FAILED after ${details.numRuns} cases (seed ${seed}, path ${details.counterexamplePath ?? '?'}): ${String(details.errorInstance)}\ncounterexample: ${fc.stringify(details.counterexample)}`
    : `fuzz: ${total} cases in ${seconds.toFixed(1)} s, seed ${seed}: every one matched the reference (no throw, exact sub-records or the bytes raw)`;
  return { passed: !details.failed, table, summary };
}
