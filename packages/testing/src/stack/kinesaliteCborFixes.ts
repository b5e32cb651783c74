// kinesalite reads CBOR requests (`application/x-amz-cbor-1.1`, what the AWS SDK for Java and
// @kinesis-toolkit/wire send) but keeps two bugs on that path, which AWS does not have:
// 1. a blob arrives as a Buffer and is stored through kinesalite's JSON store as
//    `{"type":"Buffer","data":[…]}`, so a record written in CBOR comes back corrupt in either
//    protocol (kinesalite issue #101, its PR #111 — open, unmerged — converts it to base64);
// 2. node-cbor turns a tag-1 timestamp (GetShardIterator `Timestamp`) into a Date, which
//    kinesalite's type check rejects with a SerializationException; AWS reads epoch milliseconds
//    under tag 1 (the Java SDK writes `toEpochMilli()` there).
// The fix hooks the one function every request's members pass through: a Buffer becomes the
// base64 text a JSON request would have carried, a Date the epoch seconds. JSON requests hold
// neither, so they are untouched.

const FIXED = Symbol.for('@kinesis-toolkit/testing kinesalite CBOR fixes');

interface Validations {
  checkTypes(data: unknown, types: unknown): unknown;
  [FIXED]?: true;
}

/** Applies the two fixes to kinesalite's `validations` module (idempotent). */
export function applyKinesaliteCborFixes(validations: Validations): void {
  if (validations[FIXED]) return;
  const checkTypes = validations.checkTypes.bind(validations);
  validations.checkTypes = (data: unknown, types: unknown) => checkTypes(asJsonValues(data), types);
  validations[FIXED] = true;
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
