import type { EventEmitter } from 'node:events';
import type { BatchPosition, EmitBatch, ItemSource } from '../emitters/Emitter';
import { EmitError } from '../errors/EmitError';
import { FailureSinkError } from '../errors/FailureSinkError';
import type { FailureRecord } from '../failures/FailureRecord';
import { toFailureRecord } from '../failures/toFailureRecord';
import { matchFailed } from '../emitters/internal/matchFailed';
import { backoffDelayMs } from './backoff';
import type { PipelineEvents } from './PipelineEvents';
import type { ResolvedPipelineOptions } from './PipelineOptions';

/** A drained buffer, ready to deliver. */
export interface DrainedBatch<U> {
  readonly batchId: string;
  readonly first: BatchPosition;
  readonly last: BatchPosition;
  readonly items: readonly U[];
  readonly sources: readonly ItemSource[];
  /** Records already rejected (by the transformer): they only need dead-lettering. */
  readonly rejected: readonly FailureRecord[];
}

/** What a delivery needs from its shard's processor. */
export interface DeliveryContext<U> {
  readonly shardId: string;
  readonly config: Pick<ResolvedPipelineOptions<unknown, U>, 'emitter' | 'failureSink' | 'retry' | 'streamName' | 'logger' | 'random' | 'wallClock'>;
  readonly events: EventEmitter<PipelineEvents>;
  /** Waits on the pipeline's clock; resolves early when the processor stops. */
  sleep(ms: number): Promise<void>;
  stopped(): boolean;
}

/**
 * Delivers one flushed batch: emits it, retries what failed with backoff, and dead-letters what
 * still fails — in bounded rounds (`deliver()`), so the caller decides how to wait between
 * rounds and can surface an error. The batch is `done` only when every item was emitted or
 * accepted by the failure sink; only then may the processor checkpoint past it.
 *
 * A first round makes up to `retry.maxAttempts` emits. Items that failed all of them go to the
 * failure sink (after `emitter.fail`). Without a failure sink they stay pending, and each later
 * round makes one more emit. A failure sink that throws keeps the records, and each later round
 * tries it once more.
 */
export class BatchDelivery<U> {
  /** Indexes (into `batch.items`) of items not yet emitted. */
  #pending: number[];
  #deadLetters: FailureRecord[];
  #attempts = 0;
  #emitted = 0;
  #deadLettered = 0;
  #lastEmitError: Error | undefined;
  #error: Error | undefined;
  #done = false;

  constructor(
    readonly batch: DrainedBatch<U>,
    private readonly context: DeliveryContext<U>,
  ) {
    this.#pending = batch.items.map((_, index) => index);
    this.#deadLetters = [...batch.rejected];
  }

  get done(): boolean {
    return this.#done;
  }

  /** Emit attempts so far. */
  get attempts(): number {
    return this.#attempts;
  }

  /** Items emitted so far. */
  get emitted(): number {
    return this.#emitted;
  }

  /** Records the failure sink accepted. */
  get deadLettered(): number {
    return this.#deadLettered;
  }

  /** Why the last round did not finish the batch. */
  get error(): Error | undefined {
    return this.#error;
  }

