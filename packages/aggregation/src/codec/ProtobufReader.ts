import { CorruptAggregateError } from './CorruptAggregateError';

/** Wire types of the protobuf encoding. */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  LengthDelimited = 2,
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

  /** Reads a varint below 2^53 (all this format needs: indices and lengths). */
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
    for (let i = 1; i < 8; i++) {
      if (pos >= this.end) throw new CorruptAggregateError('truncated varint');
      byte = bytes[pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        this.pos = pos;
        return value;
      }
      scale *= 0x80;
    }
    throw new CorruptAggregateError('varint larger than 2^53');
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthDelimitedEnd(): number {
    const length = this.varint();
    const end = this.pos + length;
    if (end > this.end) throw new CorruptAggregateError(`length ${length} runs past the end of the message`);
    return end;
  }

  /** Skips a field of an unknown number. */
  skip(wireType: number): void {
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
      default:
        throw new CorruptAggregateError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(count: number): void {
    if (this.pos + count > this.end) throw new CorruptAggregateError('truncated fixed-width field');
    this.pos += count;
  }
}
