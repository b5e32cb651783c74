import { CorruptAggregateError } from './CorruptAggregateError';

/** Wire types of the protobuf encoding. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
  StartGroup = 3,
  EndGroup = 4,
  Fixed32 = 5,
}

/**
 * A minimal forward-only protobuf reader over a byte range, enough for the aggregation format:
 * varints, length-delimited fields and skipping of unknown fields. Every read is bounds-checked
 * and throws {@link CorruptAggregateError} rather than reading past `end`.
 */
export class ProtobufReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * Reads a varint of up to 10 bytes (any uint64). Values above 2^53 lose precision, which is
   * harmless here: indices and lengths that large are out of range and rejected by the caller.
   */
  varint(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos >= this.end) throw new CorruptAggregateError('truncated varint');
    let byte = bytes[pos++]!;
    if (byte < 0x80) {
      this.pos = pos;
      return byte;
    }
    let value = byte & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 10; i++) {
      if (pos >= this.end) throw new CorruptAggregateError('truncated varint');
      byte = bytes[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (i === 9 && byte > 1) break; // a tenth byte may only carry bit 63
        this.pos = pos;
        return value;
      }
      scale *= 0x80;
    }
    throw new CorruptAggregateError('varint longer than 64 bits');
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthDelimitedEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new CorruptAggregateError(`length ${length} runs past the end of the message`);
    return end;
  }

  /** Skips a field of an unknown number (`tag` is its whole tag: field number and wire type). */
  skip(tag: number): void {
    const wireType = tag & 7;
    switch (wireType) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.advance(8);
        return;
      case WireType.LengthDelimited:
        this.pos = this.lengthDelimitedEnd();
        return;
      case WireType.Fixed32:
        this.advance(4);
        return;
      case WireType.StartGroup:
        this.skipGroup(Math.floor(tag / 8));
        return;
      default:
        throw new CorruptAggregateError(`unsupported wire type ${wireType}`);
    }
  }

  /** Skips a (deprecated) group up to the end-group tag of the same field number. */
  private skipGroup(field: number): void {
    for (;;) {
      const tag = this.varint();
      if ((tag & 7) === WireType.EndGroup) {
        if (Math.floor(tag / 8) !== field) throw new CorruptAggregateError(`group ${field} closed by end-group ${Math.floor(tag / 8)}`);
        return;
      }
      this.skip(tag);
    }
  }

  private advance(count: number): void {
    if (this.pos + count > this.end) throw new CorruptAggregateError('truncated fixed-width field');
    this.pos += count;
  }
}
