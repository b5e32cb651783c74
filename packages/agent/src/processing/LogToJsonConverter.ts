import { RecordProcessingError } from '../pipeline/RecordProcessingError';
import { stripCarriageReturn } from './CsvToJsonConverter';
import type { DataConverter } from './DataConverter';
import { printJson, resolveJsonFormat, type JsonFormat } from './jsonFormat';
import { groupCount, LOG_FORMATS, type LogFormatName } from './logFormats';

/** Options of {@link LogToJsonConverter}, named as in the agent's `LOGTOJSON` option. */
export interface LogToJsonOptions {
  /** `COMMONAPACHELOG`, `COMBINEDAPACHELOG`, `APACHEERRORLOG`, `SYSLOG` or `RFC3339SYSLOG` (required). */
  readonly logFormat: string;
  /** A regular expression to use instead of the format's own; each group becomes a field. */
  readonly matchPattern?: string;
  /** Field names instead of the format's own, one per group. */
  readonly customFieldNames?: readonly string[];
  /** @defaultValue `COMPACT` */
  readonly jsonFormat?: JsonFormat;
}

/**
 * `LOGTOJSON`: parses a log line and sends it as a JSON object, with the agent's field names
 * (`host`, `ident`, `authuser`, `datetime`, `request`, `response`, `bytes` [, `referer`,
 * `agent`] for Apache logs; `timestamp`, `hostname`, `program`, `processid`, `message` for
 * syslog). A group that did not take part in the match, and an Apache `-`, are `null`.
 * A line that does not match is not sent: it fails with `RecordProcessingError`
 * (`LogParseFailed`) — the agent drops it silently; we report it.
 */
export class LogToJsonConverter implements DataConverter {
  readonly optionName = 'LOGTOJSON';
  readonly #format: LogFormatName;
  readonly #pattern: RegExp;
  readonly #fields: readonly string[];
  readonly #dashIsNull: boolean;
  readonly #jsonFormat: JsonFormat;

  constructor(options: LogToJsonOptions) {
    const format = LOG_FORMATS[options.logFormat as LogFormatName];
    if (format === undefined) {
      throw new TypeError(`logFormat: expected one of ${Object.keys(LOG_FORMATS).join(', ')}, got ${JSON.stringify(options.logFormat)}`);
    }
    this.#format = options.logFormat as LogFormatName;
    this.#pattern = options.matchPattern === undefined ? format.pattern : compile(options.matchPattern);
    if (options.matchPattern !== undefined && options.customFieldNames === undefined) {
      throw new TypeError('customFieldNames: required with matchPattern (one name per group of the pattern)');
    }
    const fields = options.customFieldNames ?? format.fields;
    if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string' || f === '')) {
      throw new TypeError(`customFieldNames: expected a list of non-empty field names, got ${JSON.stringify(fields)}`);
    }
    const groups = groupCount(this.#pattern);
    if (groups !== fields.length) {
      throw new TypeError(`customFieldNames: the pattern has ${groups} groups, so ${groups} field names are expected, got ${fields.length}`);
    }
    this.#fields = [...fields];
    this.#dashIsNull = format.dashIsNull;
    this.#jsonFormat = resolveJsonFormat('jsonFormat', options.jsonFormat);
  }

  convert(text: string): string {
    const match = this.#pattern.exec(stripCarriageReturn(text));
    if (match === null) {
      throw new RecordProcessingError('LogParseFailed', `not a ${this.#format} line: ${JSON.stringify(abbreviate(text))}`);
    }
    const record: Record<string, string | null> = {};
    this.#fields.forEach((field, index) => {
      const value = match[index + 1];
      record[field] = value === undefined || (this.#dashIsNull && value === '-') ? null : value;
    });
    return printJson(record, this.#jsonFormat);
  }
}

function compile(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (error) {
    throw new TypeError(`matchPattern: expected a regular expression, got ${JSON.stringify(source)} (${(error as Error).message})`);
  }
}

function abbreviate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
