import { AnalyticsError } from '../errors/AnalyticsError';
import type { ColumnSchema } from '../plan/Catalog';
import { parseType } from '../sql/parseLiterals';
import { SqlError } from '../sql/SqlError';
import { TokenCursor } from '../sql/TokenCursor';
import { tokenize } from '../sql/tokenize';
import { typeOf } from '../types/SqlType';

/** KDA's `RecordColumn`: a column of an input stream or reference table, and where its value comes from. */
export interface RecordColumn {
  readonly Name: string;
  readonly SqlType: string;
  /** A JSONPath (`$.ticker`) for JSON records; unused for CSV (columns are taken in order). */
  readonly Mapping?: string;
}

/** KDA's `RecordFormat`. */
export interface RecordFormat {
  readonly RecordFormatType: 'JSON' | 'CSV';
  readonly MappingParameters?: {
    readonly JSONMappingParameters?: { readonly RecordRowPath: string };
    readonly CSVMappingParameters?: { readonly RecordRowDelimiter: string; readonly RecordColumnDelimiter: string };
  };
}

/** KDA's `SourceSchema` (the `InputSchema` of an input, the `ReferenceSchema` of a reference source). */
export interface SourceSchema {
  readonly RecordFormat: RecordFormat;
  readonly RecordEncoding?: string;
  readonly RecordColumns: readonly RecordColumn[];
}

/** A configuration that does not describe a runnable application: says which field and what is wrong. */
export class InvalidConfigError extends AnalyticsError {
  constructor(field: string, detail: string) {
    super('INVALID_APPLICATION_CONFIG', `${field}: ${detail}`, { context: { field } });
  }
}

/** Validates a SourceSchema (as found in a describe-application JSON or a --schema file). */
export function validateSourceSchema(schema: unknown, field: string): SourceSchema {
  const s = schema as SourceSchema;
  if (s === null || typeof s !== 'object') throw new InvalidConfigError(field, `expected a schema object with RecordFormat and RecordColumns, got ${JSON.stringify(schema)}`);
  const type = s.RecordFormat?.RecordFormatType;
  if (type !== 'JSON' && type !== 'CSV') throw new InvalidConfigError(`${field}.RecordFormat.RecordFormatType`, `expected "JSON" or "CSV", got ${JSON.stringify(type)}`);
  if (s.RecordEncoding !== undefined && !/^utf-?8$/i.test(s.RecordEncoding)) throw new InvalidConfigError(`${field}.RecordEncoding`, `expected "UTF-8" (the only encoding KDA supports), got ${JSON.stringify(s.RecordEncoding)}`);
  if (!Array.isArray(s.RecordColumns) || s.RecordColumns.length === 0) throw new InvalidConfigError(`${field}.RecordColumns`, 'expected a non-empty array of { Name, SqlType, Mapping }');
  s.RecordColumns.forEach((column, i) => {
    if (typeof column?.Name !== 'string' || column.Name === '') throw new InvalidConfigError(`${field}.RecordColumns[${i}].Name`, `expected a column name, got ${JSON.stringify(column?.Name)}`);
    if (typeof column.SqlType !== 'string') throw new InvalidConfigError(`${field}.RecordColumns[${i}].SqlType`, `expected a SQL type like "VARCHAR(8)", got ${JSON.stringify(column.SqlType)}`);
    if (type === 'JSON' && (typeof column.Mapping !== 'string' || !column.Mapping.startsWith('$'))) {
      throw new InvalidConfigError(`${field}.RecordColumns[${i}].Mapping`, `expected a JSONPath like "$.${column.Name}", got ${JSON.stringify(column.Mapping)}`);
    }
  });
  return s;
}

/** The columns a schema declares, their SqlType strings parsed (`DECIMAL(5,2)`, `VARCHAR(4)`, …). */
export function columnsOf(schema: SourceSchema, field: string): ColumnSchema[] {
  return schema.RecordColumns.map((column, i) => {
    try {
      const cursor = new TokenCursor(tokenize(column.SqlType), column.SqlType);
      const type = parseType(cursor);
      if (cursor.acceptKeyword('NOT')) cursor.expectKeyword('NULL', 'data type');
      if (!cursor.atEnd()) cursor.fail(`unexpected ${cursor.describe(cursor.current)}`, 'data type');
      return { name: column.Name, type: typeOf(type) };
    } catch (error) {
      if (error instanceof SqlError) throw new InvalidConfigError(`${field}.RecordColumns[${i}].SqlType`, `${JSON.stringify(column.SqlType)} is not a SQL type (${error.message.replace(/^line \d+:\d+: /, '')})`);
      throw error;
    }
  });
}
