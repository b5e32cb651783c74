import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { seededRandom } from './bench-harness';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random bytes that records copy their data from; larger than any record, so offsets vary. */
const POOL_BYTES = 64 * 1024;

/**
 * Makes user records the way an application does: a random partition key of `keyLength`
 * characters (so records spread over every shard) and a freshly allocated `dataBytes`-byte
 * payload, from a seeded generator so every run sends the same records.
 */
export class RecordFactory {
  readonly #random: () => number;
  readonly #pool: Buffer;

  constructor(
    readonly dataBytes: number,
    readonly keyLength: number,
    seed: number,
  ) {
    this.#random = seededRandom(seed);
    this.#pool = Buffer.allocUnsafe(POOL_BYTES + dataBytes);
    for (let i = 0; i < this.#pool.length; i++) this.#pool[i] = Math.floor(this.#random() * 256);
  }

  /** Bytes each record counts against Kinesis limits: data plus its (ASCII) partition key. */
  get recordBytes(): number {
    return this.dataBytes + this.keyLength;
  }

  next(): UserRecordInput {
    const random = this.#random;
    let partitionKey = '';
    for (let i = 0; i < this.keyLength; i++) partitionKey += KEY_ALPHABET[Math.floor(random() * KEY_ALPHABET.length)];
    const offset = Math.floor(random() * POOL_BYTES);
    const data = Buffer.allocUnsafe(this.dataBytes);
    this.#pool.copy(data, 0, offset, offset + this.dataBytes);
    return { partitionKey, data };
  }

  /** `count` records, made up front. */
  many(count: number): UserRecordInput[] {
    const records = new Array<UserRecordInput>(count);
    for (let i = 0; i < count; i++) records[i] = this.next();
    return records;
  }
}
