import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import picomatch from 'picomatch';

/** A regular file that matches one of the patterns, as `stat` saw it. */
export interface ListedFile {
  readonly path: string;
  /** Device and inode, as decimal strings: together they name the file across renames. */
  readonly dev: string;
  readonly ino: string;
  readonly size: number;
}

/** What one listing found, and what it could not look into. */
export interface Listing {
  readonly files: readonly ListedFile[];
  readonly problems: readonly { readonly path: string; readonly message: string }[];
}

interface Pattern {
  readonly literal: string | undefined;
  readonly base: string;
  readonly recursive: boolean;
  readonly matches: (path: string) => boolean;
}

// A pattern like /var/log/**/x.log walks at most this deep below its base.
const MAX_DEPTH = 16;

/**
 * Lists the regular files that match glob patterns (picomatch syntax: `*`, `?`, `[abc]`,
 * `{a,b}`, `**`), relative patterns taken from `cwd`. A pattern without glob characters names
 * one file. Polled, not watched: `fs.watch` misses events on some file systems and across
 * renames; a `stat` per file per poll is cheap and always right.
 */
export class GlobLister {
  readonly #patterns: readonly Pattern[];

  constructor(globs: readonly string[], cwd: string) {
    this.#patterns = globs.map((glob) => {
      const absolute = resolve(cwd, glob);
      const scanned = picomatch.scan(absolute);
      if (!scanned.isGlob) return { literal: absolute, base: absolute, recursive: false, matches: () => true };
      return {
        literal: undefined,
        base: scanned.base === '' ? '/' : scanned.base,
        recursive: scanned.glob.includes('/') || scanned.glob.includes('**'),
        matches: picomatch(absolute, { dot: false }),
      };
    });
  }

  /** Whether `glob` names one file rather than a pattern. */
  static isLiteral(glob: string): boolean {
    return !picomatch.scan(glob).isGlob;
  }

  /** The matching files now; a file that matches two patterns is listed once. */
  async list(): Promise<Listing> {
    const found = new Map<string, ListedFile>();
    const problems: { path: string; message: string }[] = [];
    for (const pattern of this.#patterns) {
      const candidates = pattern.literal !== undefined ? [pattern.literal] : await this.#walk(pattern, pattern.base, 0, problems);
      for (const path of candidates) {
        const file = await statFile(path, problems);
        if (file !== undefined && !found.has(`${file.dev}:${file.ino}`)) found.set(`${file.dev}:${file.ino}`, file);
      }
    }
    return { files: [...found.values()], problems };
  }

  async #walk(pattern: Pattern, dir: string, depth: number, problems: { path: string; message: string }[]): Promise<string[]> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // A directory that does not exist yet has no files yet; anything else is worth saying.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push({ path: dir, message: (error as Error).message });
      return [];
    }
    const paths: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (pattern.recursive && depth < MAX_DEPTH) paths.push(...(await this.#walk(pattern, path, depth + 1, problems)));
      } else if (pattern.matches(path)) {
        paths.push(path);
      }
    }
    return paths;
  }
}

async function statFile(path: string, problems: { path: string; message: string }[]): Promise<ListedFile | undefined> {
  try {
    const stats = await stat(path, { bigint: true });
    if (!stats.isFile()) return undefined;
    return { path, dev: stats.dev.toString(), ino: stats.ino.toString(), size: Number(stats.size) };
  } catch (error) {
    // Gone between readdir and stat (rotated away): the next poll sees the new state.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') problems.push({ path, message: (error as Error).message });
    return undefined;
  }
}
