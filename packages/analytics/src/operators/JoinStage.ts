import type { CompiledJoin } from '../plan/CompiledQuery';
import type { SqlValue } from '../types/SqlType';
import { valueKey } from './Accumulator';

/** A reference table's current rows; `version` changes on every reload. */
export interface ReferenceTableData {
  readonly rows: readonly (readonly SqlValue[])[];
  readonly version: number;
}

/**
 * Joins a stream row with reference tables (JOIN / LEFT JOIN ... ON). An ON of the form
 * `expression = table.column` uses a hash index, rebuilt when the table is reloaded; any other ON
 * scans the table.
 */
export class JoinStage {
  readonly #indexes = new Map<number, { version: number; index: Map<string, (readonly SqlValue[])[]> }>();

  constructor(
    private readonly joins: readonly CompiledJoin[],
    private readonly tables: (name: string) => ReferenceTableData,
    private readonly width: number,
  ) {}

  /** Calls `each` with every joined row (none for an INNER JOIN without a match). */
  expand(values: readonly SqlValue[], rowtime: number, each: (joined: readonly SqlValue[], match: number) => void): void {
    if (this.joins.length === 0) {
      each(values, 0);
      return;
    }
    let rows: SqlValue[][] = [padded(values, this.width)];
    for (let j = 0; j < this.joins.length; j++) {
      const join = this.joins[j]!;
      const next: SqlValue[][] = [];
      for (const row of rows) {
        let matched = false;
        for (const candidate of this.#candidates(j, join, row, rowtime)) {
          const joined = row.slice();
          for (let c = 0; c < join.width; c++) joined[join.offset + c] = candidate[c] ?? null;
          if (join.on.evaluate(joined, rowtime) === true) {
            next.push(joined);
            matched = true;
          }
        }
        if (!matched && join.type === 'LEFT') next.push(row);
      }
      rows = next;
    }
    rows.forEach((row, i) => each(row, i));
  }

  #candidates(j: number, join: CompiledJoin, row: readonly SqlValue[], rowtime: number): readonly (readonly SqlValue[])[] {
    const table = this.tables(join.table);
    if (join.equality === undefined) return table.rows;
    let cached = this.#indexes.get(j);
    if (cached === undefined || cached.version !== table.version) {
      const index = new Map<string, (readonly SqlValue[])[]>();
      for (const tableRow of table.rows) {
        const value = tableRow[join.equality.tableColumn] ?? null;
        if (value === null) continue;
        const key = valueKey(typeof value === 'string' ? value : value);
        const list = index.get(key);
        if (list) list.push(tableRow);
        else index.set(key, [tableRow]);
      }
      cached = { version: table.version, index };
      this.#indexes.set(j, cached);
    }
    const probe = join.equality.probe.evaluate(row, rowtime);
    if (probe === null) return [];
    // Numbers of different SQL types compare equal; the index keys them the same way.
    return cached.index.get(valueKey(probe)) ?? [];
  }
}

function padded(values: readonly SqlValue[], width: number): SqlValue[] {
  const row = values.slice();
  while (row.length < width) row.push(null);
  return row;
}
