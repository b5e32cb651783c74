import { AnalyticsError } from '../errors/AnalyticsError';
import type { InputRow } from '../engine/runRows';
import type { ColumnSchema } from '../plan/Catalog';
import { coerceJsonValue } from '../types/cast';
import { parseTimestamp } from '../types/datetime';
import type { SqlValue } from '../types/SqlType';
import { inferColumns } from './inferColumns';

/** A problem in a test input file: says which file, which line and what is wrong. */
export class TestInputError extends AnalyticsError {
  constructor(file: string, line: number | undefined, detail: string) {
    super('INVALID_TEST_INPUT', `${file}${line === undefined ? '' : `:${line}`}: ${detail}`, { context: { file, line } });
  }
}

/**
 * Reads `analytics test` input: one JSON object per line, its `ROWTIME` (ISO 8601 or epoch
 * milliseconds) the time the row entered the input stream; every other field is the record.
 * Blank lines are skipped; the row id is the line number.
 */
export function parseTestRows(text: string, file: string): InputRow[] {
  const rows: InputRow[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new TestInputError(file, index + 1, `not a JSON object (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new TestInputError(file, index + 1, 'expected a JSON object per line');
    const { ROWTIME, ...record } = parsed as Record<string, unknown>;
    const rowtime = typeof ROWTIME === 'number' && Number.isFinite(ROWTIME) ? ROWTIME : typeof ROWTIME === 'string' ? parseTimestamp(ROWTIME) : undefined;
    if (rowtime === undefined) throw new TestInputError(file, index + 1, `ROWTIME must be an ISO 8601 timestamp or epoch milliseconds, got ${JSON.stringify(ROWTIME)}`);
    rows.push({ rowtime, record, id: String(index + 1) });
  });
  return rows;
}

/** A reference table read from a file: its columns and rows. */
export interface ReferenceTableFile {
  readonly name: string;
  readonly columns: ColumnSchema[];
  readonly rows: SqlValue[][];
}

/**
 * Reads a reference table for `analytics test --reference NAME=FILE`: `.json` (an array of
 * objects) or `.jsonl` (an object per line), or CSV (a header line of column names, then rows;
 * values are trimmed only of their line ending). Column types are inferred from the values.
 */
export function parseReferenceFile(name: string, text: string, file: string): ReferenceTableFile {
  let objects: Record<string, unknown>[];
  if (/\.jsonl?$/i.test(file)) {
    try {
      const trimmed = text.trim();
      objects = trimmed.startsWith('[') ? (JSON.parse(trimmed) as Record<string, unknown>[]) : trimmed.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch (error) {
      throw new TestInputError(file, undefined, `not JSON or JSON lines (${(error as Error).message})`);
    }
  } else {
    const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
    if (lines.length === 0) throw new TestInputError(file, undefined, 'empty: expected a header line of column names');
    const header = lines[0]!.split(',').map((column) => column.trim());
    objects = lines.slice(1).map((line) => {
      const fields = line.split(',');
      return Object.fromEntries(header.map((column, i) => [column, fields[i] === undefined || fields[i] === '' ? null : fromCsv(fields[i]!)]));
    });
  }
  const columns = inferColumns(objects);
  return { name, columns, rows: objects.map((object) => columns.map((column) => coerceJsonValue(object[column.name], column.type))) };
}

/** A CSV field as a JSON value: numbers become numbers (so types can be inferred), text stays as written. */
function fromCsv(field: string): unknown {
  return /^\s*[+-]?\d+(\.\d+)?\s*$/.test(field) ? Number(field) : field;
}
