import { EmptyAggregateError } from './errors/EmptyAggregateError';
import { RecordTooLargeError } from './errors/RecordTooLargeError';
import { hashKeyDecimalOf } from './hashing/hashKey';
import { md5 } from './hashing/md5';
import { utf8ByteLength } from './hashing/HashKeyWords';
import { KeyTable } from './codec/KeyTable';
import { writeVarint, varintSize } from './codec/varint';
import { resolveAggregateBuilderOptions, type AggregateBuilderOptions, type ResolvedAggregateBuilderOptions } from './AggregateBuilderOptions';
import { AGGREGATE_PARTITION_KEY, KPL_AGGREGATION_MAGIC, MD5_DIGEST_BYTES } from './limits';
import type { KinesisRecordOutput, UserRecordInput } from './records/UserRecord';
import { validateUserRecord } from './records/validateUserRecord';

export { resolveAggregateBuilderOptions } from './AggregateBuilderOptions';
export type { AggregateBuilderOptions, ResolvedAggregateBuilderOptions } from './AggregateBuilderOptions';

const FIXED_OVERHEAD = KPL_AGGREGATION_MAGIC.length + MD5_DIGEST_BYTES;
/** Per-record slots a builder starts with; doubled as needed. */
const INITIAL_CAPACITY = 256;
const EMPTY = new Uint8Array(0);
const TAG_PARTITION_KEY_TABLE = 0x0a; // field 1, length-delimited
const TAG_EXPLICIT_HASH_KEY_TABLE = 0x12; // field 2, length-delimited
const TAG_RECORDS = 0x1a; // field 3, length-delimited
const TAG_PARTITION_KEY_INDEX = 0x08; // Record field 1, varint
const TAG_EXPLICIT_HASH_KEY_INDEX = 0x10; // Record field 2, varint
const TAG_DATA = 0x1a; // Record field 3, length-delimited

/** Encoded size of a table entry: tag, length varint, UTF-8 bytes. */
function tableEntrySize(byteLength: number): number {
  return 1 + varintSize(byteLength) + byteLength;
}

/**
 * Packs user records into one KPL aggregated record, tracking its exact encoded size as
 * records are added, so it never builds a record over `maxBytes`.
 *
 * ```ts
 * const builder = new AggregateBuilder();
 * if (!builder.tryAdd(record)) { send(builder.build()); builder.tryAdd(record); }
 * ```
 */
export class AggregateBuilder {
  readonly options: ResolvedAggregateBuilderOptions;
  readonly #maxBytes: number;
  readonly #maxCount: number;
  readonly #partitionKeys = new KeyTable();
  readonly #explicitHashKeys = new KeyTable();
  // Per user record, `[0..#count)`: kept across aggregates (grown, never shrunk), so adding a
  // record allocates nothing.
  #count = 0;
  #keyIndexes = new Int32Array(INITIAL_CAPACITY);
  #hashKeyIndexes = new Int32Array(INITIAL_CAPACITY);
  #bodySizes = new Int32Array(INITIAL_CAPACITY);
  #data: Uint8Array[] = [];
  #protobufSize = 0;
  #userBytes = 0;
  // What #measure found for the record it looked at last (fields, not an object: this runs per record).
  #keyIndex = 0;
  #newKeyBytes = -1;
  #hashKeyIndex = -1;
  #newHashKey = false;
  #body = 0;
  #growth = 0;

  constructor(options: AggregateBuilderOptions = {}) {
    this.options = resolveAggregateBuilderOptions(options);
    this.#maxBytes = this.options.maxBytes;
    this.#maxCount = this.options.maxCount;
  }

  /** User records added since the last build. */
  get count(): number {
    return this.#count;
  }

  /** The exact size in bytes of the aggregate built now (0 when empty). */
  get sizeBytes(): number {
    return this.#count === 0 ? 0 : FIXED_OVERHEAD + this.#protobufSize;
  }

  /** Bytes of user data (payloads only) added since the last build. */
  get userBytes(): number {
    return this.#userBytes;
  }

