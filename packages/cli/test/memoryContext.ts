import { PassThrough, Readable } from 'node:stream';
import type { CommandContext } from '../src/CommandContext';

/** A {@link CommandContext} (minus argv) whose streams are kept in memory, for calling `main` in-process. */
export interface MemoryContext extends Omit<CommandContext, 'argv'> {
  /** Everything written to stdout so far. */
  stdoutText(): string;
  /** Everything written to stderr so far. */
  stderrText(): string;
  /** Fires `signal`, as Ctrl-C would. */
  interrupt(): void;
}

/** A fresh in-memory context; `env` replaces the process environment entirely (default: empty). */
export function memoryContext(options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string } = {}): MemoryContext {
  const controller = new AbortController();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  stdout.on('data', (chunk: Buffer) => chunks.stdout.push(chunk));
  stderr.on('data', (chunk: Buffer) => chunks.stderr.push(chunk));
  return {
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: controller.signal,
    stdoutText: () => Buffer.concat(chunks.stdout).toString('utf8'),
    stderrText: () => Buffer.concat(chunks.stderr).toString('utf8'),
    interrupt: () => controller.abort(),
  };
}
