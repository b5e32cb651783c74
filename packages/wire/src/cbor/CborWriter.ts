// The CBOR (RFC 8949) a Kinesis request is made of, written as the AWS SDK for Java writes it.
// The Java SDK marshals through Jackson's CBORGenerator (`SdkJsonGenerator`/`SdkCborGenerator`):
// - structures and lists are indefinite-length (`writeStartObject()` → 0xBF … 0xFF,
//   `writeStartArray()` → 0x9F … 0xFF), since it never passes a size;
// - text and byte strings are definite-length, their length in the shortest head;
// - integers take the shortest head (Jackson's WRITE_MINIMAL_INTS, on by default);
// - a timestamp is tag 1 followed by epoch MILLISECONDS as an integer (`writeTag(1)` then
//   `writeNumber(instant.toEpochMilli())`) — not the seconds RFC 8949 puts under tag 1.
// Neither CBOR library we compared (cbor-x, @smithy/core's codec) emits indefinite-length maps
// from plain values, and a request is a handful of these items, so this writer emits them itself.

const MAJOR_UNSIGNED = 0;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_TAG = 6;
const INDEFINITE_ARRAY = 0x9f;
const INDEFINITE_MAP = 0xbf;
const BREAK = 0xff;
const FALSE = 0xf4;
const TRUE = 0xf5;
/** Tag 1: epoch-based date/time (RFC 8949 §3.4.2); AWS puts milliseconds under it. */
export const TAG_EPOCH_DATE_TIME = 1;

/**
 * Appends CBOR items to one growing buffer. Callers pass `expectedBytes` (a good guess of the
 * final size) so that a PutRecords of megabytes is written without a regrowth.
 */
export class CborWriter {
  #buffer: Buffer;
  #length = 0;

  constructor(expectedBytes = 256) {
    this.#buffer = Buffer.allocUnsafe(Math.max(16, expectedBytes));
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer.buffer, this.#buffer.byteOffset, this.#length);
  }

  startMap(): this {
    this.#room(1);
    this.#buffer[this.#length++] = INDEFINITE_MAP;
    return this;
  }

  startArray(): this {
    this.#room(1);
    this.#buffer[this.#length++] = INDEFINITE_ARRAY;
    return this;
  }

  /** Closes the innermost indefinite-length map or array. */
  end(): this {
    this.#room(1);
    this.#buffer[this.#length++] = BREAK;
    return this;
  }

  /** A UTF-8 text string (also a map key). The caller ensures it is well formed. */
  text(value: string): this {
    const byteLength = value.length < 24 && isAscii(value) ? value.length : Buffer.byteLength(value, 'utf8');
    this.#head(MAJOR_TEXT, byteLength);
    this.#room(byteLength);
    this.#length += this.#buffer.write(value, this.#length, byteLength, 'utf8');
    return this;
  }

  bytesValue(value: Uint8Array): this {
    this.#head(MAJOR_BYTES, value.byteLength);
    this.#room(value.byteLength);
    this.#buffer.set(value, this.#length);
    this.#length += value.byteLength;
    return this;
  }

  /** A non-negative integer up to 2^53 − 1 (the only kind Kinesis requests carry). */
  unsigned(value: number): this {
    this.#head(MAJOR_UNSIGNED, value);
    return this;
  }

  boolean(value: boolean): this {
    this.#room(1);
    this.#buffer[this.#length++] = value ? TRUE : FALSE;
    return this;
  }

  /** A timestamp as the Java SDK writes it: tag 1, then epoch milliseconds. */
  epochMillis(value: number): this {
    this.#head(MAJOR_TAG, TAG_EPOCH_DATE_TIME);
    this.#head(MAJOR_UNSIGNED, value);
    return this;
  }

  /** An item head with the shortest argument (RFC 8949 §3.1). */
  #head(major: number, argument: number): void {
    this.#room(9);
    const buffer = this.#buffer;
    const type = major << 5;
    if (argument < 24) {
      buffer[this.#length++] = type | argument;
    } else if (argument < 0x100) {
      buffer[this.#length++] = type | 24;
      buffer[this.#length++] = argument;
    } else if (argument < 0x10000) {
      buffer[this.#length++] = type | 25;
      buffer.writeUInt16BE(argument, this.#length);
      this.#length += 2;
    } else if (argument < 0x100000000) {
      buffer[this.#length++] = type | 26;
      buffer.writeUInt32BE(argument, this.#length);
      this.#length += 4;
    } else {
      buffer[this.#length++] = type | 27;
      buffer.writeUInt32BE(Math.floor(argument / 0x100000000), this.#length);
      buffer.writeUInt32BE(argument % 0x100000000, this.#length + 4);
      this.#length += 8;
    }
  }

  #room(bytes: number): void {
    if (this.#length + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + bytes));
    this.#buffer.copy(grown, 0, 0, this.#length);
    this.#buffer = grown;
  }
}

function isAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return false;
  return true;
}
