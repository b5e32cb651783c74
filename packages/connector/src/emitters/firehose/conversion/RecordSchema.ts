import { InvalidArgumentError, requireArray, requireObject, requireOneOf, requireString } from '@kinesis-toolkit/core';

/** A column type, with Glue / Hive names. */
export type ColumnType = 'string' | 'int' | 'bigint' | 'float' | 'double' | 'boolean' | 'timestamp';

/** One column of a format-conversion schema. */
export interface SchemaColumn {
  readonly name: string;
  readonly type: ColumnType;
}

/** A row checked against the schema: one value (or null) per column, in column order. */
export type ConvertedRow = readonly (string | number | bigint | boolean | Date | null)[];

const TYPES = ['string', 'int', 'bigint', 'float', 'double', 'boolean', 'timestamp'] as const;
const INT32 = 2 ** 31;

/**
 * The columns and types JSON records are converted to (Firehose takes them from a Glue table;
 * here they are given directly). Reading follows Firehose's OpenX JSON SerDe where it matters:
 * column names match JSON keys case-insensitively, keys not in the schema are ignored, a missing
 * key or `null` is a null value; a value of the wrong type makes the record fail conversion.
 */
export class RecordSchema {
  readonly columns: readonly SchemaColumn[];
  readonly #lowerNames: readonly string[];

  /** @throws InvalidArgumentError naming the bad column. */
  constructor(name: string, columns: unknown) {
    const list = requireArray(name, columns, (columnName, column) => {
      const c = requireObject(columnName, column) as Record<string, unknown>;
      return { name: requireString(`${columnName}.name`, c.name, { maxLength: 255 }), type: requireOneOf(`${columnName}.type`, c.type, TYPES) };
    });
    if (list.length === 0) throw new InvalidArgumentError(name, 'at least one column like {"name": "id", "type": "bigint"}', columns);
    const lower = list.map((c) => c.name.toLowerCase());
    const duplicate = lower.find((n, i) => lower.indexOf(n) !== i);
    if (duplicate !== undefined) throw new InvalidArgumentError(name, 'column names that differ (case-insensitively)', duplicate);
    this.columns = Object.freeze(list);
    this.#lowerNames = lower;
  }

  /**
   * A JSON text as a row of the schema.
   * @throws Error with Firehose's error code in `code` (`DataFormatConversion.MalformedData`, `DataFormatConversion.InvalidSchema`) when it does not fit.
   */
  toRow(text: string): ConvertedRow {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw conversionError('DataFormatConversion.MalformedData', `not JSON: ${(error as Error).message}`);
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) throw conversionError('DataFormatConversion.MalformedData', 'the record is not a JSON object');
    const byName = new Map<string, unknown>();
    for (const [key, value] of Object.entries(record)) byName.set(key.toLowerCase(), value);
    return this.columns.map((column, index) => coerce(column, byName.get(this.#lowerNames[index]!)));
  }
}

function coerce(column: SchemaColumn, value: unknown): string | number | bigint | boolean | Date | null {
  if (value === undefined || value === null) return null;
  const wrong = () => conversionError('DataFormatConversion.InvalidSchema', `column ${column.name} (${column.type}): got ${JSON.stringify(value)}`);
  switch (column.type) {
    case 'string':
      if (typeof value === 'object') throw wrong();
      return String(value);
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -INT32 || value >= INT32) throw wrong();
      return value;
    case 'bigint':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw wrong();
      return BigInt(value);
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw wrong();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong();
      return value;
    case 'timestamp': {
      // Epoch milliseconds, or a date-time string JavaScript reads (ISO 8601).
      const date = typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(value) : undefined;
      if (date === undefined || Number.isNaN(date.getTime())) throw wrong();
      return date;
    }
  }
}

function conversionError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}
