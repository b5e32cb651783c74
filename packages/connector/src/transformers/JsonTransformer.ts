import { rejectUnknownOptions, requireBoolean, requireObject } from '@kinesis-toolkit/core';
import type { UserRecord } from '@kinesis-toolkit/kcl';
import { TransformError } from '../errors/TransformError';
import { decodeUtf8 } from './decodeUtf8';
import type { Transformer } from './Transformer';

/** Options of {@link JsonTransformer}. */
export interface JsonTransformerOptions {
  /** End each emitted JSON text with `\n` (for emitters that do not add a delimiter themselves). @defaultValue false */
  readonly appendNewline?: boolean;
}

/**
 * Reads each record's data as one UTF-8 JSON document (the item is the parsed value) and emits
 * each item as compact JSON text. A record that is not valid UTF-8 or not valid JSON throws a
 * {@link TransformError} (`InvalidUtf8` / `InvalidJson`), so the pipeline sends it to the failure
 * sink. Extend it (or wrap `toEmittable`) to emit something else, e.g. rows for a database.
 */
export class JsonTransformer<T = unknown> implements Transformer<T, string> {
  readonly #suffix: string;

  constructor(options: JsonTransformerOptions = {}) {
    requireObject('options', options);
    rejectUnknownOptions('', options, ['appendNewline']);
    const appendNewline = requireBoolean('appendNewline', options.appendNewline ?? false);
    this.#suffix = appendNewline ? '\n' : '';
  }

  toItem(record: UserRecord): readonly T[] {
    const text = decodeUtf8(record);
    try {
      // Wrapped: a JSON array is one item, not one item per element.
      return [JSON.parse(text) as T];
    } catch (error) {
      throw new TransformError('InvalidJson', `record ${record.sequenceNumber}/${record.subSequenceNumber}: data is not JSON (${(error as Error).message})`, {
        cause: error,
        context: { partitionKey: record.partitionKey, sequenceNumber: record.sequenceNumber },
      });
    }
  }

  toEmittable(item: T): string {
    const json = JSON.stringify(item);
    // JSON.stringify answers undefined (not a string) for undefined, functions and symbols.
    if (typeof json !== 'string') throw new TransformError('EmittableFailed', `item cannot be written as JSON: ${typeof item}`);
    return json + this.#suffix;
  }
}
