import { rejectUnknownOptions, requireBoolean, requireInteger, requireObject } from '@kinesis-toolkit/core';
import { EmptyAggregateError } from './errors/EmptyAggregateError';
import { RecordTooLargeError } from './errors/RecordTooLargeError';
import { hashKeyDecimalOf } from './hashing/hashKey';
import { md5 } from './hashing/md5';
import { writeVarint, varintSize } from './codec/varint';
import { AGGREGATE_PARTITION_KEY, KPL_AGGREGATION_MAGIC, MAX_RECORD_BYTES, MD5_DIGEST_BYTES } from './limits';
import type { KinesisRecordOutput, UserRecordInput } from './records/UserRecord';
import { validateUserRecord } from './records/validateUserRecord';

/** Options of {@link AggregateBuilder}; all optional. */
export interface AggregateBuilderOptions {
  /**
   * Largest data size, in bytes, of a built aggregate (magic, protobuf and MD5 trailer).
   * @defaultValue 1 MiB minus the aggregate's partition key ("a"): 1,048,575
   */
  readonly maxBytes?: number;
  /**
   * Most user records in one aggregate.
   * @defaultValue unlimited (the KPL's 4,294,967,295)
   */
  readonly maxCount?: number;
  /**
   * Send an aggregate that holds a single user record as that plain record, as the KPL does.
   * @defaultValue true
   */
  readonly unaggregatedSingleRecord?: boolean;
}

/** The resolved, validated form of {@link AggregateBuilderOptions}. */
export type ResolvedAggregateBuilderOptions = Required<AggregateBuilderOptions>;

const DEFAULTS: ResolvedAggregateBuilderOptions = Object.freeze({
  maxBytes: MAX_RECORD_BYTES - Buffer.byteLength(AGGREGATE_PARTITION_KEY),
  maxCount: 0xffffffff,
  unaggregatedSingleRecord: true,
});

/** The largest aggregate a stream with a raised record limit takes: 10 MiB. */
const MAX_AGGREGATE_BYTES = 10 * MAX_RECORD_BYTES;

/**
 * Validates options once and fills in defaults.
 * @throws `InvalidArgumentError` naming the option (`maxBytes: expected an integer in [24, 10485760], got NaN`).
 */
export function resolveAggregateBuilderOptions(options: AggregateBuilderOptions = {}): ResolvedAggregateBuilderOptions {
  requireObject('options', options);
  rejectUnknownOptions('', options, Object.keys(DEFAULTS));
  return Object.freeze({
    maxBytes: requireInteger('maxBytes', options.maxBytes ?? DEFAULTS.maxBytes, FIXED_OVERHEAD + 4, MAX_AGGREGATE_BYTES),
    maxCount: requireInteger('maxCount', options.maxCount ?? DEFAULTS.maxCount, 1),
    unaggregatedSingleRecord: requireBoolean('unaggregatedSingleRecord', options.unaggregatedSingleRecord ?? DEFAULTS.unaggregatedSingleRecord),
  });
}

const FIXED_OVERHEAD = KPL_AGGREGATION_MAGIC.length + MD5_DIGEST_BYTES;
const TAG_PARTITION_KEY_TABLE = 0x0a; // field 1, length-delimited
const TAG_EXPLICIT_HASH_KEY_TABLE = 0x12; // field 2, length-delimited
const TAG_RECORDS = 0x1a; // field 3, length-delimited
const TAG_PARTITION_KEY_INDEX = 0x08; // Record field 1, varint
const TAG_EXPLICIT_HASH_KEY_INDEX = 0x10; // Record field 2, varint
const TAG_DATA = 0x1a; // Record field 3, length-delimited

/** A key table of an aggregate: strings in first-seen order with their UTF-8 sizes. */
class KeyTable {
  readonly keys: string[] = [];
  readonly byteLengths: number[] = [];
  readonly #indexes = new Map<string, number>();

  indexOf(key: string): number {
    return this.#indexes.get(key) ?? -1;
  }

  add(key: string, byteLength: number): number {
    this.#indexes.set(key, this.keys.length);
    this.keys.push(key);
    this.byteLengths.push(byteLength);
    return this.keys.length - 1;
  }

