import { InvalidArgumentError, requireObject } from '@kinesis-toolkit/core';
import type { DataConverter } from './DataConverter';
import { printJson, resolveJsonFormat, type JsonFormat } from './jsonFormat';

/** Options of {@link AddMetadataConverter}, as the agent's `ADDMETADATA` option names them. */
export interface AddMetadataOptions {
  /** Any JSON object, sent with every record under `metadata` (required). */
  readonly metadata: Record<string, unknown>;
  /** `true` (or `"true"`): add `ts`, the time the record was converted (UTC, `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`). @defaultValue false */
  readonly timestamp?: boolean | 'true' | 'false';
  /** @defaultValue `COMPACT` */
  readonly jsonFormat?: JsonFormat;
}

/**
 * `ADDMETADATA`: sends each record as `{"ts": …, "metadata": {…}, "data": "the line"}` — the
 * agent's envelope, so consumers of an existing agent pipeline read the same shape.
 */
export class AddMetadataConverter implements DataConverter {
  readonly optionName = 'ADDMETADATA';
  readonly #metadata: Record<string, unknown>;
  readonly #timestamp: boolean;
  readonly #format: JsonFormat;
  readonly #now: () => number;

  /** @param now - epoch milliseconds for `ts` (tests pass a fixed clock). */
  constructor(options: AddMetadataOptions, now: () => number = Date.now) {
    this.#metadata = requireObject('metadata', options.metadata) as Record<string, unknown>;
    const timestamp = options.timestamp ?? false;
    if (timestamp !== true && timestamp !== false && timestamp !== 'true' && timestamp !== 'false') {
      throw new InvalidArgumentError('timestamp', 'true or false', timestamp);
    }
    this.#timestamp = timestamp === true || timestamp === 'true';
    this.#format = resolveJsonFormat('jsonFormat', options.jsonFormat);
    this.#now = now;
  }

  convert(text: string): string {
    const record: Record<string, unknown> = {};
    if (this.#timestamp) record.ts = new Date(this.#now()).toISOString();
    record.metadata = this.#metadata;
    record.data = text;
    return printJson(record, this.#format);
  }
}