  /**
   * The aggregate's size in bytes if `record` were added now, without adding it.
   * @throws {@link InvalidRecordError} for a malformed record.
   */
  sizeWith(record: UserRecordInput): number {
    validateUserRecord(record);
    this.#measure(record);
    return FIXED_OVERHEAD + this.#protobufSize + this.#growth;
  }

  /**
   * Adds a record if the aggregate stays within `maxBytes` and `maxCount`.
   * @returns false when the record would overflow a non-empty aggregate: build, then add it again.
   * @throws {@link InvalidRecordError} for a malformed record; {@link RecordTooLargeError} when the
   * record cannot fit even an empty aggregate.
   */
  tryAdd(record: UserRecordInput): boolean {
    validateUserRecord(record);
    return this.#add(record);
  }

  /**
   * {@link tryAdd} for a record already checked by {@link validateUserRecord} — a producer that
   * validated it when it was handed in (as `KinesisProducer.put()` does) need not pay again.
   * A record that was not checked may build an aggregate Kinesis or a consumer rejects.
   * @throws {@link RecordTooLargeError} when the record cannot fit even an empty aggregate.
   */
  tryAddValidated(record: UserRecordInput): boolean {
    return this.#add(record);
  }

  /**
   * Builds the record for PutRecords and empties the builder. Two or more user records give
   * an aggregate with partition key "a" and, as explicit hash key, the first record's hash key
   * (so it lands where the first record was predicted to); a single record is sent as itself
   * unless `unaggregatedSingleRecord` is false.
   * @throws {@link EmptyAggregateError} when the builder is empty.
   */
  build(): KinesisRecordOutput {
    const count = this.#count;
    if (count === 0) throw new EmptyAggregateError();
    const firstKey = this.#partitionKeys.keys[this.#keyIndexes[0]!]!;
    const firstHashKeyIndex = this.#hashKeyIndexes[0]!;
    const explicitHashKey = firstHashKeyIndex >= 0 ? this.#explicitHashKeys.keys[firstHashKeyIndex]! : hashKeyDecimalOf(firstKey);

    let output: KinesisRecordOutput;
    if (count === 1 && this.options.unaggregatedSingleRecord) {
      const data = this.#data[0]!;
      output = {
        partitionKey: firstKey,
        explicitHashKey,
        data: Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        userRecordCount: 1,
        aggregated: false,
      };
    } else {
      output = {
        partitionKey: AGGREGATE_PARTITION_KEY,
        explicitHashKey,
        data: this.#encode(),
        userRecordCount: count,
        aggregated: true,
      };
    }
    this.reset();
    return output;
  }

