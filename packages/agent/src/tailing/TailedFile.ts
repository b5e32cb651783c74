import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { FileCheckpoint } from '../checkpoint/CheckpointFile';
import type { ListedFile } from './GlobLister';
import { LineSplitter, type Line } from './LineSplitter';
import { MultiLineAssembler, type AssembledRecord } from './MultiLineAssembler';
import { OffsetTracker } from './OffsetTracker';
import type { RecordSink } from '../pipeline/SourceRecord';

/** How a {@link TailedFile} cuts and hands on records. */
export interface TailedFileOptions {
  readonly maxRecordBytes: number;
  readonly multiLineStartPattern: RegExp | undefined;
  /** Lines skipped at the start of the file (a CSV header), when reading from offset 0. */
  readonly skipHeaderLines: number;
  /**
   * A line it matches (after the header lines) is the file's footer: not sent, and the file ends
   * there (the agent's `fileFooterPattern`). Undefined: no footer.
   */
  readonly fileFooterPattern?: RegExp | undefined;
  readonly readChunkBytes: number;
  readonly emit: RecordSink;
  /** Resolves when the sender has room for more records (backpressure). */
  readonly waitForRoom: () => Promise<void>;
}

/** Where to start reading a file first seen. */
export type StartPosition = { readonly kind: 'start' } | { readonly kind: 'end' } | { readonly kind: 'checkpoint'; readonly checkpoint: FileCheckpoint };

/** What one poll of a file found. */
export interface PollResult {
  readonly bytesRead: number;
  /** The file was truncated or rewritten in place (copytruncate): reading restarted at 0. */
  readonly restarted: boolean;
}

// Enough bytes to tell two files apart by their start (a timestamp, a header), little to read.
const HEAD_BYTES = 128;
// How far back a restart looks for the footer line just before a checkpoint (footers are short).
const FOOTER_LOOKBACK_BYTES = 64 * 1024;

/**
 * One file being tailed, named by device + inode and read through an open handle — so that
 * after a rename rotation the old file is still read to its end under its new name (or after
 * it was deleted). Each poll detects truncation (size below the read position, or the first
 * bytes changed: `copytruncate`, or a file rewritten in place) and then restarts at 0, as the
 * agent does; reads what was appended, cuts it into lines and records, and hands them on with
 * a callback that tracks acknowledgements for the checkpoint.
 */
export class TailedFile {
  readonly key: string;
  readonly dev: string;
  readonly ino: string;
  path: string;
  /** No longer listed under any matching path (renamed away or deleted): read to its end, then dropped. */
  gone = false;
  /** Every byte was handed on (including a partial last line, once gone): nothing more will come. */
  finished = false;
  /** Offset just after the file's footer line, once one was read (the file is then finished). */
  footerEndOffset: number | undefined;
  readonly #handle: FileHandle;
  readonly #options: TailedFileOptions;
  #splitter!: LineSplitter;
  #assembler!: MultiLineAssembler;
  #tracker!: OffsetTracker;
  #headerLinesLeft = 0;
  #head = { length: 0, sha256: sha256(Buffer.alloc(0)) };
  #size = 0;

  private constructor(listed: ListedFile, handle: FileHandle, options: TailedFileOptions) {
    this.key = `${listed.dev}:${listed.ino}`;
    this.dev = listed.dev;
    this.ino = listed.ino;
    this.path = listed.path;
    this.#handle = handle;
    this.#options = options;
  }

