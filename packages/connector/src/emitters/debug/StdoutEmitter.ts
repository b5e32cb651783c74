import type { Writable } from 'node:stream';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import type { ByteItem } from '../internal/itemBytes';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { formatLines, resolveLineFormatOptions, type LineFormatOptions } from './formatLines';
import { emitResult } from '../internal/emitResult';

/** Options of {@link StdoutEmitter}. */
export interface StdoutEmitterOptions extends LineFormatOptions {
  /** Where the lines go. @defaultValue `process.stdout` */
  readonly stream?: Writable;
}

/**
 * For debugging: writes each item as a line to a stream (standard output by default), waiting for
 * the stream to drain when it is full. Not idempotent: a re-emitted batch is printed again.
 * Items that are neither bytes nor strings are `rejected` (`InvalidItem`).
 */
export class StdoutEmitter implements Emitter<ByteItem> {
  readonly #stream: Writable;
  readonly #format: Readonly<Required<LineFormatOptions>>;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: StdoutEmitterOptions = {}) {
    const stream = options.stream ?? process.stdout;
    if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
      throw new InvalidArgumentError('stream', 'a Writable', stream);
    }
    this.#stream = stream;
    this.#format = resolveLineFormatOptions(options, ['stream']);
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { text, rejected } = formatLines(batch, this.#format);
    if (text.length > 0) {
      await new Promise<void>((resolve, reject) => {
        this.#stream.write(text, (error) => {
          if (error) reject(new EmitterError('FileWriteFailed', `could not write to the stream: ${error.message}`, { retryable: true, cause: error }));
          else resolve();
        });
      });
    }
    return emitResult([], rejected);
  }
}