  /** Drops every record added since the last build. */
  reset(): void {
    this.#partitionKeys.clear();
    this.#explicitHashKeys.clear();
    // Let go of the payloads (the arrays themselves are kept for the next aggregate).
    for (let i = 0; i < this.#count; i++) this.#data[i] = EMPTY;
    this.#count = 0;
    this.#protobufSize = 0;
    this.#userBytes = 0;
  }

  #add(record: UserRecordInput): boolean {
    this.#measure(record);
    const size = FIXED_OVERHEAD + this.#protobufSize + this.#growth;
    const count = this.#count;
    if (size > this.#maxBytes || count >= this.#maxCount) {
      if (count === 0) {
        throw new RecordTooLargeError(size, this.#maxBytes, 'an aggregate of this record alone', {
          partitionKey: record.partitionKey,
        });
      }
      return false;
    }
    if (this.#newKeyBytes >= 0) this.#partitionKeys.add(record.partitionKey, this.#newKeyBytes);
    if (this.#newHashKey) this.#explicitHashKeys.add(record.explicitHashKey!, record.explicitHashKey!.length);
    if (count === this.#keyIndexes.length) this.#grow();
    this.#keyIndexes[count] = this.#keyIndex;
    this.#hashKeyIndexes[count] = this.#hashKeyIndex;
    this.#bodySizes[count] = this.#body;
    this.#data[count] = record.data;
    this.#count = count + 1;
    this.#protobufSize += this.#growth;
    this.#userBytes += record.data.length;
    return true;
  }

  /** How much the protobuf grows if `record` is added: new table entries plus the record itself (into the #fields). */
  #measure(record: UserRecordInput): void {
    let tables = 0;
    const partitionKey = record.partitionKey;
    let keyIndex = this.#partitionKeys.indexOf(partitionKey);
    this.#newKeyBytes = -1;
    if (keyIndex < 0) {
      const keyBytes = utf8ByteLength(partitionKey);
      this.#newKeyBytes = keyBytes;
      tables += tableEntrySize(keyBytes);
      keyIndex = this.#partitionKeys.count;
    }
    this.#keyIndex = keyIndex;
    // Record { partition_key_index, [explicit_hash_key_index], data }
    const dataLength = record.data.length;
    let body = 2 + varintSize(keyIndex) + varintSize(dataLength) + dataLength;
    this.#hashKeyIndex = -1;
    this.#newHashKey = false;
    const explicitHashKey = record.explicitHashKey;
    if (explicitHashKey !== undefined) {
      let hashKeyIndex = this.#explicitHashKeys.indexOf(explicitHashKey);
      if (hashKeyIndex < 0) {
        // Validated EHKs are ASCII digits: one byte per character.
        tables += tableEntrySize(explicitHashKey.length);
        hashKeyIndex = this.#explicitHashKeys.count;
        this.#newHashKey = true;
      }
      this.#hashKeyIndex = hashKeyIndex;
      body += 1 + varintSize(hashKeyIndex);
    }
    this.#body = body;
    this.#growth = tables + 1 + varintSize(body) + body;
  }

  #grow(): void {
    const size = this.#keyIndexes.length * 2;
    const grown = (from: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const to = new Int32Array(size);
      to.set(from);
      return to;
    };
    this.#keyIndexes = grown(this.#keyIndexes);
    this.#hashKeyIndexes = grown(this.#hashKeyIndexes);
    this.#bodySizes = grown(this.#bodySizes);
  }

  #encode(): Buffer {
    const protobufSize = this.#protobufSize;
    const out = Buffer.allocUnsafe(FIXED_OVERHEAD + protobufSize);
    out.set(KPL_AGGREGATION_MAGIC, 0);
    let offset = KPL_AGGREGATION_MAGIC.length;
    offset = writeTable(out, offset, TAG_PARTITION_KEY_TABLE, this.#partitionKeys);
    offset = writeTable(out, offset, TAG_EXPLICIT_HASH_KEY_TABLE, this.#explicitHashKeys);
    const keyIndexes = this.#keyIndexes;
    const hashKeyIndexes = this.#hashKeyIndexes;
    const data = this.#data;
    const bodySizes = this.#bodySizes;
    for (let i = 0; i < this.#count; i++) {
      out[offset++] = TAG_RECORDS;
      offset = writeVarint(out, offset, bodySizes[i]!);
      out[offset++] = TAG_PARTITION_KEY_INDEX;
      offset = writeVarint(out, offset, keyIndexes[i]!);
      const hashKeyIndex = hashKeyIndexes[i]!;
      if (hashKeyIndex >= 0) {
        out[offset++] = TAG_EXPLICIT_HASH_KEY_INDEX;
        offset = writeVarint(out, offset, hashKeyIndex);
      }
      const payload = data[i]!;
      out[offset++] = TAG_DATA;
      offset = writeVarint(out, offset, payload.length);
      out.set(payload, offset);
      offset += payload.length;
    }
    const start = KPL_AGGREGATION_MAGIC.length;
    md5(out.subarray(start, start + protobufSize)).copy(out, offset);
    return out;
  }
}

function writeTable(out: Buffer, offset: number, tag: number, table: KeyTable): number {
  const { keys, byteLengths, count } = table;
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    const byteLength = byteLengths[i]!;
    out[offset++] = tag;
    offset = writeVarint(out, offset, byteLength);
    if (byteLength === key.length) {
      // ASCII (UTF-8 as long as UTF-16 only then): a loop beats a call into the native encoder for short keys.
      for (let j = 0; j < byteLength; j++) out[offset + j] = key.charCodeAt(j);
      offset += byteLength;
    } else {
      offset += out.write(key, offset, 'utf8');
    }
  }
  return offset;
}
