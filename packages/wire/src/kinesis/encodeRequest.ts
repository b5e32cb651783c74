import { CborWriter } from '../cbor/CborWriter';
import { PUT_RECORDS_ENTRY, REQUEST_SHAPES, type MemberKind, type RequestShape, type WireOperation } from './requestShapes';

// Room for a record's head, keys and partition key beyond its data, so that a PutRecords of
// megabytes is written in one allocation.
const BYTES_PER_ENTRY = 340;
const BASE_BYTES = 256;

/** Thrown inside the encoder when a value has no CBOR form here; the caller sends JSON instead. */
class NotEncodable extends Error {}

/**
 * The CBOR body of a request, byte for byte as the AWS SDK for Java sends it — or `undefined`
 * when the input holds something this encoder does not know how to write exactly (a member the
 * SDK added after this package, `Data` given as a string, a timestamp that is not a `Date` or a
 * number, a string with a lone surrogate, which Java and JSON would write differently): the
 * caller then lets the SDK send that one request as JSON, so an odd input never changes meaning.
 *
 * Values as the SDK takes them: strings, integers, booleans, `Data` as a `Uint8Array` (a
 * `Buffer` is one), `Timestamp` as a `Date` or as epoch seconds (the SDK's reading of a number).
 */
export function encodeRequest(operation: WireOperation, input: object): Uint8Array | undefined {
  const shape: RequestShape = REQUEST_SHAPES[operation];
  try {
    const writer = new CborWriter(expectedSize(input));
    writeStructure(writer, shape, input as Record<string, unknown>);
    return writer.bytes();
  } catch (error) {
    if (error instanceof NotEncodable) return undefined;
    throw error;
  }
}

function writeStructure(writer: CborWriter, shape: RequestShape, value: Record<string, unknown>): void {
  let known = 0;
  writer.startMap();
  for (const [name, kind] of shape) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    known++;
    writer.text(name);
    writeMember(writer, kind, member);
  }
  writer.end();
  // A member we do not know (a newer SDK's) must not be dropped silently.
  let present = 0;
  for (const name of Object.keys(value)) if (value[name] !== undefined && value[name] !== null) present++;
  if (present !== known) throw new NotEncodable();
}

function writeMember(writer: CborWriter, kind: MemberKind, value: unknown): void {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string' || !value.isWellFormed()) throw new NotEncodable();
      writer.text(value);
      return;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new NotEncodable();
      writer.unsigned(value);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') throw new NotEncodable();
      writer.boolean(value);
      return;
    case 'blob':
      if (!(value instanceof Uint8Array)) throw new NotEncodable();
      writer.bytesValue(value);
      return;
    case 'timestamp':
      writer.epochMillis(epochMillisOf(value));
      return;
    case 'records':
      if (!Array.isArray(value)) throw new NotEncodable();
      writer.startArray();
      for (const entry of value) {
        if (entry === null || typeof entry !== 'object') throw new NotEncodable();
        writeStructure(writer, PUT_RECORDS_ENTRY, entry as Record<string, unknown>);
      }
      writer.end();
      return;
  }
}

function epochMillisOf(value: unknown): number {
  // The SDK reads a number as epoch seconds and sends it with millisecond precision.
  const millis = value instanceof Date ? value.getTime() : typeof value === 'number' ? Math.round(value * 1000) : Number.NaN;
  if (!Number.isSafeInteger(millis) || millis < 0) throw new NotEncodable();
  return millis;
}

function expectedSize(input: object): number {
  const { Records: records, Data: data } = input as { Records?: unknown; Data?: unknown };
  let bytes = BASE_BYTES + (data instanceof Uint8Array ? data.byteLength : 0);
  if (Array.isArray(records)) {
    for (const entry of records as { Data?: unknown }[]) bytes += BYTES_PER_ENTRY + (entry?.Data instanceof Uint8Array ? entry.Data.byteLength : 0);
  }
  return bytes;
}
