import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Logger } from '@kinesis-toolkit/core';
import type { FileCheckpoint } from '../checkpoint/CheckpointFile';
import { GlobLister, type ListedFile } from './GlobLister';
import type { RecordSink } from '../pipeline/SourceRecord';
import { TailedFile, type StartPosition, type TailedFileOptions } from './TailedFile';

/** Options of a {@link FileTailer}. */
export interface FileTailerOptions extends Omit<TailedFileOptions, 'emit'> {
  readonly globs: readonly string[];
  readonly cwd: string;
  /** Where files that exist at a first run (no checkpoint file yet) are read from. */
  readonly initialPosition: 'START_OF_FILE' | 'END_OF_FILE';
  /** The checkpoints of the last run; undefined on a first run. */
  readonly checkpoints: readonly FileCheckpoint[] | undefined;
  readonly emit: RecordSink;
  readonly logger: Logger;
}

/**
 * Tails every file that matches the patterns, one poll at a time (the caller paces the polls
 * with its clock). Files are named by device + inode:
 *
 * - a file first seen resumes at its checkpoint; without one it is read from the start — except
 *   on a first run (no checkpoint file), where files already there are read from the end of
 *   their last line unless `initialPosition` is `START_OF_FILE` (the agent's default is the end);
 * - **rename rotation**: the old file keeps its handle and is read to its end under any name,
 *   even deleted, while the new file is read from its start; once the old one has not grown for a
 *   whole poll its partial last line (if any) is sent and it is dropped — after its last
 *   record settled;
 * - **copytruncate**: a file that shrinks below the read position (or whose first bytes change)
 *   is read again from 0;
 * - a restart finds a file renamed while it was down by its device + inode in the directory of
 *   its old path, and reads it to its end;
 * - **footer** (`fileFooterPattern`): a file whose footer line was read is done — it is not read
 *   again while it is listed, and its checkpoint (just after the footer) is kept, so that a
 *   restart finds it ended too.
 */
export class FileTailer {
  readonly #options: FileTailerOptions;
  readonly #lister: GlobLister;
  readonly #files = new Map<string, TailedFile>();
  readonly #saved = new Map<string, FileCheckpoint>();
  readonly #idleWhileGone = new Map<string, number>();
  /** Files ended by their footer and settled, with their last checkpoint, while they are listed. */
  readonly #ended = new Map<string, FileCheckpoint>();
  readonly #reported = new Set<string>();
  #firstPoll = true;

  constructor(options: FileTailerOptions) {
    this.#options = options;
    this.#lister = new GlobLister(options.globs, options.cwd);
    for (const checkpoint of options.checkpoints ?? []) this.#saved.set(`${checkpoint.dev}:${checkpoint.ino}`, checkpoint);
  }

  /** Files being read (including rotated ones not finished yet). */
  get fileCount(): number {
    return this.#files.size;
  }

