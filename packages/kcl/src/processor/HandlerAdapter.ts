import type { Clock, Logger } from '@kinesis-toolkit/core';
import { WorkerStateError } from '../errors';
import { LeaseLostError } from '../leases/errors';
import { BatchChannel, type BatchChannelHooks } from './BatchChannel';
import type { Batch, ResolvedBatchHandlerOptions } from './BatchHandlerOptions';
import { HandlerProcessor } from './HandlerProcessor';
import type { RecordProcessor } from './RecordProcessor';

/** The worker events the adapter listens to. */
export interface LeaseLossSource {
  on(event: 'leaseLost', listener: (event: { shardId: string }) => void): unknown;
  on(event: 'leaseHandoffRequested', listener: (event: { shardId: string; newOwner: string }) => void): unknown;
}

/**
 * Turns `eachBatch`, `eachRecord` or `worker.batches()` into the worker's `processorFactory`: a
 * {@link HandlerProcessor} per shard, run by the ordinary KCL lifecycle. It is the worker's only
 * link to those processors: it fires a shard's `signal` when the worker reports the lease lost or
 * another worker asks for it (a graceful handoff: the shard shuts down here), and every shard's
 * when the worker shuts down.
 */
export class HandlerAdapter {
  readonly #processors = new Map<string, HandlerProcessor>();
  #channel: BatchChannel | undefined;
  #stopped = false;

  constructor(
    readonly options: ResolvedBatchHandlerOptions,
    private readonly runtime: { readonly clock: Clock; readonly logger: Logger },
  ) {}

  /** The worker's `processorFactory`. */
  readonly processorFactory = (shardId: string): RecordProcessor => {
    const handler = this.options.handler ?? (this.#channel && { kind: 'eachBatch' as const, call: (batch: Batch) => this.#channel!.offer(batch) });
    // start() refuses a worker with nothing to hand records to; this is the backstop.
    if (handler === undefined) throw new WorkerStateError('processorFactory', 'not consuming', 'give eachBatch, eachRecord or processorFactory, or iterate worker.batches()');
    const processor = new HandlerProcessor(shardId, { options: this.options, handler, ...this.runtime });
    if (this.#stopped) processor.abort(new Error('the worker is shutting down'));
    this.#processors.set(shardId, processor);
    return processor;
  };

  /** Whether records have nowhere to go yet: no eachBatch or eachRecord, and `batches()` not called. */
  get awaitingIterator(): boolean {
    return this.options.handler === undefined && this.#channel === undefined;
  }

  /** Listens for lost and handed-over leases: the shard's `signal` fires at once, while its batch may still be running. */
  attach(worker: LeaseLossSource): void {
    worker.on('leaseLost', ({ shardId }) => this.#processors.get(shardId)?.abort(new LeaseLostError(shardId, 'processing', undefined, 'the lease is no longer held here')));
    // As a shutdown of this shard alone: what completes is still checkpointed before the lease goes.
    worker.on('leaseHandoffRequested', ({ shardId, newOwner }) => this.#processors.get(shardId)?.abort(new Error(`the lease is being handed over to ${newOwner}`)));
  }

  /** The worker is shutting down: every `signal` fires, and processors made from now on start stopped. */
  stop(): void {
    this.#stopped = true;
    for (const processor of this.#processors.values()) processor.abort(new Error('the worker is shutting down'));
  }

  /** The worker has stopped (with its failure, if any): an iteration ends. */
  ended(failure?: unknown): void {
    this.#channel?.end(failure);
  }

  /**
   * The iterator of `worker.batches()`.
   * @throws WorkerStateError when the worker hands records to eachBatch or eachRecord, or is already iterated
   */
  iterate(hooks: BatchChannelHooks): AsyncIterableIterator<Batch> {
    const hint = 'a worker has one consumer: create it without eachBatch, eachRecord and processorFactory to iterate it, once';
    if (this.options.handler !== undefined) throw new WorkerStateError('batches', `consuming through ${this.options.handler.kind}`, hint);
    if (this.#channel !== undefined) throw new WorkerStateError('batches', 'already iterated', hint);
    this.#channel = new BatchChannel(hooks);
    return this.#channel;
  }
}
