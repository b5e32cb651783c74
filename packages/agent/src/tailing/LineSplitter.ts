/** One line cut from a byte stream, without its `\n`. */
export interface Line {
  /** The line's bytes, without the `\n` (a `\r` before it stays: the agent keeps it too). */
  readonly bytes: Buffer;
  /** Offset of the line's first byte in the source. */
  readonly startOffset: number;
  /** Offset just after the line's `\n` (or its last byte, for a line ended by {@link LineSplitter.end}). */
  readonly endOffset: number;
  /** The line was longer than `maxLineBytes`: `bytes` holds its first `maxLineBytes` bytes only. */
  readonly truncated: boolean;
}

const NEWLINE = 0x0a;

/**
 * Cuts a byte stream (a tailed file read in chunks, or stdin) into `\n`-terminated lines and
 * says where each one starts and ends, so that a checkpoint can point just after the last line
 * that was sent. A partial last line is held until its `\n` arrives — or until {@link end}
 * (end of input, or the file was rotated away). Memory stays bounded: of a line longer than
 * `maxLineBytes` only the first `maxLineBytes` bytes are kept, and the line is marked
 * `truncated` (as the Kinesis Agent truncates records over the record size limit).
 */
export class LineSplitter {
  readonly #maxLineBytes: number;
  #offset: number;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  #partialStart: number;
  #partialTruncated = false;

  /**
   * @param startOffset - where in the source the first chunk begins.
   * @param maxLineBytes - the longest line kept whole.
   */
  constructor(startOffset = 0, maxLineBytes = 1024 * 1024) {
    if (!Number.isSafeInteger(startOffset) || startOffset < 0) throw new TypeError(`startOffset: expected an integer ≥ 0, got ${startOffset}`);
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) throw new TypeError(`maxLineBytes: expected an integer ≥ 1, got ${maxLineBytes}`);
    this.#offset = startOffset;
    this.#partialStart = startOffset;
    this.#maxLineBytes = maxLineBytes;
  }

  /** Offset just after the last byte pushed. */
  get offset(): number {
    return this.#offset;
  }

  /** Bytes of an unfinished line pushed but not yet returned (past `maxLineBytes`, also those dropped). */
  get pendingBytes(): number {
    return this.#offset - this.#partialStart;
  }

  /** Takes the next chunk of the source; returns every line it completes, in order. */
  push(chunk: Buffer): Line[] {
    const lines: Line[] = [];
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, from);
      if (newline < 0) break;
      this.#keep(chunk.subarray(from, newline));
      const endOffset = this.#offset + newline + 1;
      lines.push(this.#takePartial(endOffset));
      from = newline + 1;
    }
    this.#keep(chunk.subarray(from));
    this.#offset += chunk.length;
    return lines;
  }

  /** Ends the input: returns the partial last line, if there is one, as a complete line. */
  end(): Line | undefined {
    if (this.pendingBytes === 0) return undefined;
    return this.#takePartial(this.#offset);
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const room = this.#maxLineBytes - this.#partialBytes;
    if (bytes.length > room) this.#partialTruncated = true;
    const kept = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (kept.length === 0) return;
    // Copy: the caller may reuse its read buffer for the next chunk.
    this.#partial.push(Buffer.from(kept));
    this.#partialBytes += kept.length;
  }

  #takePartial(endOffset: number): Line {
    const bytes = this.#partial.length === 1 ? this.#partial[0]! : Buffer.concat(this.#partial, this.#partialBytes);
    const line = { bytes, startOffset: this.#partialStart, endOffset, truncated: this.#partialTruncated };
    this.#partial = [];
    this.#partialBytes = 0;
    this.#partialStart = endOffset;
    this.#partialTruncated = false;
    return line;
  }
}
