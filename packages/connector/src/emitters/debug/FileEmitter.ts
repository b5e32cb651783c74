import { open, type FileHandle } from 'node:fs/promises';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import type { ByteItem } from '../internal/itemBytes';
import { requireString } from '@kinesis-toolkit/core';
import { formatLines, resolveLineFormatOptions, type LineFormatOptions } from './formatLines';
import { emitResult } from '../internal/emitResult';

/** Options of {@link FileEmitter}; `path` is required. */
export interface FileEmitterOptions extends LineFormatOptions {
  /** The file to append to; created if missing. */
  readonly path?: string;
}

/**
 * For debugging: appends each item as a line to a file (opened once in append mode, closed at
 * `shutdown()`). Each batch is one write. Not idempotent: a re-emitted batch is appended again.
 * Items that are neither bytes nor strings are `rejected` (`InvalidItem`).
 */
export class FileEmitter implements Emitter<ByteItem> {
  readonly #path: string;
  readonly #format: Readonly<Required<LineFormatOptions>>;
  #file: Promise<FileHandle> | undefined;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: FileEmitterOptions) {
    this.#path = requireString('path', options?.path);
    this.#format = resolveLineFormatOptions(options, ['path']);
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { text, rejected } = formatLines(batch, this.#format);
    if (text.length === 0) return emitResult([], rejected);
    try {
      this.#file ??= open(this.#path, 'a');
      await (await this.#file).appendFile(text, 'utf8');
    } catch (error) {
      this.#file = undefined;
      const code = (error as NodeJS.ErrnoException).code;
      throw new EmitterError('FileWriteFailed', `could not append to ${this.#path}: ${String(error)}`, {
        // A missing directory or a permission problem will not fix itself; a full disk might.
        retryable: code !== 'ENOENT' && code !== 'EACCES' && code !== 'EISDIR' && code !== 'ENOTDIR',
        cause: error,
        context: { path: this.#path, shardId: batch.shardId, batchId: batch.batchId },
      });
    }
    return emitResult([], rejected);
  }

  /** Closes the file. */
  async shutdown(): Promise<void> {
    const file = this.#file;
    this.#file = undefined;
    if (file !== undefined) await (await file).close();
  }
}
