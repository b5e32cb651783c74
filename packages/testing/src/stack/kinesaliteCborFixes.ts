// kinesalite reads CBOR requests (`application/x-amz-cbor-1.1`, what the AWS SDK for Java and
// @kinesis-toolkit/wire send) but keeps three bugs on that path, which AWS does not have:
// 1. a blob arrives as a Buffer and is stored through kinesalite's JSON store as
//    `{"type":"Buffer","data":[…]}`, so a record written in CBOR comes back corrupt in either
//    protocol (kinesalite issue #101, its PR #111 — open, unmerged — converts it to base64);
// 2. node-cbor turns a tag-1 timestamp (GetShardIterator `Timestamp`) into a Date, which
//    kinesalite's type check rejects with a SerializationException; AWS reads epoch milliseconds
//    under tag 1 (the Java SDK writes `toEpochMilli()` there);
// 3. its answers are encoded with node-cbor 5's `Encoder.encodeOne`, which pipes into a buffer
//    with the default high-water mark and reads it synchronously: an answer past ~64 KiB (any
//    real GetRecords page) comes back truncated, undecodable.
// And one difference: its CBOR GetRecords answers carry `Data` as the base64 text its JSON holds,
// where AWS sends a byte string (blobs as bytes is what CBOR is for), so a CBOR client would
// still pay for base64 here and nowhere else.
// The fixes hook the one function every request's members pass through (a Buffer becomes the
// base64 text a JSON request would have carried, a Date the epoch seconds; JSON requests hold
// neither, so they are untouched) and `encodeOne`, which answers CBOR requests only: a high-water
// mark no answer reaches, and records' `Data` as bytes.

const FIXED = Symbol.for('@kinesis-toolkit/testing kinesalite CBOR fixes');

interface Validations {
  checkTypes(data: unknown, types: unknown): unknown;
  [FIXED]?: true;
}

/** node-cbor's Encoder class, as kinesalite uses it. */
export interface NodeCborEncoder {
  encodeOne(value: unknown, options?: Record<string, unknown>): Buffer;
  [FIXED]?: true;
}

// Larger than any answer kinesalite can make (its requests are capped at 7 MiB, a page at 10,000 records).
const ENCODE_HIGH_WATER_MARK = 1024 * 1024 * 1024;

/** Applies the fixes to kinesalite's `validations` module and to the node-cbor Encoder it answers with (idempotent). */
export function applyKinesaliteCborFixes(validations: Validations, encoder: NodeCborEncoder): void {
  if (!validations[FIXED]) {
    const checkTypes = validations.checkTypes.bind(validations);
    validations.checkTypes = (data: unknown, types: unknown) => checkTypes(asJsonValues(data), types);
    validations[FIXED] = true;
  }
  if (!encoder[FIXED]) {
    const encodeOne = encoder.encodeOne.bind(encoder);
    encoder.encodeOne = (value, options) => encodeOne(withBlobsAsBytes(value), { highWaterMark: ENCODE_HIGH_WATER_MARK, ...options });
    encoder[FIXED] = true;
  }
}

// A GetRecords answer's records with `Data` as bytes, as AWS answers in CBOR; anything else as is.
function withBlobsAsBytes(value: unknown): unknown {
  const records = (value as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records) || !records.some((record) => typeof (record as { Data?: unknown } | null)?.Data === 'string')) return value;
  return {
    ...(value as object),
    Records: records.map((record: { Data?: unknown }) => (typeof record?.Data === 'string' ? { ...record, Data: Buffer.from(record.Data, 'base64') } : record)),
  };
}

function asJsonValues(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  // node-cbor made `new Date(tagValue * 1000)`; AWS's tag value is milliseconds.
  if (value instanceof Date) return value.getTime() / 1_000_000;
  if (Array.isArray(value)) return value.map(asJsonValues);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, member]) => [key, asJsonValues(member)]));
  }
  return value;
}
