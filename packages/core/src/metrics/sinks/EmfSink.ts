import type { Writable } from 'node:stream';
import { InvalidArgumentError } from '../../errors/InvalidArgumentError';
import { rejectUnknownOptions, requireObject } from '../../validation/validators';
import { formatEmf } from '../emf/formatEmf';
import type { MetricsSnapshot } from '../MetricsSnapshot';
import type { MetricsSink } from './MetricsSink';

/** Options of an {@link EmfSink}. */
export interface EmfSinkOptions {
  /**
   * Where the lines go: a writable stream (a file, `process.stdout`) or a function given each line
   * without its newline. Required.
   */
  readonly write: Writable | ((line: string) => void);
}

/**
 * Writes each interval as CloudWatch embedded metric format lines (see {@link formatEmf}) — to
 * standard output on Lambda or ECS, or to a file the CloudWatch agent ships. One line per
 * namespace and dimension values per interval, however busy the component: never a line per record.
 * Writes are not awaited (a slow stream buffers; it never blocks the data path).
 */
export class EmfSink implements MetricsSink {
  readonly #write: (line: string) => void;
  #lines = 0;

  constructor(options: EmfSinkOptions) {
    requireObject('options', options);
    rejectUnknownOptions('', options, ['write']);
    const target = options.write as unknown;
    if (typeof target === 'function') this.#write = target as (line: string) => void;
    else if (target !== null && typeof target === 'object' && typeof (target as Writable).write === 'function') this.#write = (line) => void (target as Writable).write(`${line}\n`);
    else throw new InvalidArgumentError('write', 'a writable stream or a function of a line', target);
  }

  /** Lines written so far. */
  get lines(): number {
    return this.#lines;
  }

  publish(snapshot: MetricsSnapshot): void {
    for (const line of formatEmf(snapshot)) {
      this.#write(line);
      this.#lines++;
    }
  }
}
