import type { Readable, Writable } from 'node:stream';

/**
 * What a command gets from `main`: its arguments (after the command name), the process's
 * streams and environment, and an abort signal that fires on Ctrl-C (SIGINT) or SIGTERM. A
 * command that runs until stopped resolves after a graceful shutdown once `signal` fires.
 */
export interface CommandContext {
  readonly argv: readonly string[];
  readonly stdin: Readable;
  readonly stdout: Writable & { isTTY?: boolean; columns?: number };
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly signal: AbortSignal;
}

/** A `kinesis-toolkit` sub-command. Resolves with the exit code; throws `CliError` for bad input. */
export interface Command {
  readonly name: string;
  /** One line for `kinesis-toolkit --help`. */
  readonly summary: string;
  /** The full `--help` text of the command. */
  readonly usage: string;
  run(context: CommandContext): Promise<number>;
}
