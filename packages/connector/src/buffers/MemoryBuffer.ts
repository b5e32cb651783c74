import type { Clock } from '@kinesis-toolkit/core';
import type { BatchPosition, ItemSource } from '../emitters/Emitter';
import { resolveBufferOptions } from './BufferOptions';
import type { BufferThresholds, RecordBuffer } from './RecordBuffer';

/**
 * The default {@link RecordBuffer}: items in an array, in arrival order. It asks to be flushed
 * when it holds `maxRecords` items, or `maxBytes` bytes, or when its oldest record (item or
 * covered position) is `maxAgeMs` old by the injected clock. It never flushes itself: the
 * pipeline asks `shouldFlush` after each record and on its age timer.
 */
export class MemoryBuffer<T> implements RecordBuffer<T> {
  readonly maxRecords: number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  #items: T[] = [];
  #sources: ItemSource[] = [];
  #bytes = 0;
  #first: BatchPosition | undefined;
  #last: BatchPosition | undefined;
  #startedAt: number | undefined;

  /** @throws TypeError for thresholds that are not positive integers. */
  constructor(
    thresholds: BufferThresholds,
    private readonly clock: Clock,
  ) {
    const resolved = resolveBufferOptions(thresholds);
    this.maxRecords = resolved.maxRecords;
    this.maxBytes = resolved.maxBytes;
    this.maxAgeMs = resolved.maxAgeMs;
  }

  get size(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get first(): BatchPosition | undefined {
    return this.#first;
  }

  get last(): BatchPosition | undefined {
    return this.#last;
  }

  get startedAt(): number | undefined {
    return this.#startedAt;
  }

  add(item: T, bytes: number, source: ItemSource): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new TypeError(`bytes: expected a non-negative number, got ${String(bytes)}`);
    this.#items.push(item);
    this.#sources.push(source);
    this.#bytes += bytes;
    this.cover(source);
  }

  cover(position: BatchPosition): void {
    // Keep only the position fields: a source holds the record's bytes, which first/last need not pin.
    const copy = { sequenceNumber: position.sequenceNumber, subSequenceNumber: position.subSequenceNumber };
    this.#first ??= copy;
    this.#last = copy;
    this.#startedAt ??= this.clock.now();
  }

  shouldFlush(now: number): boolean {
    if (this.#items.length >= this.maxRecords || this.#bytes >= this.maxBytes) return true;
    return this.#startedAt !== undefined && now - this.#startedAt >= this.maxAgeMs;
  }

  drain(): { items: T[]; sources: ItemSource[]; first: BatchPosition | undefined; last: BatchPosition | undefined } {
    const drained = { items: this.#items, sources: this.#sources, first: this.#first, last: this.#last };
    this.#items = [];
    this.#sources = [];
    this.#bytes = 0;
    this.#first = undefined;
    this.#last = undefined;
    this.#startedAt = undefined;
    return drained;
  }
}
