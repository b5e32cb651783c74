import type { Writable } from 'node:stream';
import type { Logger } from '@kinesis-toolkit/aggregation';

/**
 * The command's {@link Logger}: one line per message on stderr, prefixed with the command.
 * Warnings and errors always; info and debug only when `verbose`. Context objects are not
 * printed (they may hold record data).
 */
export class StderrLogger implements Logger {
  readonly #stderr: Writable;
  readonly #prefix: string;
  readonly #verbose: boolean;

  constructor(stderr: Writable, prefix: string, verbose: boolean) {
    this.#stderr = stderr;
    this.#prefix = prefix;
    this.#verbose = verbose;
  }

  debug(message: string): void {
    if (this.#verbose) this.#write('debug', message);
  }

  info(message: string): void {
    if (this.#verbose) this.#write('info', message);
  }

  warn(message: string): void {
    this.#write('warning', message);
  }

  error(message: string): void {
    this.#write('error', message);
  }

  #write(level: string, message: string): void {
    this.#stderr.write(`${this.#prefix}: ${level}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  }
}
