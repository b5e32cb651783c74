import type { Writable } from 'node:stream';
import type { LogContext, Logger } from '@kinesis-toolkit/core';

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

  debug(_context: LogContext, message: string): void {
    if (this.#verbose) this.#write('debug', message);
  }

  info(_context: LogContext, message: string): void {
    if (this.#verbose) this.#write('info', message);
  }

  warn(_context: LogContext, message: string): void {
    this.#write('warning', message);
  }

  error(_context: LogContext, message: string): void {
    this.#write('error', message);
  }

  child(): Logger {
    return this;
  }

  #write(level: string, message: string): void {
    this.#stderr.write(`${this.#prefix}: ${level}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  }
}
