/**
 * What the demo's producer writes: one JSON object per user record. `key` is the partition key
 * and names its source (`clicks:17`); `n` counts that key's records from 0, in `put()` order, so
 * that the sinks can be checked for loss, duplicates and per-key order. `runId` tells this run's
 * records from anything else on a shared (real AWS) stream.
 */
export interface DemoRecord {
  readonly runId: string;
  readonly source: string;
  readonly key: string;
  readonly n: number;
  /** When the producer called `put()`, epoch milliseconds. */
  readonly producedAt: number;
}

/**
 * A demo record as a sink holds it: the record plus where it was in the stream and when the
 * pipeline wrote it.
 */
export interface DeliveredRow extends DemoRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
  /** When the worker's pipeline handed the row to the sinks, epoch milliseconds. */
  readonly emittedAt: number;
}

/** The identity the verification counts by: one per produced record. */
export function recordId(record: { readonly key: string; readonly n: number }): string {
  return `${record.key}#${record.n}`;
}

/** Encodes a record as the bytes the producer puts. */
export function encodeDemoRecord(record: DemoRecord): Buffer {
  return Buffer.from(JSON.stringify(record));
}

/** Thrown by the parsers below for bytes or rows that are not demo records. */
export class NotADemoRecordError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'NotADemoRecordError';
  }
}

function requireField<T>(object: Record<string, unknown>, name: string, check: (value: unknown) => value is T, expected: string): T {
  const value = object[name];
  if (!check(value)) throw new NotADemoRecordError(`${name}: expected ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isSequenceNumber = (value: unknown): value is string => typeof value === 'string' && /^[0-9]+$/.test(value);

/**
 * Parses a demo record from a parsed JSON value.
 * @throws NotADemoRecordError naming the first field that is missing or of the wrong type.
 */
export function toDemoRecord(value: unknown): DemoRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new NotADemoRecordError(`expected a JSON object, got ${JSON.stringify(value)}`);
  const object = value as Record<string, unknown>;
  return {
    runId: requireField(object, 'runId', isString, 'a non-empty string'),
    source: requireField(object, 'source', isString, 'a non-empty string'),
    key: requireField(object, 'key', isString, 'a non-empty string'),
    n: requireField(object, 'n', isCount, 'an integer ≥ 0'),
    producedAt: requireField(object, 'producedAt', isCount, 'epoch milliseconds'),
  };
}

/**
 * Parses a delivered row (a line of an S3 object, or a PostgreSQL row mapped to these names).
 * @throws NotADemoRecordError naming the first field that is missing or of the wrong type.
 */
export function toDeliveredRow(value: unknown): DeliveredRow {
  const record = toDemoRecord(value);
  const object = value as Record<string, unknown>;
  return {
    ...record,
    shardId: requireField(object, 'shardId', isString, 'a shard id'),
    sequenceNumber: requireField(object, 'sequenceNumber', isSequenceNumber, 'a decimal sequence number'),
    subSequenceNumber: requireField(object, 'subSequenceNumber', isCount, 'an integer ≥ 0'),
    emittedAt: requireField(object, 'emittedAt', isCount, 'epoch milliseconds'),
  };
}
