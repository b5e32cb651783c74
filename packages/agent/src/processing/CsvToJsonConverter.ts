import type { DataConverter } from './DataConverter';
import { printJson, resolveJsonFormat, type JsonFormat } from './jsonFormat';

/** Options of {@link CsvToJsonConverter}, named as in the agent's `CSVTOJSON` option. */
export interface CsvToJsonOptions {
  /** The JSON keys, in column order (required, at least one). */
  readonly customFieldNames: readonly string[];
  /** What separates the columns: a literal string (the agent's Java `split` took a regex). @defaultValue `','` */
  readonly delimiter?: string;
  /** @defaultValue `COMPACT` */
  readonly jsonFormat?: JsonFormat;
}

/**
 * `CSVTOJSON`: `v1,v2` with fields `[f1, f2]` becomes `{"f1":"v1","f2":"v2"}`. As in the agent,
 * a missing column becomes `null` and columns beyond the field names are not sent. No quoting
 * rules: the delimiter always separates.
 */
export class CsvToJsonConverter implements DataConverter {
  readonly optionName = 'CSVTOJSON';
  readonly #fields: readonly string[];
  readonly #delimiter: string;
  readonly #format: JsonFormat;

  constructor(options: CsvToJsonOptions) {
    const fields = options.customFieldNames;
    if (!Array.isArray(fields) || fields.length === 0 || fields.some((f) => typeof f !== 'string' || f === '')) {
      throw new TypeError(`customFieldNames: expected a list of non-empty field names, got ${JSON.stringify(fields)}`);
    }
    const delimiter = options.delimiter ?? ',';
    if (typeof delimiter !== 'string' || delimiter === '') throw new TypeError(`delimiter: expected a non-empty string, got ${JSON.stringify(delimiter)}`);
    this.#fields = [...fields];
    this.#delimiter = delimiter;
    this.#format = resolveJsonFormat('jsonFormat', options.jsonFormat);
  }

  convert(text: string): string {
    const columns = stripCarriageReturn(text).split(this.#delimiter);
    const record: Record<string, string | null> = {};
    this.#fields.forEach((field, index) => (record[field] = columns[index] ?? null));
    return printJson(record, this.#format);
  }
}

/** A CRLF file's lines end in `\r`; it is not part of the last column. */
export function stripCarriageReturn(text: string): string {
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
