import { EvaluationError } from '../errors/EvaluationError';
import type { ColumnSchema } from '../plan/Catalog';
import { coerceJsonValue, jsonCoercerFor } from '../types/cast';
import type { SqlValue } from '../types/SqlType';
import { compileJsonPath } from './jsonPath';
import { columnsOf, type SourceSchema } from './SourceSchema';

/**
 * Turns a record's bytes into rows of an in-application stream or table, by its KDA schema: JSON
 * (RecordRowPath selects the row or rows, each column's Mapping its value) or CSV (rows split by
 * RecordRowDelimiter, columns by RecordColumnDelimiter, taken in order).
 */
export class RecordMapper {
  readonly columns: readonly ColumnSchema[];
  readonly #rowsOf: (data: Buffer) => SqlValue[][];
  readonly #ofObject: ((record: unknown) => SqlValue[]) | undefined;

  constructor(schema: SourceSchema, field: string) {
    this.columns = columnsOf(schema, field);
    const columns = this.columns;
    if (schema.RecordFormat.RecordFormatType === 'JSON') {
      const rowPath = (schema.RecordFormat.MappingParameters?.JSONMappingParameters?.RecordRowPath ?? '$') === '$' ? (value: unknown) => value : compileJsonPath(schema.RecordFormat.MappingParameters?.JSONMappingParameters?.RecordRowPath ?? '$', `${field}.RecordFormat.MappingParameters.JSONMappingParameters.RecordRowPath`);
      const paths = schema.RecordColumns.map((column, i) => compileJsonPath(column.Mapping!, `${field}.RecordColumns[${i}].Mapping`));
      const coercers = columns.map((column) => jsonCoercerFor(column.type));
      const width = columns.length;
      const ofObject = (record: unknown) => {
        const row = new Array<SqlValue>(width);
        for (let i = 0; i < width; i++) row[i] = coercers[i]!(paths[i]!(record));
        return row;
      };
      this.#ofObject = ofObject;
      const rowsPath = schema.RecordFormat.MappingParameters?.JSONMappingParameters?.RecordRowPath ?? '$';
      const many = /\[(\*|0:)\]$/.test(rowsPath);
      const arrayPath = many ? compileJsonPath(rowsPath.replace(/\[(\*|0:)\]$/, ''), field) : undefined;
      this.#rowsOf = (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch (error) {
          throw new EvaluationError('ParseError', `record is not JSON: ${(error as Error).message}`);
        }
        if (arrayPath !== undefined) {
          const rows = arrayPath(parsed);
          if (!Array.isArray(rows)) throw new EvaluationError('ParseError', `RecordRowPath ${rowsPath} selects no array`);
          return rows.map(ofObject);
        }
        const row = rowPath(parsed);
        if (row === undefined) throw new EvaluationError('ParseError', `RecordRowPath ${rowsPath} selects nothing`);
        return [ofObject(row)];
      };
    } else {
      const csv = schema.RecordFormat.MappingParameters?.CSVMappingParameters;
      const rowDelimiter = csv?.RecordRowDelimiter ?? '\n';
      const columnDelimiter = csv?.RecordColumnDelimiter ?? ',';
      this.#ofObject = undefined;
      this.#rowsOf = (data) =>
        data
          .toString('utf8')
          .split(rowDelimiter)
          .filter((line) => line.replace(/\r$/, '') !== '')
          .map((line) => {
            const fields = line.replace(/\r$/, '').split(columnDelimiter);
            return columns.map((column, i) => coerceJsonValue(fields[i] === undefined || fields[i] === '' ? null : fields[i], column.type));
          });
    }
  }

  /** The rows of one record. @throws EvaluationError (ParseError, CoercionError) for a record the schema cannot read. */
  rowsOf(data: Buffer): SqlValue[][] {
    return this.#rowsOf(data);
  }

  /** A JSON object already parsed (a line of `analytics test` input) as one row. */
  rowOfObject(record: unknown): SqlValue[] {
    if (this.#ofObject === undefined) throw new EvaluationError('ParseError', 'a CSV schema maps record bytes, not JSON objects');
    return this.#ofObject(record);
  }
}
