import type { Writable } from 'node:stream';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import type { ByteItem } from '../internal/itemBytes';
import { describe } from '../internal/options';
import { formatLines, resolveLineFormatOptions, type LineFormatOptions } from './formatLines';

/** Options of {@link StdoutEmitter}. */
export interface StdoutEmitterOptions extends LineFormatOptions {
  /** Where the lines go. @defaultValue `process.stdout` */
  readonly stream?: Writable;
}

/**
 * For debugging: writes each item as a line to a stream (standard output by default), waiting for
 * the stream to drain when it is full. Not idempotent: a re-emitted batch is printed again.
 * Items that are neither bytes nor strings are returned in `failed`.
 */
export class StdoutEmitter implements Emitter<ByteItem> {
  readonly #stream: Writable;
  readonly #format: Readonly<Required<LineFormatOptions>>;

  /** @throws TypeError for bad options. */
  constructor(options: StdoutEmitterOptions = {}) {
    const stream = options.stream ?? process.stdout;
    if (stream === null || typeof stream !== 'object' || typeof stream.write !== 'function') {
      throw new TypeError(`stream: expected a Writable, got ${describe(stream)}`);
    }
    this.#stream = stream;
    this.#format = resolveLineFormatOptions(options);
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { text, invalid } = formatLines(batch, this.#format);
    if (text.length > 0) {
      await new Promise<void>((resolve, reject) => {
        this.#stream.write(text, (error) => {
          if (error) reject(new EmitterError('FileWriteFailed', `could not write to the stream: ${error.message}`, { retryable: true, cause: error }));
          else resolve();
        });
      });
    }
    return { failed: invalid };
  }
}
