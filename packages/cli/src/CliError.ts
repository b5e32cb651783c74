/**
 * A problem with what the user asked for (unknown flag, missing stream, unreadable file, bad
 * config). `main` prints its message on one line — it must say what to do — and exits with
 * `exitCode`; no stack trace.
 */
export class CliError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
