import type { ColumnSchema } from '../plan/Catalog';
import { parseTimestamp } from '../types/datetime';
import type { SqlType } from '../types/SqlType';

/**
 * Column types for JSON rows given without a schema (`analytics test` without `--schema`):
 * per field, in first-seen order — integers → BIGINT, other numbers → DOUBLE, booleans →
 * BOOLEAN, strings that all read as timestamps → TIMESTAMP, other strings and anything mixed →
 * VARCHAR. Field names are kept as written.
 */
export function inferColumns(rows: readonly Record<string, unknown>[]): ColumnSchema[] {
  const kinds = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const set = kinds.get(name) ?? new Set<string>();
      kinds.set(name, set);
      if (value === null || value === undefined) continue;
      if (typeof value === 'number') set.add(Number.isInteger(value) ? 'integer' : 'double');
      else if (typeof value === 'boolean') set.add('boolean');
      else if (typeof value === 'string') set.add(parseTimestamp(value) !== undefined ? 'timestamp' : 'string');
      else set.add('json');
    }
  }
  return [...kinds.entries()].map(([name, set]) => ({ name, type: typeFor(set) }));
}

function typeFor(kinds: Set<string>): SqlType {
  if (kinds.size === 1) {
    const [kind] = kinds;
    if (kind === 'integer') return { name: 'BIGINT' };
    if (kind === 'double') return { name: 'DOUBLE' };
    if (kind === 'boolean') return { name: 'BOOLEAN' };
    if (kind === 'timestamp') return { name: 'TIMESTAMP' };
  }
  if (kinds.size === 2 && kinds.has('integer') && kinds.has('double')) return { name: 'DOUBLE' };
  return { name: 'VARCHAR', length: 65535 };
}
