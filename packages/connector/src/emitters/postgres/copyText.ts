import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { EmitterError } from '../EmitterError';

// COPY's text format: one line per row, fields separated by a tab, `\N` for NULL, and a
// backslash escaping the backslash itself and the characters that would end a field or row.
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
const NEEDS_ESCAPE = /[\\\t\n\r\b\f\v]/g;

/** COPY text's NULL marker. */
export const COPY_NULL = '\\N';

/**
 * One value in PostgreSQL's `COPY … FROM STDIN` text format:
 * `null`/`undefined` → NULL; strings as they are; numbers and bigints in decimal (`NaN`,
 * `Infinity` as PostgreSQL spells them); booleans `t`/`f`; Dates as ISO-8601 UTC; bytes as
 * `bytea` hex (`\x0a0b`); any other object or array as JSON (for `json`/`jsonb` columns) — all
 * escaped for the text format.
 *
 * @throws EmitterError `InvalidItem` for text containing U+0000 (PostgreSQL text cannot hold it),
 *   an invalid Date, or a function or symbol.
 */
export function encodeCopyValue(value: unknown, column: string): string {
  if (value === null || value === undefined) return COPY_NULL;
  return escapeCopyText(toText(value, column), column);
}

/** A whole row (the values in column order) as one COPY text line, newline included. */
export function encodeCopyRow(values: readonly unknown[], columns: readonly string[]): string {
  if (values.length !== columns.length) throw new InvalidArgumentError('columns', `one column per value (${values.length} values)`, columns);
  return `${values.map((value, index) => encodeCopyValue(value, columns[index] ?? String(index))).join('\t')}\n`;
}

function toText(value: unknown, column: string): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (Number.isNaN(value)) return 'NaN';
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
      return String(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 't' : 'f';
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalid(column, 'an invalid Date');
        return value.toISOString();
      }
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
      return JSON.stringify(value);
    default:
      throw invalid(column, `a ${typeof value}`);
  }
}

function escapeCopyText(text: string, column: string): string {
  if (text.includes('\u0000')) throw invalid(column, 'text containing U+0000, which PostgreSQL cannot store');
  return text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char]!);
}

function invalid(column: string, what: string): EmitterError {
  return new EmitterError('InvalidItem', `column ${column}: cannot write ${what}`, { context: { column } });
}
