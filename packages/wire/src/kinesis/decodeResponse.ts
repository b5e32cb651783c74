import type { WireOperation } from './requestShapes';
import { dateOf } from './timestamps';
import { WireShapeError } from './WireShapeError';

// The outputs of the four operations, shaped exactly as @aws-sdk/client-kinesis returns them
// from its JSON protocol: `Data` a plain Uint8Array, `ApproximateArrivalTimestamp` a Date,
// absent members absent (a CBOR null is absent too), members the model does not know skipped.

type Kind = 'string' | 'number' | 'timestamp' | 'blob' | 'strings' | Shape | readonly [Shape];
interface Shape {
  readonly [member: string]: Kind;
}

const RECORD: Shape = { SequenceNumber: 'string', ApproximateArrivalTimestamp: 'timestamp', Data: 'blob', PartitionKey: 'string', EncryptionType: 'string' };
const CHILD_SHARD: Shape = { ShardId: 'string', ParentShards: 'strings', HashKeyRange: { StartingHashKey: 'string', EndingHashKey: 'string' } };
const PUT_RECORDS_RESULT_ENTRY: Shape = { SequenceNumber: 'string', ShardId: 'string', ErrorCode: 'string', ErrorMessage: 'string' };

const OUTPUT_SHAPES: Record<WireOperation, Shape> = {
  GetRecords: { Records: [RECORD], NextShardIterator: 'string', MillisBehindLatest: 'number', ChildShards: [CHILD_SHARD] },
  GetShardIterator: { ShardIterator: 'string' },
  PutRecord: { ShardId: 'string', SequenceNumber: 'string', EncryptionType: 'string' },
  PutRecords: { FailedRecordCount: 'number', Records: [PUT_RECORDS_RESULT_ENTRY], EncryptionType: 'string' },
};

/**
 * The SDK output (without `$metadata`) of a decoded CBOR answer. Lenient where local emulators
 * differ from AWS and the meaning is still certain: `Data` as a base64 text string (kinesalite and
 * kinesis-mock write their JSON value into CBOR), timestamps as untagged numbers or as seconds
 * (see {@link dateOf}).
 *
 * @throws WireShapeError when a member has a type its shape excludes.
 */
export function decodeResponse(operation: WireOperation, value: unknown): Record<string, unknown> {
  return structure(OUTPUT_SHAPES[operation], value, operation);
}

function structure(shape: Shape, value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) throw new WireShapeError(path, 'a map', value);
  const output: Record<string, unknown> = {};
  for (const name in value) {
    const kind = shape[name];
    const member = (value as Record<string, unknown>)[name];
    if (kind === undefined || member === null || member === undefined) continue;
    output[name] = convert(kind, member, path, name);
  }
  return output;
}

function convert(kind: Kind, value: unknown, path: string, name: string): unknown {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw new WireShapeError(`${path}.${name}`, 'a text string', value);
      return value;
    case 'number':
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      throw new WireShapeError(`${path}.${name}`, 'an integer', value);
    case 'timestamp':
      return dateOf(value, `${path}.${name}`);
    case 'blob':
      return blobOf(value, `${path}.${name}`);
    case 'strings':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new WireShapeError(`${path}.${name}`, 'an array of text strings', value);
      return value;
    default:
      if (Array.isArray(kind)) {
        if (!Array.isArray(value)) throw new WireShapeError(`${path}.${name}`, 'an array', value);
        const element = (kind as readonly [Shape])[0];
        const items = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) items[i] = structure(element, value[i], `${path}.${name}[${i}]`);
        return items;
      }
      return structure(kind as Shape, value, `${path}.${name}`);
  }
}

function blobOf(value: unknown, path: string): Uint8Array {
  // A plain Uint8Array, as the SDK's JSON path returns: a view on the answer's bytes, no copy.
  if (value instanceof Uint8Array) return value.constructor === Uint8Array ? value : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  throw new WireShapeError(path, 'a byte string', value);
}
