import type { Batch } from './BatchHandlerOptions';

/** What the iterator asks of its worker. */
export interface BatchChannelHooks {
  /** Starts the worker unless it has started (the first `next()` does this). */
  start(): Promise<void>;
  /** Shuts the worker down gracefully (the loop left early). */
  shutdown(): Promise<void>;
}

/** A batch handed in by a shard's processor, waiting for the loop or being iterated. */
interface Offer {
  readonly batch: Batch;
  readonly done: () => void;
  readonly abandon: (reason: unknown) => void;
}

/**
 * `worker.batches()`: the async iterator between the shards' processors and one `for await` loop.
 *
 * Each shard's processor offers its batch and waits: the batch counts as done when the loop asks
 * for the next one, so a shard has at most one batch here and its fetcher stops once its bounded
 * prefetch is full — a slow loop holds the stream back instead of buffering it. Shards interleave
 * in the order their batches arrive; within a shard, order is kept.
 *
 * A batch whose `signal` fires (lease lost, shutdown) is abandoned: not done, never checkpointed
 * by the worker; if it was still waiting it is not handed out. Leaving the loop early (`break`,
 * `return`, a throw) shuts the worker down: completed batches are checkpointed, the batch in hand
 * is not, and the leases are released. Once the worker has stopped, the iteration ends — or throws
 * the `WorkerFailedError` that stopped it.
 */
export class BatchChannel implements AsyncIterableIterator<Batch> {
  readonly #offers: Offer[] = [];
  #current: Offer | undefined;
  #waiting: { resolve: (result: IteratorResult<Batch>) => void; reject: (error: unknown) => void } | undefined;
  #started = false;
  #closed = false;
  #end: { failure: unknown } | undefined;

  constructor(private readonly hooks: BatchChannelHooks) {}

  /** Hands a batch to the loop; resolves once the loop is done with it, rejects if it is abandoned. */
  offer(batch: Batch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const signal = batch.signal;
      const onAbort = (): void => {
        const queued = this.#offers.indexOf(offer);
        if (queued >= 0) this.#offers.splice(queued, 1);
        if (this.#current === offer) this.#current = undefined;
        reject(signal.reason);
      };
      const offer: Offer = {
        batch,
        done: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
        abandon: reject,
      };
      if (signal.aborted) return reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      const waiting = this.#waiting;
      if (waiting !== undefined && !this.#closed) {
        this.#waiting = undefined;
        this.#current = offer;
        waiting.resolve({ value: batch, done: false });
      } else {
        this.#offers.push(offer);
      }
    });
  }

  /** The worker has stopped (with the failure that stopped it, if any): the iteration ends. */
  end(failure?: unknown): void {
    this.#end ??= { failure };
    for (const offer of this.#offers.splice(0)) offer.abandon(new Error('the worker stopped'));
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting !== undefined) this.#finish(waiting);
  }

  async next(): Promise<IteratorResult<Batch>> {
    if (!this.#started) {
      this.#started = true;
      try {
        await this.hooks.start();
      } catch (error) {
        this.#closed = true;
        this.#end ??= { failure: undefined };
        throw error;
      }
    }
    // Asking for the next batch finishes the one in hand.
    const previous = this.#current;
    this.#current = undefined;
    previous?.done();
    if (this.#closed || this.#end !== undefined) return new Promise((resolve, reject) => this.#finish({ resolve, reject }));
    const offer = this.#offers.shift();
    if (offer !== undefined) {
      this.#current = offer;
      return { value: offer.batch, done: false };
    }
    return new Promise((resolve, reject) => (this.#waiting = { resolve, reject }));
  }

  /** The loop left early: the batch in hand is not done; the worker shuts down (checkpoints, releases). */
  async return(): Promise<IteratorResult<Batch>> {
    this.#closed = true;
    this.#current = undefined;
    if (this.#started) await this.hooks.shutdown();
    this.#end ??= { failure: undefined };
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends a `next()`: done, or the failure that stopped the worker (reported once). */
  #finish(waiting: { resolve: (result: IteratorResult<Batch>) => void; reject: (error: unknown) => void }): void {
    const end = this.#end;
    if (end === undefined) {
      // Closed but the worker has not stopped yet: wait for it.
      this.#waiting = waiting;
      return;
    }
    if (end.failure !== undefined) {
      const failure = end.failure;
      end.failure = undefined;
      waiting.reject(failure);
    } else {
      waiting.resolve({ value: undefined, done: true });
    }
  }
}