  /** Records handed on and not yet settled, over all files. */
  get unsettled(): number {
    let count = 0;
    for (const file of this.#files.values()) count += file.unsettled;
    return count;
  }

  /** Whether every file has been read to the size last seen and every rotated-away file finished. */
  get caughtUp(): boolean {
    for (const file of this.#files.values()) if (!file.caughtUp || (file.gone && !file.finished)) return false;
    return !this.#firstPoll;
  }

  /** Files whose last line has no `\n` yet (held back), with the bytes held. */
  incompleteLines(): { path: string; bytes: number }[] {
    return [...this.#files.values()].filter((f) => f.pendingLineBytes > 0).map((f) => ({ path: f.path, bytes: f.pendingLineBytes }));
  }

  /** The checkpoint of every file being read (and, before the first poll, of the last run). */
  checkpoints(): FileCheckpoint[] {
    const live = [...this.#files.values()].map((file) => file.checkpoint()).concat([...this.#ended.values()]);
    return this.#firstPoll ? [...live, ...this.#saved.values()] : live;
  }

  /** Hands on every multi-line record in progress (`--once`: the files are complete as they are). */
  flushRecords(): void {
    for (const file of this.#files.values()) file.flushRecord();
  }

  /** Lists the files, follows renames and rotations, and reads what is new in each. */
  async poll(): Promise<void> {
    const listing = await this.#lister.list();
    for (const problem of listing.problems) this.#reportOnce(`${problem.path}\0${problem.message}`, `cannot read ${problem.path}: ${problem.message}`);
    const listed = new Set<string>();
    for (const entry of listing.files) {
      const key = `${entry.dev}:${entry.ino}`;
      listed.add(key);
      const ended = this.#ended.get(key);
      if (ended !== undefined) {
        this.#ended.set(key, { ...ended, path: entry.path });
        continue;
      }
      const known = this.#files.get(key);
      if (known === undefined) {
        await this.#track(entry, this.#startFor(key));
        continue;
      }
      if (known.path !== entry.path) this.#options.logger.info({}, `${known.path} is now ${entry.path} (same file: rotated); reading on`);
      known.path = entry.path;
      known.gone = false;
      this.#idleWhileGone.delete(key);
    }
    for (const key of this.#ended.keys()) if (!listed.has(key)) this.#ended.delete(key);
    if (this.#firstPoll) await this.#findRenamedWhileDown(listed);
    this.#firstPoll = false;
    this.#saved.clear();

    for (const [key, file] of this.#files) {
      if (!listed.has(key) && !file.gone) {
        file.gone = true;
        this.#options.logger.info({}, `${file.path} no longer matches (rotated or deleted); reading it to its end`);
      }
      if (!file.finished) await this.#read(file);
      if (file.finished && file.unsettled === 0 && !file.blocked) {
        // A file ended by its footer stays known while it is listed: it must not be read again.
        if (file.footerEndOffset !== undefined && !file.gone) this.#ended.set(key, file.checkpoint());
        await file.close();
        this.#files.delete(key);
        this.#idleWhileGone.delete(key);
      }
    }
  }

  /** Closes every file handle. */
  async close(): Promise<void> {
    await Promise.all([...this.#files.values()].map((file) => file.close()));
    this.#files.clear();
  }

  async #read(file: TailedFile): Promise<void> {
    let result;
    try {
      result = await file.poll();
    } catch (error) {
      this.#reportOnce(`${file.key}\0read`, `cannot read ${file.path}: ${(error as Error).message}`);
      return;
    }
    if (result.restarted) this.#options.logger.info({}, `${file.path} was truncated or rewritten (copytruncate?); reading it again from the start`);
    if (file.footerEndOffset !== undefined) {
      const after = file.bytesAfterFooter;
      if (after > 0) this.#options.logger.warn({}, `${file.path}: footer line (fileFooterPattern) ends at offset ${file.footerEndOffset}; the ${after} bytes after it are not sent`);
      else this.#options.logger.info({}, `${file.path}: footer line (fileFooterPattern) read; the file is done`);
      return;
    }
    if (!file.gone) return;
    // A writer may still append to a file it has open for a moment after it was renamed: the
    // file is done once a whole poll interval passed without it growing.
    const idle = result.bytesRead === 0 ? (this.#idleWhileGone.get(file.key) ?? 0) + 1 : 0;
    this.#idleWhileGone.set(file.key, idle);
    if (idle >= 1) file.finish();
  }

  #startFor(key: string): StartPosition {
    const checkpoint = this.#saved.get(key);
    if (checkpoint !== undefined) return { kind: 'checkpoint', checkpoint };
    const firstRun = this.#firstPoll && this.#options.checkpoints === undefined;
    return firstRun && this.#options.initialPosition === 'END_OF_FILE' ? { kind: 'end' } : { kind: 'start' };
  }

  async #track(entry: ListedFile, start: StartPosition): Promise<TailedFile | undefined> {
    const key = `${entry.dev}:${entry.ino}`;
    try {
      const { file, resumed } = await TailedFile.open(entry, start, this.#options);
      if (start.kind === 'checkpoint' && !resumed) {
        this.#options.logger.warn({}, `${entry.path} does not match its checkpoint (truncated or replaced while stopped); reading it from the start`);
      }
      this.#files.set(key, file);
      return file;
    } catch (error) {
      this.#reportOnce(`${key}\0open`, `cannot open ${entry.path}: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Checkpointed files that no longer match: renamed (rotated) while we were stopped, or deleted. */
  async #findRenamedWhileDown(listed: Set<string>): Promise<void> {
    for (const [key, checkpoint] of this.#saved) {
      if (listed.has(key)) continue;
      const found = await findByInode(dirname(checkpoint.path), checkpoint.dev, checkpoint.ino);
      if (found === undefined) {
        this.#options.logger.info({}, `${checkpoint.path} (checkpointed) is gone; forgetting its checkpoint`);
        continue;
      }
      const file = await this.#track(found, { kind: 'checkpoint', checkpoint });
      if (file !== undefined) {
        file.gone = true;
        this.#options.logger.info({}, `${checkpoint.path} was rotated to ${found.path} while stopped; reading it to its end`);
      }
    }
  }

  #reportOnce(id: string, message: string): void {
    if (this.#reported.has(id)) return;
    this.#reported.add(id);
    this.#options.logger.warn({}, message);
  }
}

async function findByInode(dir: string, dev: string, ino: string): Promise<ListedFile | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stats = await stat(path, { bigint: true });
      if (stats.isFile() && stats.dev.toString() === dev && stats.ino.toString() === ino) return { path, dev, ino, size: Number(stats.size) };
    } catch {
      // Gone meanwhile: not the one.
    }
  }
  return undefined;
}
