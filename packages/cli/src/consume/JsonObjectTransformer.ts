import { JsonTransformer, TransformError, type Transformer } from '@kinesis-toolkit/connector';
import type { UserRecord } from '@kinesis-toolkit/kcl';

/** A JSON object, as a row or item. */
export type JsonObject = Readonly<Record<string, unknown>>;

/**
 * Each record is one JSON object, handed to the emitter as the object itself (a DynamoDB item,
 * a PostgreSQL row) rather than as JSON text. A record that is not UTF-8 JSON, or whose JSON is
 * not an object, is a `TransformError` and goes to the failure sink.
 */
export class JsonObjectTransformer implements Transformer<JsonObject, JsonObject> {
  readonly #json = new JsonTransformer<unknown>();

  toItem(record: UserRecord): readonly JsonObject[] {
    const [value] = this.#json.toItem(record);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new TransformError('InvalidJson', `record ${record.sequenceNumber}/${record.subSequenceNumber}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    }
    return [value as JsonObject];
  }

  toEmittable(item: JsonObject): JsonObject {
    return item;
  }
}
