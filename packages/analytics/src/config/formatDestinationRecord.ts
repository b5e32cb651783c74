import { jsonValue } from '../engine/formatOutputRow';
import type { StreamRow } from '../engine/StreamRow';
import type { ColumnSchema } from '../plan/Catalog';

/**
 * An output row as a destination record, by its DestinationSchema: JSON (an object of the
 * stream's columns, timestamps as ISO 8601) or CSV (the values joined by commas, one line).
 */
export function formatDestinationRecord(format: 'JSON' | 'CSV', columns: readonly ColumnSchema[], row: StreamRow): Buffer {
  if (format === 'JSON') {
    const object: Record<string, unknown> = {};
    columns.forEach((column, i) => (object[column.name] = jsonValue(row.values[i] ?? null, column)));
    return Buffer.from(JSON.stringify(object));
  }
  const fields = columns.map((column, i) => {
    const value = jsonValue(row.values[i] ?? null, column);
    return value === null ? '' : String(value);
  });
  return Buffer.from(`${fields.join(',')}\n`);
}
