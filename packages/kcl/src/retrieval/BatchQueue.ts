import type { FetchedBatch } from './PollingFetcher';

/**
 * The bounded hand-off between a shard's fetcher and its processor: the fetcher pushes batches
 * and waits for room once `capacity` are waiting; the processor takes them in order. Closing it
 * (shard ended, or stopped) lets the processor drain what is left and then get `undefined`;
 * failing it (an error retrying cannot fix) lets it drain what is left and then rejects.
 */
export class BatchQueue {
  readonly #batches: FetchedBatch[] = [];
  #taker: { resolve: (batch: FetchedBatch | undefined) => void; reject: (error: unknown) => void } | undefined;
  #error: unknown;
  #room: (() => void) | undefined;
  #closed = false;

  constructor(private readonly capacity: number) {}

  get closed(): boolean {
    return this.#closed;
  }

  push(batch: FetchedBatch): void {
    const taker = this.#taker;
    if (taker !== undefined) {
      this.#taker = undefined;
      taker.resolve(batch);
    } else {
      this.#batches.push(batch);
    }
  }

  /** The next batch; undefined once the queue is closed and empty; the failure once it failed and is empty. */
  next(): Promise<FetchedBatch | undefined> {
    const batch = this.#batches.shift();
    if (batch !== undefined) {
      this.#room?.();
      return Promise.resolve(batch);
    }
    if (this.#error !== undefined) return Promise.reject(this.#error);
    if (this.#closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => (this.#taker = { resolve, reject }));
  }

  /** Resolves once fewer than `capacity` batches wait (or the queue is closed). */
  async waitForRoom(): Promise<void> {
    while (this.#batches.length >= this.capacity && !this.#closed) {
      await new Promise<void>((resolve) => (this.#room = resolve));
      this.#room = undefined;
    }
  }

  /** No more batches will come; `discard` also drops those waiting (the consumer stopped). */
  close(discard = false): void {
    this.#closed = true;
    if (discard) this.#batches.length = 0;
    this.#room?.();
    if (this.#batches.length === 0) {
      this.#taker?.resolve(undefined);
      this.#taker = undefined;
    }
  }

  /** The fetcher cannot go on: what is queued is still handed out, then `next()` rejects with `error`. */
  fail(error: unknown): void {
    if (this.#closed) return;
    this.#error = error;
    this.#closed = true;
    this.#room?.();
    if (this.#batches.length === 0) {
      this.#taker?.reject(error);
      this.#taker = undefined;
    }
  }
}
