import type { Line } from './LineSplitter';

/** A record made of one or more consecutive lines. */
export interface AssembledRecord {
  /** The lines joined with `\n`, without a final `\n` (the record terminator is added when sending). */
  readonly data: Buffer;
  /** Offset of the first line's first byte. */
  readonly startOffset: number;
  /** Offset just after the last line: where a checkpoint goes once this record is acknowledged. */
  readonly endOffset: number;
  /** Longer than `maxRecordBytes` (or made of a truncated line): `data` holds its start only. */
  readonly truncated: boolean;
  readonly lineCount: number;
}

/**
 * Groups lines into records. Without a start pattern every line is a record. With one (the
 * agent's `multiLineStartPattern`), a record starts at a line the pattern matches at its start
 * and takes every following line up to the next such line: a stack trace stays with its log
 * line. Lines before the first match form a record of their own (they are not dropped). The
 * last record is complete only when the next one starts, so it is held until then or until
 * {@link flush}.
 */
export class MultiLineAssembler {
  readonly #startPattern: RegExp | undefined;
  readonly #maxRecordBytes: number;
  #lines: Line[] = [];
  #bytes = 0;
  #truncated = false;

  /**
   * @param startPattern - matched at the start of each line (`^` is implied); undefined: one line per record.
   * @param maxRecordBytes - the longest record kept whole; longer ones are cut and marked `truncated`.
   */
  constructor(startPattern: RegExp | undefined, maxRecordBytes = 1024 * 1024) {
    this.#startPattern = startPattern === undefined ? undefined : anchored(startPattern);
    this.#maxRecordBytes = maxRecordBytes;
  }

  /** Whether lines are held for a record that is not complete yet. */
  get pending(): boolean {
    return this.#lines.length > 0;
  }

  /** Offset of the first held line (where a restart must read again from), if any. */
  get pendingStartOffset(): number | undefined {
    return this.#lines[0]?.startOffset;
  }

  /** Takes the next line; returns the record it completes, if any. */
  push(line: Line): AssembledRecord | undefined {
    if (this.#startPattern === undefined) {
      return { data: line.bytes, startOffset: line.startOffset, endOffset: line.endOffset, truncated: line.truncated, lineCount: 1 };
    }
    const startsRecord = this.#startPattern.test(line.bytes.toString('utf8'));
    const completed = startsRecord && this.#lines.length > 0 ? this.flush() : undefined;
    this.#add(line);
    return completed;
  }

  /** Ends the record in progress (end of input, rotation, `--once`): returns it, if any. */
  flush(): AssembledRecord | undefined {
    const lines = this.#lines;
    if (lines.length === 0) return undefined;
    const parts: Buffer[] = [];
    let size = 0;
    for (const [index, line] of lines.entries()) {
      const part = index === 0 ? line.bytes : Buffer.concat([NEWLINE, line.bytes]);
      const room = this.#maxRecordBytes - size;
      if (room <= 0) break;
      parts.push(part.length > room ? part.subarray(0, room) : part);
      size += Math.min(part.length, room);
    }
    const record = {
      data: Buffer.concat(parts, size),
      startOffset: lines[0]!.startOffset,
      endOffset: lines[lines.length - 1]!.endOffset,
      truncated: this.#truncated,
      lineCount: lines.length,
    };
    this.#lines = [];
    this.#bytes = 0;
    this.#truncated = false;
    return record;
  }

  #add(line: Line): void {
    const added = line.bytes.length + (this.#lines.length > 0 ? 1 : 0);
    if (line.truncated || this.#bytes + added > this.#maxRecordBytes) this.#truncated = true;
    // Past the limit only the offsets matter: keep the line without its bytes.
    const keep = this.#bytes >= this.#maxRecordBytes ? { ...line, bytes: EMPTY } : line;
    this.#lines.push(keep);
    this.#bytes += added;
  }
}

const NEWLINE = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

function anchored(pattern: RegExp): RegExp {
  // The agent matches with Java's lookingAt(): at the start of the line, not the whole line.
  const flags = pattern.flags.replace(/[gy]/g, '');
  return new RegExp(`^(?:${pattern.source})`, flags);
}
