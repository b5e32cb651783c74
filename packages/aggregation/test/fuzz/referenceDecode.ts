/**
 * An independent reference decoder of the aggregated-record format, for differential fuzzing of
 * `deaggregate`: written for clarity (a plain field list per message, groups on a stack), sharing
 * no code with the package. It states what "the exact sub-records" of any bytes are:
 *
 * - no magic: a plain record; magic but shorter than magic + MD5, or an MD5 that does not match: corrupt;
 * - otherwise the body must be well-formed protobuf — tags with a field number ≥ 1 that fit 32 bits,
 *   wire types 0, 1, 2, 3, 4 or 5, varints of at most 64 bits, lengths inside their message, groups
 *   closed by the end-group of their own field — at the top level and inside every record;
 * - fields the schema does not know, or with another wire type than the schema's, are skipped (as
 *   protobuf-java does); repeated scalars keep the last value;
 * - every record needs `partition_key_index` and `data`, indexes must fall inside their tables, and
 *   there must be at least one record.
 */
import { createHash } from 'node:crypto';

export const MAGIC = Buffer.from([0xf3, 0x89, 0x9a, 0xc2]);
const MD5_BYTES = 16;

/** A sub-record as the reference decodes it. */
export interface ReferenceRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Buffer;
}

/** What `deaggregate` must return for some bytes. */
export type ExpectedOutcome =
  | { readonly format: 'plain' }
  | { readonly format: 'corrupt' }
  | { readonly format: 'aggregated'; readonly records: readonly ReferenceRecord[] };

/** One field of a message: where its tag starts, its number, wire type and value. */
export interface ReferenceField {
  readonly tagStart: number;
  readonly field: number;
  readonly wireType: number;
  /** Varint fields (2^53 and above read as Infinity: such values only ever compare as too large). */
  readonly value?: number;
  /** Length-delimited fields: the payload's range. */
  readonly start?: number;
  readonly end?: number;
}

/**
 * A varint of at most 64 bits. Its value is exact below 2^53 and Infinity from there on: every
 * value the format uses (tags, lengths, indexes) is compared with something smaller than 2^32.
 */
function readVarint(bytes: Uint8Array, pos: number, end: number): { value: number; pos: number } | undefined {
  let value = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) return undefined;
    const byte = bytes[pos++]!;
    if (i === 9 && byte > 1) return undefined; // bits beyond 64
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value: value >= 2 ** 53 ? Infinity : value, pos };
  }
  return undefined;
}

/**
 * The fields of the message in `bytes[start, end)` at its own level (groups are skipped whole), or
 * undefined when it is not well-formed protobuf.
 */
export function parseFields(bytes: Uint8Array, start: number, end: number): ReferenceField[] | undefined {
  const fields: ReferenceField[] = [];
  const openGroups: number[] = [];
  let pos = start;
  while (pos < end) {
    const tagStart = pos;
    const tag = readVarint(bytes, pos, end);
    if (tag === undefined || tag.value < 8 || tag.value > 0xffffffff) return undefined;
    pos = tag.pos;
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    const atTop = openGroups.length === 0;
    if (wireType === 0) {
      const value = readVarint(bytes, pos, end);
      if (value === undefined) return undefined;
      pos = value.pos;
      if (atTop) fields.push({ tagStart, field, wireType, value: value.value });
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (end - pos < size) return undefined;
      pos += size;
      if (atTop) fields.push({ tagStart, field, wireType });
    } else if (wireType === 2) {
      const length = readVarint(bytes, pos, end);
      if (length === undefined || length.value > end - length.pos) return undefined;
      const payloadEnd = length.pos + Number(length.value);
      if (atTop) fields.push({ tagStart, field, wireType, start: length.pos, end: payloadEnd });
      pos = payloadEnd;
    } else if (wireType === 3) {
      if (atTop) fields.push({ tagStart, field, wireType });
      openGroups.push(field);
    } else if (wireType === 4) {
      if (openGroups.pop() !== field) return undefined;
    } else {
      return undefined;
    }
  }
  return openGroups.length === 0 ? fields : undefined;
}

/** The sub-records of an aggregate's protobuf body, or undefined when it is not a valid aggregate. */
export function referenceDecode(body: Uint8Array): ReferenceRecord[] | undefined {
  const top = parseFields(body, 0, body.length);
  if (top === undefined) return undefined;
  const partitionKeys: string[] = [];
  const explicitHashKeys: string[] = [];
  const raw: { keyIndex: number; hashKeyIndex: number | undefined; data: Buffer }[] = [];
  for (const field of top) {
    if (field.wireType !== 2) continue;
    const payload = Buffer.from(body.subarray(field.start, field.end));
    if (field.field === 1) partitionKeys.push(payload.toString('utf8'));
    else if (field.field === 2) explicitHashKeys.push(payload.toString('utf8'));
    else if (field.field === 3) {
      const inner = parseFields(body, field.start!, field.end!);
      if (inner === undefined) return undefined;
      let keyIndex: number | undefined;
      let hashKeyIndex: number | undefined;
      let data: Buffer | undefined;
      for (const part of inner) {
        if (part.field === 1 && part.wireType === 0) keyIndex = part.value;
        else if (part.field === 2 && part.wireType === 0) hashKeyIndex = part.value;
        else if (part.field === 3 && part.wireType === 2) data = Buffer.from(body.subarray(part.start, part.end));
      }
      if (keyIndex === undefined || data === undefined) return undefined;
      raw.push({ keyIndex, hashKeyIndex, data });
    }
  }
  if (raw.length === 0) return undefined;
  const records: ReferenceRecord[] = [];
  for (const { keyIndex, hashKeyIndex, data } of raw) {
    if (keyIndex >= partitionKeys.length) return undefined;
    if (hashKeyIndex !== undefined && hashKeyIndex >= explicitHashKeys.length) return undefined;
    records.push({
      partitionKey: partitionKeys[keyIndex]!,
      explicitHashKey: hashKeyIndex === undefined ? undefined : explicitHashKeys[hashKeyIndex]!,
      data,
    });
  }
  return records;
}

/** What `deaggregate` must make of a Kinesis record's bytes. */
export function expectedOutcome(bytes: Uint8Array): ExpectedOutcome {
  if (bytes.length < MAGIC.length || !MAGIC.equals(bytes.subarray(0, MAGIC.length))) return { format: 'plain' };
  if (bytes.length < MAGIC.length + MD5_BYTES) return { format: 'corrupt' };
  const body = bytes.subarray(MAGIC.length, bytes.length - MD5_BYTES);
  if (!md5(body).equals(bytes.subarray(bytes.length - MD5_BYTES))) return { format: 'corrupt' };
  const records = referenceDecode(body);
  return records === undefined ? { format: 'corrupt' } : { format: 'aggregated', records };
}

export function md5(bytes: Uint8Array): Buffer {
  return createHash('md5').update(bytes).digest();
}

/** magic ‖ body ‖ MD5(body). */
export function frame(body: Uint8Array): Buffer {
  return Buffer.concat([MAGIC, body, md5(body)]);
}
