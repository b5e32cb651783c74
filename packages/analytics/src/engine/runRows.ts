import type { ColumnSchema } from '../plan/Catalog';
import { compileApplication } from '../compileApplication';
import { coerceJsonValue } from '../types/cast';
import { EvaluationError } from '../errors/EvaluationError';
import { AnalyticsEngine } from './AnalyticsEngine';
import { formatOutputRow } from './formatOutputRow';
import type { SqlValue } from '../types/SqlType';

/** One input row for {@link runRows}: its ROWTIME (epoch ms) and its column values by name (JSON). */
export interface InputRow {
  readonly rowtime: number;
  readonly record: Readonly<Record<string, unknown>>;
  /** Stable id of the row (its line number in a file); defaults to its index. */
  readonly id?: string;
}

/** What {@link runRows} needs: the SQL, the input stream's columns, and reference tables. */
export interface RunRowsInput {
  readonly sql: string;
  readonly inputStream?: string;
  readonly columns: readonly ColumnSchema[];
  /** How a record becomes the stream's values; by default each column reads the record's field of the same name. */
  readonly mapRecord?: (record: Readonly<Record<string, unknown>>) => SqlValue[];
  readonly referenceTables?: readonly { readonly name: string; readonly columns: readonly ColumnSchema[]; readonly rows: readonly (readonly SqlValue[])[] }[];
  readonly rows: Iterable<InputRow>;
  /** Called with each output row (as printed by `analytics test`), in emission order. */
  readonly onRow: (row: Record<string, unknown>) => void;
}

/**
 * Runs an application over a finite, ROWTIME-ordered list of rows and closes the windows still
 * open at the end: the engine behind `analytics test` and the documentation-example tests.
 * ERROR_TIME in error_stream is the ROWTIME reached, so the output is reproducible.
 */
export function runRows(input: RunRowsInput): void {
  const inputStream = input.inputStream ?? 'SOURCE_SQL_STREAM_001';
  const tables = input.referenceTables ?? [];
  let now = 0;
  const plan = compileApplication(input.sql, { sourceStreams: [{ name: inputStream, columns: input.columns }], referenceTables: tables }, { wallClock: () => now });
  const engine = new AnalyticsEngine(plan, {
    wallClock: () => now,
    lateRows: 'error',
    onOutput: (stream, row) => input.onRow(formatOutputRow(stream, plan.streams.get(stream)!.columns, row)),
  });
  for (const table of tables) engine.setReferenceTable(table.name, table.rows);
  const map = input.mapRecord ?? ((record) => input.columns.map((column) => coerceJsonValue(record[column.name], column.type)));
  let index = 0;
  for (const row of input.rows) {
    const id = row.id ?? String(index++);
    now = Math.max(now, row.rowtime);
    let values: SqlValue[];
    try {
      values = map(row.record);
    } catch (error) {
      const name = error instanceof EvaluationError ? error.errorName : 'ParseError';
      engine.reportError(name, (error as Error).message, { rowtime: row.rowtime, id }, '', Buffer.from(JSON.stringify(row.record)));
      continue;
    }
    engine.insert({ rowtime: row.rowtime, values, id });
  }
  engine.flush();
}
