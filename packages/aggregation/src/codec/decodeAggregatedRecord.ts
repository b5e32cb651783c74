import { KPL_AGGREGATION_MAGIC, MD5_DIGEST_BYTES } from '../limits';
import { md5 } from '../hashing/md5';
import type { UserRecord } from '../records/UserRecord';
import { CorruptAggregateError } from './CorruptAggregateError';
import { ProtobufReader, WireType } from './ProtobufReader';

const MAGIC_0 = KPL_AGGREGATION_MAGIC[0]!;
const MAGIC_1 = KPL_AGGREGATION_MAGIC[1]!;
const MAGIC_2 = KPL_AGGREGATION_MAGIC[2]!;
const MAGIC_3 = KPL_AGGREGATION_MAGIC[3]!;
const OVERHEAD = KPL_AGGREGATION_MAGIC.length + MD5_DIGEST_BYTES;

/** A decoded aggregate: its user records, and each one's partition key table index (for per-key caching). */
export interface DecodedAggregate {
  readonly records: UserRecord[];
  readonly keyIndexes: readonly number[];
}

/** Whether the bytes open with the KPL magic (they may still fail to decode). */
export function hasAggregationMagic(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === MAGIC_0 && data[1] === MAGIC_1 && data[2] === MAGIC_2 && data[3] === MAGIC_3;
}

function checksumMatches(data: Buffer): boolean {
  const digest = md5(data.subarray(KPL_AGGREGATION_MAGIC.length, data.length - MD5_DIGEST_BYTES));
  const trailer = data.length - MD5_DIGEST_BYTES;
  for (let i = 0; i < MD5_DIGEST_BYTES; i++) {
    if (digest[i] !== data[trailer + i]) return false;
  }
  return true;
}

/**
 * Decodes a KPL aggregated record (magic ‖ protobuf ‖ MD5). The caller has checked the
 * magic with {@link hasAggregationMagic}.
 * @throws {@link CorruptAggregateError} on a bad checksum, malformed protobuf, missing required
 * field, an index outside its table, or an aggregate with no records.
 */
export function decodeAggregatedRecord(data: Buffer, sequenceNumber: string, approximateArrivalTimestamp: Date | undefined): DecodedAggregate {
  if (data.length < OVERHEAD) throw new CorruptAggregateError(`${data.length} bytes: too short for magic and MD5 trailer`);
  if (!checksumMatches(data)) throw new CorruptAggregateError('MD5 checksum does not match');

  const reader = new ProtobufReader(data, KPL_AGGREGATION_MAGIC.length, data.length - MD5_DIGEST_BYTES);
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  // Sub-records are resolved after the whole message is read: protobuf allows the tables to
  // follow the records, even though the KPL writes them first.
  const keyIndexes: number[] = [];
  const hashKeyIndexes: number[] = [];
  const dataStarts: number[] = [];
  const dataEnds: number[] = [];

  while (!reader.done) {
    const tag = reader.tag();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === WireType.LengthDelimited && (field === 1 || field === 2)) {
      const end = reader.lengthDelimitedEnd();
      (field === 1 ? partitionKeys : explicitHashKeys).push(decodeUtf8(data, reader.pos, end));
      reader.pos = end;
    } else if (wireType === WireType.LengthDelimited && field === 3) {
      readSubRecord(reader, keyIndexes, hashKeyIndexes, dataStarts, dataEnds);
    } else {
      reader.skip(tag);
    }
  }

  const count = keyIndexes.length;
  if (count === 0) throw new CorruptAggregateError('aggregate holds no records');
  const records = new Array<UserRecord>(count);
  for (let i = 0; i < count; i++) {
    const keyIndex = keyIndexes[i]!;
    const hashKeyIndex = hashKeyIndexes[i]!;
    if (keyIndex >= partitionKeys.length) {
      throw new CorruptAggregateError(`record ${i}: partition key index ${keyIndex} outside a table of ${partitionKeys.length}`);
    }
    if (hashKeyIndex >= explicitHashKeys.length) {
      throw new CorruptAggregateError(`record ${i}: explicit hash key index ${hashKeyIndex} outside a table of ${explicitHashKeys.length}`);
    }
    const partitionKey = partitionKeys[keyIndex]!;
    const payload = data.subarray(dataStarts[i], dataEnds[i]);
    // Two literal shapes rather than one with `explicitHashKey: undefined`: the field is absent
    // when the producer set none, as the type promises.
    records[i] =
      hashKeyIndex < 0
        ? { partitionKey, data: payload, sequenceNumber, subSequenceNumber: i, aggregated: true, approximateArrivalTimestamp }
        : {
            partitionKey,
            explicitHashKey: explicitHashKeys[hashKeyIndex]!,
            data: payload,
            sequenceNumber,
            subSequenceNumber: i,
            aggregated: true,
            approximateArrivalTimestamp,
          };
  }
  return { records, keyIndexes };
}

/**
 * UTF-8 bytes to a string. A key of a few ASCII bytes is built faster in JS than by the native
 * call's fixed cost; from about eight bytes on (a 16-character key: ~80 ns against ~200 ns of
 * concatenation, whose intermediate strings are garbage too) the native decoder wins.
 */
function decodeUtf8(bytes: Buffer, start: number, end: number): string {
  if (end - start > SHORT_KEY_BYTES) return bytes.toString('utf8', start, end);
  let text = '';
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    if (byte >= 0x80) return bytes.toString('utf8', start, end);
    text += String.fromCharCode(byte);
  }
  return text;
}
const SHORT_KEY_BYTES = 8;

function readSubRecord(
  outer: ProtobufReader,
  keyIndexes: number[],
  hashKeyIndexes: number[],
  dataStarts: number[],
  dataEnds: number[],
): void {
  const end = outer.lengthDelimitedEnd();
  const reader = new ProtobufReader(outer.bytes, outer.pos, end);
  let keyIndex = -1;
  let hashKeyIndex = -1;
  let dataStart = -1;
  let dataEnd = -1;
  while (!reader.done) {
    const tag = reader.tag();
    switch (tag) {
      case (1 << 3) | WireType.Varint:
        keyIndex = reader.varint();
        break;
      case (2 << 3) | WireType.Varint:
        hashKeyIndex = reader.varint();
        break;
      case (3 << 3) | WireType.LengthDelimited:
        dataEnd = reader.lengthDelimitedEnd();
        dataStart = reader.pos;
        reader.pos = dataEnd;
        break;
      default:
        // Tags (field 4) and unknown fields carry nothing a consumer is given.
        reader.skip(tag);
    }
  }
  if (keyIndex < 0) throw new CorruptAggregateError(`record ${keyIndexes.length}: missing partition_key_index`);
  if (dataStart < 0) throw new CorruptAggregateError(`record ${keyIndexes.length}: missing data`);
  keyIndexes.push(keyIndex);
  hashKeyIndexes.push(hashKeyIndex);
  dataStarts.push(dataStart);
  dataEnds.push(dataEnd);
  outer.pos = end;
}
