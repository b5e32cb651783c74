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

/** The largest tag: field number 2^29 − 1 (protobuf's largest) with wire type 7. */
const MAX_TAG = 0xffff_ffff;

/**
 * A minimal forward-only protobuf reader over a byte range, enough for the aggregation format:
 * tags, varints, length-delimited fields and skipping of unknown fields. Every read is
 * bounds-checked and throws {@link CorruptAggregateError} rather than reading past `end`.
 *
 * Nothing here recurses on what the bytes say: nested groups are skipped with an explicit stack,
 * so any input — 10,000 bytes of start-group tags included — costs work and memory linear in its
 * length and ends in a value or a {@link CorruptAggregateError}, never a stack overflow.
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
   * Reads a field's tag: a varint holding a field number of at least 1 and a wire type. Field
   * number 0 and tags beyond 32 bits are not protobuf (protobuf-java, which the KCL decodes with,
   * rejects them too).
   */
  tag(): number {
    const tag = this.varint();
    if (tag < 8 || tag > MAX_TAG) throw new CorruptAggregateError(`invalid tag ${tag} at offset ${this.pos}`);
    return tag;
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
    if (length > this.end - this.pos) throw new CorruptAggregateError(`length ${length} runs past the end of the message`);
    return this.pos + length;
  }

  /**
   * Skips a field of an unknown number, `tag` being its whole tag (field number and wire type).
   * A start-group tag skips everything up to its matching end-group tag, however deeply groups
   * nest inside it: the open groups are kept on a stack of field numbers, not on the call stack.
   */
  skip(tag: number): void {
    let openGroups: number[] | undefined;
    for (;;) {
      const wireType = tag & 7;
      switch (wireType) {
        case WireType.Varint:
          this.varint();
          break;
        case WireType.Fixed64:
          this.#advance(8);
          break;
        case WireType.LengthDelimited:
          this.pos = this.lengthDelimitedEnd();
          break;
        case WireType.Fixed32:
          this.#advance(4);
          break;
        case WireType.StartGroup:
          (openGroups ??= []).push(tag >>> 3);
          break;
        case WireType.EndGroup: {
          const open = openGroups?.pop();
          if (open === undefined) throw new CorruptAggregateError(`end-group ${tag >>> 3} without a start-group`);
          if (open !== tag >>> 3) throw new CorruptAggregateError(`group ${open} closed by end-group ${tag >>> 3}`);
          break;
        }
        default:
          throw new CorruptAggregateError(`unsupported wire type ${wireType}`);
      }
      if (openGroups === undefined || openGroups.length === 0) return;
      tag = this.tag();
    }
  }

  #advance(count: number): void {
    if (count > this.end - this.pos) throw new CorruptAggregateError('truncated fixed-width field');
    this.pos += count;
  }
}
