import { readFile } from 'node:fs/promises';
import { CheckpointFileError } from './CheckpointFileError';
import type { FlowCheckpoints } from './FlowCheckpoints';
import { writeAtomically } from './writeAtomically';

/** Where reading of one file (one device + inode) may resume. */
export interface FileCheckpoint {
  /** The path the file had when the checkpoint was written (it may have been renamed since). */
  readonly path: string;
  /** Device and inode numbers, as decimal strings (they may exceed 2^53). */
  readonly dev: string;
  readonly ino: string;
  /** Just after the last line whose record was acknowledged (or dropped), with every earlier one. */
  readonly offset: number;
  /**
   * SHA-256 of the file's first `headLength` bytes (at most 128): tells this file from a later
   * one that got the same inode after the first was deleted, and shows a file rewritten in place.
   */
  readonly headLength: number;
  readonly headSha256: string;
}

/** Everything in a checkpoint file. */
export interface CheckpointState {
  readonly streamName: string;
  readonly files: readonly FileCheckpoint[];
}

const VERSION = 1;

/**
 * The agent's checkpoints, as a small JSON file (the Java agent keeps them in SQLite): one
 * entry per file being read. Written atomically — to a temporary file beside it, flushed to
 * disk, then renamed over the old one — so a crash leaves either the old or the new state,
 * never half of one.
 */
export class CheckpointFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /**
   * Reads the checkpoints, or undefined when the file does not exist (a first run).
   * @throws CheckpointFileError when it cannot be read or is not a checkpoint file.
   */
  async load(): Promise<CheckpointState | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CheckpointFileError(this.path, `cannot read the checkpoint file ${this.path}: ${(error as Error).message}`, error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw this.#invalid(`not JSON (${(error as Error).message})`, error);
    }
    return this.#validate(parsed);
  }

  /**
   * Replaces the checkpoints atomically.
   * @throws CheckpointFileError when the file cannot be written.
   */
  async save(state: CheckpointState): Promise<void> {
    const body = `${JSON.stringify({ version: VERSION, streamName: state.streamName, updatedAt: new Date().toISOString(), files: state.files }, null, 1)}\n`;
    await writeAtomically(this.path, body);
  }

  #validate(parsed: unknown): CheckpointState {
    if (parsed === null || typeof parsed !== 'object') throw this.#invalid('expected a JSON object');
    const { version, streamName, files } = parsed as Record<string, unknown>;
    if (version !== VERSION) throw this.#invalid(`expected "version": ${VERSION}, got ${JSON.stringify(version)}`);
    if (typeof streamName !== 'string' || streamName === '') throw this.#invalid('expected a "streamName"');
    const checked = validateFileCheckpoints(files, (why) => this.#invalid(why));
    return { streamName, files: checked };
  }

  /** The checkpoints of the one stream this file is for (`kinesis-toolkit produce`'s file). */
  forStream(streamName: string): FlowCheckpoints {
    return {
      path: this.path,
      load: async () => {
        const saved = await this.load();
        if (saved !== undefined && saved.streamName !== streamName) {
          throw new CheckpointFileError(
            this.path,
            `${this.path} holds the checkpoints of stream ${JSON.stringify(saved.streamName)}, not ${JSON.stringify(streamName)}: pass another --checkpoint-file for this stream`,
          );
        }
        return saved?.files;
      },
      save: (files) => this.save({ streamName, files }),
    };
  }

  #invalid(why: string, cause?: unknown): CheckpointFileError {
    return new CheckpointFileError(this.path, `${this.path} is not a kinesis-toolkit checkpoint file: ${why}. Fix or delete it, or pass another --checkpoint-file`, cause);
  }
}

/** Checks a list of file checkpoints as written in a checkpoint file. */
export function validateFileCheckpoints(files: unknown, invalid: (why: string) => Error): FileCheckpoint[] {
  if (!Array.isArray(files)) throw invalid('expected a "files" list');
  return files.map((entry: unknown, index): FileCheckpoint => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const ok =
      typeof e.path === 'string' &&
      typeof e.dev === 'string' && /^\d+$/.test(e.dev) &&
      typeof e.ino === 'string' && /^\d+$/.test(e.ino) &&
      Number.isSafeInteger(e.offset) && (e.offset as number) >= 0 &&
      Number.isSafeInteger(e.headLength) && (e.headLength as number) >= 0 &&
      typeof e.headSha256 === 'string';
    if (!ok) throw invalid(`files[${index}] is not {path, dev, ino, offset, headLength, headSha256}`);
    return { path: e.path as string, dev: e.dev as string, ino: e.ino as string, offset: e.offset as number, headLength: e.headLength as number, headSha256: e.headSha256 as string };
  });
}