  clear(): void {
    this.#indexes.clear();
    this.keys.length = 0;
    this.byteLengths.length = 0;
  }
}

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
  readonly #partitionKeys = new KeyTable();
  readonly #explicitHashKeys = new KeyTable();
  #keyIndexes: number[] = [];
  #hashKeyIndexes: number[] = [];
  #data: Uint8Array[] = [];
  #bodySizes: number[] = [];
  #protobufSize = 0;
  #userBytes = 0;

  constructor(options: AggregateBuilderOptions = {}) {
    this.options = resolveAggregateBuilderOptions(options);
  }

  /** User records added since the last build. */
  get count(): number {
    return this.#data.length;
  }

  /** The exact size in bytes of the aggregate built now (0 when empty). */
  get sizeBytes(): number {
    return this.#data.length === 0 ? 0 : FIXED_OVERHEAD + this.#protobufSize;
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
    return FIXED_OVERHEAD + this.#protobufSize + this.#growth(record).total;
  }

  /**
   * Adds a record if the aggregate stays within `maxBytes` and `maxCount`.
   * @returns false when the record would overflow a non-empty aggregate: build, then add it again.
   * @throws {@link InvalidRecordError} for a malformed record; {@link RecordTooLargeError} when the
   * record cannot fit even an empty aggregate.
   */
  tryAdd(record: UserRecordInput): boolean {
    validateUserRecord(record);
    const growth = this.#growth(record);
    const size = FIXED_OVERHEAD + this.#protobufSize + growth.total;
    if (size > this.options.maxBytes || this.#data.length >= this.options.maxCount) {
      if (this.#data.length === 0) {
        throw new RecordTooLargeError(size, this.options.maxBytes, 'an aggregate of this record alone', {
          partitionKey: record.partitionKey,
        });
      }
      return false;
    }
    let keyIndex = this.#partitionKeys.indexOf(record.partitionKey);
    if (keyIndex < 0) keyIndex = this.#partitionKeys.add(record.partitionKey, growth.keyBytes);
    let hashKeyIndex = -1;
    if (record.explicitHashKey !== undefined) {
      hashKeyIndex = this.#explicitHashKeys.indexOf(record.explicitHashKey);
      if (hashKeyIndex < 0) hashKeyIndex = this.#explicitHashKeys.add(record.explicitHashKey, record.explicitHashKey.length);
    }
    this.#keyIndexes.push(keyIndex);
    this.#hashKeyIndexes.push(hashKeyIndex);
    this.#data.push(record.data);
    this.#bodySizes.push(growth.body);
    this.#protobufSize += growth.total;
    this.#userBytes += record.data.length;
    return true;
  }

  /**
   * Builds the record for PutRecords and empties the builder. Two or more user records give
   * an aggregate with partition key "a" and, as explicit hash key, the first record's hash key
   * (so it lands where the first record was predicted to); a single record is sent as itself
   * unless `unaggregatedSingleRecord` is false.
   * @throws {@link EmptyAggregateError} when the builder is empty.
   */
  build(): KinesisRecordOutput {
    const count = this.#data.length;
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
    this.#keyIndexes = [];
    this.#hashKeyIndexes = [];
    this.#data = [];
    this.#bodySizes = [];
    this.#protobufSize = 0;
    this.#userBytes = 0;
  }

  /** How much the protobuf grows if `record` is added: new table entries plus the record itself. */
  #growth(record: UserRecordInput): { total: number; body: number; keyBytes: number } {
    let tables = 0;
    let keyIndex = this.#partitionKeys.indexOf(record.partitionKey);
    let keyBytes = 0;
    if (keyIndex < 0) {
      keyBytes = Buffer.byteLength(record.partitionKey, 'utf8');
      tables += tableEntrySize(keyBytes);
      keyIndex = this.#partitionKeys.keys.length;
    }
    // Record { partition_key_index, [explicit_hash_key_index], data }
    let body = 1 + varintSize(keyIndex) + 1 + varintSize(record.data.length) + record.data.length;
    if (record.explicitHashKey !== undefined) {
      let hashKeyIndex = this.#explicitHashKeys.indexOf(record.explicitHashKey);
      if (hashKeyIndex < 0) {
        // Validated EHKs are ASCII digits: one byte per character.
        tables += tableEntrySize(record.explicitHashKey.length);
        hashKeyIndex = this.#explicitHashKeys.keys.length;
      }
      body += 1 + varintSize(hashKeyIndex);
    }
    return { total: tables + 1 + varintSize(body) + body, body, keyBytes };
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
    for (let i = 0; i < data.length; i++) {
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
  const { keys, byteLengths } = table;
  for (let i = 0; i < keys.length; i++) {
    out[offset++] = tag;
    offset = writeVarint(out, offset, byteLengths[i]!);
    offset += out.write(keys[i]!, offset, 'utf8');
  }
  return offset;
}
