import { createHash, randomBytes } from 'node:crypto';
import { MAX_PARTITION_KEY_LENGTH } from '@kinesis-toolkit/aggregation';
import { RecordProcessingError } from './RecordProcessingError';

/** How records get their partition key. */
export type PartitionKeyMode =
  | { readonly kind: 'random' }
  | { readonly kind: 'deterministic' }
  /** A field of the record's JSON (after processing); `a.b` reaches into nested objects. */
  | { readonly kind: 'field'; readonly field: string };

/**
 * Picks each record's partition key: `random` (a fresh 128-bit value per record — spreads load
 * evenly over the shards, as the agent's `RANDOM`), `deterministic` (MD5 of the record's data
 * as sent — the agent's `DETERMINISTIC`: equal records land on the same shard) or a JSON field
 * (`field:NAME` — records of one customer, host, … stay in order on one shard).
 */
export class PartitionKeyStrategy {
  readonly mode: PartitionKeyMode;
  readonly #random: (bytes: number) => Buffer;
  readonly #path: readonly string[];

  /** @param random - where random keys come from (tests pass a seeded source). */
  constructor(mode: PartitionKeyMode, random: (bytes: number) => Buffer = randomBytes) {
    this.mode = mode;
    this.#random = random;
    this.#path = mode.kind === 'field' ? mode.field.split('.') : [];
    if (mode.kind === 'field' && (mode.field === '' || this.#path.some((part) => part === ''))) {
      throw new TypeError(`partitionKey: expected field:NAME with a field name like "host" or "user.id", got field:${JSON.stringify(mode.field)}`);
    }
  }

  /**
   * Parses `random`, `deterministic` or `field:NAME` (the agent's `RANDOM` / `DETERMINISTIC`
   * in any case).
   * @throws TypeError for anything else.
   */
  static parse(text: string): PartitionKeyMode {
    const lower = text.toLowerCase();
    if (lower === 'random') return { kind: 'random' };
    if (lower === 'deterministic') return { kind: 'deterministic' };
    if (lower.startsWith('field:')) return { kind: 'field', field: text.slice('field:'.length) };
    throw new TypeError(`partitionKey: expected random, deterministic or field:NAME, got ${JSON.stringify(text)}`);
  }

  /**
   * The partition key for a record whose data (as sent) is `data`.
   * @throws RecordProcessingError (`PartitionKeyUnavailable`) in field mode when the data is not
   *   a JSON object with that field as a non-empty string or a number, or the key is too long.
   */
  keyFor(data: Buffer): string {
    switch (this.mode.kind) {
      case 'random':
        return this.#random(16).toString('hex');
      case 'deterministic':
        return createHash('md5').update(data).digest('hex');
      case 'field':
        return this.#fieldKey(data, this.mode.field);
    }
  }

  #fieldKey(data: Buffer, field: string): string {
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      throw new RecordProcessingError('PartitionKeyUnavailable', `partition key field ${JSON.stringify(field)}: the record is not JSON (use --processing CSVTOJSON or LOGTOJSON, or another --partition-key)`);
    }
    for (const part of this.#path) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
    }
    const key = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof key !== 'string' || key === '') {
      throw new RecordProcessingError('PartitionKeyUnavailable', `partition key field ${JSON.stringify(field)}: missing, empty or not a string or number in the record`);
    }
    if (key.length > MAX_PARTITION_KEY_LENGTH) {
      throw new RecordProcessingError('PartitionKeyUnavailable', `partition key field ${JSON.stringify(field)}: ${key.length} characters, more than the ${MAX_PARTITION_KEY_LENGTH} Kinesis allows`);
    }
    return key;
  }
}