  /** One round; resolves true when the batch is done (or already was). */
  async deliver(): Promise<boolean> {
    if (this.#done) return true;
    const { emitter, failureSink, retry, logger } = this.context.config;
    const budget = this.#attempts < retry.maxAttempts ? retry.maxAttempts - this.#attempts : 1;
    for (let used = 0; this.#pending.length > 0 && used < budget; used++) {
      if (used > 0) await this.context.sleep(backoffDelayMs(this.#attempts, retry, this.context.config.random));
      if (this.context.stopped()) return false;
      await this.#emitOnce();
    }
    if (this.context.stopped()) return false;
    const context = { shardId: this.context.shardId, streamName: this.context.config.streamName, batchId: this.batch.batchId };

    if (this.#pending.length > 0 || (this.#deadLetters.length > 0 && failureSink === undefined)) {
      if (failureSink === undefined) {
        const records = this.#pending.length + this.#deadLetters.length;
        this.#error = new EmitError('RetriesExhausted', `${context.batchId}: ${records} record(s) not delivered after ${this.#attempts} attempt(s) and no failure sink; retrying`, {
          cause: this.#lastEmitError ?? this.#deadLetters[0]?.errorMessage,
          context,
        });
        logger.error(context, this.#error.message);
        this.context.events.emit('retriesExhausted', { ...context, attempts: this.#attempts, records, error: this.#error });
        return false;
      }
      const failedItems = this.#pending.map((index) => this.batch.items[index]!);
      const error = this.#lastEmitError ?? new EmitError('EmitFailed', 'emit failed', { context });
      try {
        await emitter.fail?.(failedItems, error);
      } catch (failError) {
        // Only a notification: the records still go to the failure sink.
        logger.warn(context, `${context.batchId}: emitter.fail threw: ${(failError as Error)?.message ?? String(failError)}`);
      }
      const now = this.context.config.wallClock();
      this.#deadLetters.push(...this.#pending.map((index) => toFailureRecord(context.shardId, this.batch.sources[index]!, error, this.#attempts, now)));
      this.#pending = [];
    }

    if (this.#deadLetters.length > 0) {
      const records = this.#deadLetters;
      try {
        await failureSink!.put(records);
      } catch (sinkError) {
        this.#error = new FailureSinkError(`${context.batchId}: the failure sink failed on ${records.length} record(s): ${(sinkError as Error)?.message ?? String(sinkError)}`, {
          cause: sinkError,
          context,
        });
        logger.error(context, this.#error.message);
        this.context.events.emit('failureSinkFailed', { ...context, records: records.length, error: this.#error });
        return false;
      }
      this.#deadLettered += records.length;
      this.#deadLetters = [];
      this.context.events.emit('deadLettered', { shardId: context.shardId, batchId: context.batchId, records });
    }
    this.#error = undefined;
    this.#done = true;
    return true;
  }

  async #emitOnce(): Promise<void> {
    const { shardId, config } = this.context;
    const indexes = this.#pending;
    const items = indexes.map((index) => this.batch.items[index]!);
    this.#attempts++;
    const batch: EmitBatch<U> = {
      streamName: config.streamName,
      shardId,
      batchId: this.batch.batchId,
      items,
      sources: indexes.map((index) => this.batch.sources[index]!),
      first: this.batch.first,
      last: this.batch.last,
      attempt: this.#attempts,
    };
    let failed: number[];
    let error: Error;
    try {
      const result = await config.emitter.emit(batch);
      const list = (result as { failed?: unknown } | undefined)?.failed;
      if (!Array.isArray(list)) throw new EmitError('EmitFailed', 'the emitter did not return { failed: [...] }');
      failed = this.#indexesOf(items, indexes, list as readonly U[]);
      error = new EmitError('EmitFailed', `${failed.length} of ${items.length} item(s) failed (attempt ${this.#attempts})`, { context: { shardId, batchId: batch.batchId } });
    } catch (thrown) {
      failed = indexes;
      error = thrown instanceof Error ? thrown : new EmitError('EmitFailed', String(thrown), { cause: thrown });
    }
    this.#emitted += indexes.length - failed.length;
    this.#pending = failed;
    if (failed.length > 0) {
      this.#lastEmitError = error;
      config.logger.warn({ shardId }, `${batch.batchId}: emit attempt ${this.#attempts} failed for ${failed.length} item(s): ${error.message}`);
      this.context.events.emit('emitFailed', { shardId, batchId: batch.batchId, attempt: this.#attempts, failed: failed.length, error });
    }
  }

  /** Maps failed items (by identity, or value for primitives, as a multiset) back to batch indexes, in shard order. */
  #indexesOf(items: readonly U[], indexes: readonly number[], failed: readonly U[]): number[] {
    const { positions, unknown } = matchFailed(items, failed);
    if (unknown > 0) this.context.config.logger.warn({ shardId: this.context.shardId }, `${this.batch.batchId}: the emitter reported ${unknown} failed item(s) that were not in the batch; ignored`);
    return positions.map((position) => indexes[position]!);
  }
}