  /**
   * Opens a listed file and positions it: at 0, at the end of its last complete line, or at its
   * checkpoint — when the checkpoint is still about this file (same first bytes, not shorter
   * than the offset); otherwise at 0, since the file was replaced or truncated meanwhile.
   * @throws the `open` error (EACCES, EISDIR…).
   */
  static async open(listed: ListedFile, start: StartPosition, options: TailedFileOptions): Promise<{ file: TailedFile; resumed: boolean }> {
    const handle = await open(listed.path, 'r');
    const file = new TailedFile(listed, handle, options);
    try {
      const size = (await handle.stat()).size;
      let offset = 0;
      let resumed = false;
      if (start.kind === 'end') {
        offset = await file.#endOfLastLine(size);
      } else if (start.kind === 'checkpoint') {
        const { offset: saved, headLength, headSha256 } = start.checkpoint;
        resumed = size >= saved && size >= headLength && sha256(await file.#read(0, headLength)) === headSha256;
        offset = resumed ? saved : 0;
      }
      await file.#restart(offset, size);
      // A file checkpointed just after its footer ended in an earlier run: it stays ended.
      if (resumed && (await file.#footerEndsAt(offset))) file.#end(offset);
      return { file, resumed };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Offset just after the last record acknowledged (or dropped) with everything before it. */
  get committedOffset(): number {
    return this.#tracker.committedOffset;
  }

  /** Records handed on and not settled yet. */
  get unsettled(): number {
    return this.#tracker.unsettled;
  }

  /** Whether a record whose put failed holds this file's checkpoint (a restart sends it again). */
  get blocked(): boolean {
    return this.#tracker.blocked;
  }

  /** Whether everything up to the size last seen has been read. */
  get caughtUp(): boolean {
    return this.footerEndOffset !== undefined || this.#splitter.offset >= this.#size;
  }

  /** Bytes the file had after its footer line when it was last looked at (never read); 0 without a footer. */
  get bytesAfterFooter(): number {
    return this.footerEndOffset === undefined ? 0 : Math.max(0, this.#size - this.footerEndOffset);
  }

  /** Bytes of an incomplete last line (no `\n` yet) held back. */
  get pendingLineBytes(): number {
    return this.#splitter.pendingBytes;
  }

  /** The checkpoint of this file now. */
  checkpoint(): FileCheckpoint {
    return { path: this.path, dev: this.dev, ino: this.ino, offset: this.committedOffset, headLength: this.#head.length, headSha256: this.#head.sha256 };
  }

  /** Reads what was appended since the last poll (after checking for truncation) and hands its records on. */
  async poll(): Promise<PollResult> {
    const size = (await this.#handle.stat()).size;
    let restarted = false;
    if (size < this.#splitter.offset || !(await this.#sameHead(size))) {
      await this.#restart(0, size);
      restarted = true;
    }
    this.#size = size;
    let bytesRead = 0;
    while (this.#splitter.offset < size && this.footerEndOffset === undefined) {
      const chunk = await this.#read(this.#splitter.offset, Math.min(this.#options.readChunkBytes, size - this.#splitter.offset));
      if (chunk.length === 0) break;
      bytesRead += chunk.length;
      for (const line of this.#splitter.push(chunk)) {
        this.#takeLine(line);
        if (this.footerEndOffset !== undefined) break;
      }
      await this.#options.waitForRoom();
    }
    return { bytesRead, restarted };
  }

  /** Hands on the record in progress of a multi-line pattern (`--once`: nothing more is coming). */
  flushRecord(): void {
    const record = this.#assembler.flush();
    if (record !== undefined) this.#emit(record);
  }

  /** The file will not grow any more (rotated away, then idle): its partial last line counts as a line. */
  finish(): void {
    if (this.footerEndOffset !== undefined) return;
    const line = this.#splitter.end();
    if (line !== undefined) this.#takeLine(line);
    this.flushRecord();
    this.finished = true;
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }

  #takeLine(line: Line): void {
    if (this.#headerLinesLeft > 0) {
      this.#headerLinesLeft -= 1;
      this.#tracker.settle(this.#tracker.register(line.endOffset), 'dropped');
      return;
    }
    if (this.#options.fileFooterPattern?.test(line.bytes.toString('utf8'))) {
      // The footer ends the record in progress and the file; it is a marker, not data.
      this.flushRecord();
      this.#tracker.settle(this.#tracker.register(line.endOffset), 'dropped');
      this.#end(line.endOffset);
      return;
    }
    const record = this.#assembler.push(line);
    if (record !== undefined) this.#emit(record);
  }

  #emit(record: AssembledRecord): void {
    // The tracker of this generation: after a truncation, late acknowledgements of records of
    // the old content must not move the new content's checkpoint.
    const tracker = this.#tracker;
    const ticket = tracker.register(record.endOffset);
    this.#options.emit({
      data: record.data,
      truncated: record.truncated,
      location: `${this.path}:${record.startOffset}`,
      settle: (outcome) => tracker.settle(ticket, outcome),
    });
  }

  #end(footerEndOffset: number): void {
    this.footerEndOffset = footerEndOffset;
    this.finished = true;
  }

  /** Whether the line that ends at `offset` (just before it) is a footer. */
  async #footerEndsAt(offset: number): Promise<boolean> {
    const pattern = this.#options.fileFooterPattern;
    if (pattern === undefined || offset === 0) return false;
    const window = await this.#read(Math.max(0, offset - FOOTER_LOOKBACK_BYTES), Math.min(offset, FOOTER_LOOKBACK_BYTES));
    if (window[window.length - 1] !== 0x0a) return false;
    const start = window.lastIndexOf(0x0a, window.length - 2) + 1;
    return pattern.test(window.subarray(start, window.length - 1).toString('utf8'));
  }

  async #restart(offset: number, size: number): Promise<void> {
    this.#splitter = new LineSplitter(offset, this.#options.maxRecordBytes);
    this.#assembler = new MultiLineAssembler(this.#options.multiLineStartPattern, this.#options.maxRecordBytes);
    this.#tracker = new OffsetTracker(offset);
    this.#headerLinesLeft = offset === 0 ? this.#options.skipHeaderLines : 0;
    this.#size = size;
    const head = await this.#read(0, Math.min(size, HEAD_BYTES));
    this.#head = { length: head.length, sha256: sha256(head) };
  }

  /** Whether the file still starts with the bytes it started with; learns more of them while it is short. */
  async #sameHead(size: number): Promise<boolean> {
    if (size === this.#size && this.#head.length === Math.min(size, HEAD_BYTES)) return true;
    const head = await this.#read(0, Math.min(size, HEAD_BYTES));
    if (sha256(head.subarray(0, this.#head.length)) !== this.#head.sha256) return false;
    this.#head = { length: head.length, sha256: sha256(head) };
    return true;
  }

  async #endOfLastLine(size: number): Promise<number> {
    // Start after the last complete line: a line being written now is sent once complete.
    const window = Math.min(size, 64 * 1024);
    const tail = await this.#read(size - window, window);
    const newline = tail.lastIndexOf(0x0a);
    return newline < 0 ? (window === size ? 0 : size) : size - window + newline + 1;
  }

  async #read(position: number, length: number): Promise<Buffer> {
    if (length <= 0) return Buffer.alloc(0);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.#handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
