import type { ColumnSchema } from '../plan/Catalog';
import { formatDate, formatTime, formatTimestamp } from '../types/datetime';
import type { SqlValue } from '../types/SqlType';
import type { StreamRow } from './StreamRow';

/** A value as JSON: numbers as numbers, TIMESTAMP as ISO 8601, DATE as YYYY-MM-DD, TIME as HH:MM:SS.sss, VARBINARY as hex. */
export function jsonValue(value: SqlValue, column: ColumnSchema): unknown {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (typeof value !== 'number') return value;
  switch (column.type.name) {
    case 'TIMESTAMP':
      return formatTimestamp(value);
    case 'DATE':
      return formatDate(value);
    case 'TIME':
      return formatTime(value);
    default:
      return Number.isFinite(value) ? value : String(value);
  }
}

/**
 * A stream row as the object `analytics test` prints and outputs serialise:
 * `{ stream, ROWTIME (ISO 8601), <column>: <value>, … }`, columns named as declared.
 */
export function formatOutputRow(stream: string, columns: readonly ColumnSchema[], row: StreamRow): Record<string, unknown> {
  const object: Record<string, unknown> = { stream, ROWTIME: formatTimestamp(row.rowtime) };
  columns.forEach((column, i) => (object[column.name] = jsonValue(row.values[i] ?? null, column)));
  return object;
}
