import { runRows, type InputRow } from '../src/engine/runRows';
import type { ColumnSchema } from '../src/plan/Catalog';
import { parseTimestamp } from '../src/types/datetime';
import type { SqlValue } from '../src/types/SqlType';

/** A row of a documentation table: its ROWTIME (as written there) and its fields. */
export type DocRow = { ROWTIME: string } & Record<string, unknown>;

const timestamp = (text: string) => {
  const ms = parseTimestamp(text);
  if (ms === undefined) throw new Error(`not a timestamp: ${text}`);
  return ms;
};

/** Runs `sql` over rows with the given input columns; returns what `analytics test` would print. */
export function runSql(
  sql: string,
  columns: readonly ColumnSchema[],
  rows: readonly DocRow[],
  referenceTables: { name: string; columns: ColumnSchema[]; rows: SqlValue[][] }[] = [],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const input: InputRow[] = rows.map(({ ROWTIME, ...record }, i) => ({ rowtime: timestamp(ROWTIME), record, id: String(i + 1) }));
  runRows({ sql, columns, rows: input, referenceTables, onRow: (row) => out.push(row) });
  return out;
}

/** Output rows reduced to stream, ROWTIME and the named columns (for readable expectations). */
export const pick = (rows: Record<string, unknown>[], ...columns: string[]) =>
  rows.map((row) => Object.fromEntries(['stream', 'ROWTIME', ...columns].map((c) => [c, row[c]])));
