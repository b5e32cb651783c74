import type { EventEmitter } from 'node:events';
import { classifyAwsError } from '@kinesis-toolkit/core';
import type { BatchPosition, EmitBatch, ItemSource, RejectedItem } from '../emitters/Emitter';
import { EmitError } from '../errors/EmitError';
import { FailureSinkError } from '../errors/FailureSinkError';
import type { FailureRecord } from '../failures/FailureRecord';
import { toFailureRecord } from '../failures/toFailureRecord';
import { matchItems } from '../emitters/internal/matchFailed';
import type { PipelineEvents } from './PipelineEvents';
import { comparePositions } from './positions';
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
  /** Every record the batch covers, for an emitter that receives every record (`EmitBatch.records`). */
  readonly records?: readonly ItemSource[];
}

/** What a delivery needs from its shard's processor. */
export interface DeliveryContext<U> {
  readonly shardId: string;
  readonly config: Pick<ResolvedPipelineOptions<unknown, U>, 'emitter' | 'failureSink' | 'retry' | 'retryPolicy' | 'streamName' | 'logger' | 'wallClock'>;
  readonly events: EventEmitter<PipelineEvents>;
  /** Fires when the processor stops: backoff waits end and no further attempt starts. */
  readonly signal: AbortSignal;
}

/** An item that failed for good (not retryable), with why and after how many attempts. */
interface Refused {
  readonly index: number;
  readonly error: Error;
}

/**
 * Delivers one flushed batch: emits it, retries what failed under the pipeline's one
 * {@link RetryPolicy}, and dead-letters what still fails — in bounded rounds (`deliver()`), so the
 * caller decides how to wait between rounds and can surface an error. The batch is `done` only
 * when every item was emitted or accepted by the failure sink; only then may the processor
 * checkpoint past it.
 *
 * **One retry budget per item.** A first round makes up to `retry.maxAttempts` emits of the
 * items that failed retryably (backoff between them). Items that failed for good — the emitter
 * rejected them, or threw an error whose `retryable` is false — are not retried: they go to the
 * failure sink after the attempt that refused them, with that error. Items that failed every
 * attempt go there too (after `emitter.fail`). Without a failure sink nothing can be dropped:
 * the round fails, and each later round makes one more emit of every undelivered item. A failure
 * sink that throws keeps the records, and each later round tries it once more.
 *
 * **A batch with no items** is emitted only when the emitter receives every record
 * (`Emitter.receivesEveryRecord`): one emit with `items` empty and the batch's `records`, under
 * the same budget; if it still fails, its records (those the transformer did not already reject)
 * are dead-lettered with its error, or, without a failure sink, the round fails.
 */
export class BatchDelivery<U> {
  /** Indexes (into `batch.items`) of items to emit (again). */
  #pending: number[];
  /** Items that failed for good, not yet dead-lettered. */
  #refused: Refused[] = [];
  #deadLetters: FailureRecord[];
  /** Emit attempts of each item. */
  readonly #itemAttempts: number[];
  #attempts = 0;
  #emitted = 0;
  #deadLettered = 0;
  #lastEmitError: Error | undefined;
  /** A batch with no items whose emitter receives every record: its records-only emit is still to succeed. */
  #recordsPending: boolean;
  /** Why the records-only emit failed for good. */
  #recordsRefused: Error | undefined;
  #error: Error | undefined;
  #done = false;

  constructor(
    readonly batch: DrainedBatch<U>,
    private readonly context: DeliveryContext<U>,
  ) {
    this.#pending = batch.items.map((_, index) => index);
    this.#itemAttempts = batch.items.map(() => 0);
    this.#deadLetters = [...batch.rejected];
    this.#recordsPending = batch.items.length === 0 && (batch.records?.length ?? 0) > 0 && context.config.emitter.receivesEveryRecord === true;
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

  /** One round; resolves true when the batch is done (or already was), false when it is not (see `error`) or the processor stopped. */
  async deliver(): Promise<boolean> {
    if (this.#done) return true;
    const { failureSink, retry, retryPolicy, logger } = this.context.config;
    if (failureSink === undefined && this.#refused.length > 0) {
      // No failure sink: refused items are tried again, once per round (an operator may have fixed the cause).
      this.#pending = [...this.#pending, ...this.#refused.map((refused) => refused.index)].sort((a, b) => a - b);
      this.#refused = [];
    }
    if (failureSink === undefined && this.#recordsRefused !== undefined) {
      this.#recordsPending = true;
      this.#recordsRefused = undefined;
    }
    const budget = this.#attempts < retry.maxAttempts ? retry.maxAttempts - this.#attempts : 1;
    if (this.#pending.length > 0 || this.#recordsPending) {
      try {
        await retryPolicy.run(
          async () => {
            await (this.#recordsPending ? this.#emitRecordsOnce() : this.#emitOnce());
            if (this.#pending.length > 0 || this.#recordsPending) throw this.#lastEmitError;
          },
          { maxAttempts: budget, signal: this.context.signal, isRetryable: () => true },
        );
      } catch {
        // What is still pending failed every attempt of this round; handled below.
      }
    }
    if (this.context.signal.aborted) return false;
    const context = { shardId: this.context.shardId, streamName: this.context.config.streamName, batchId: this.batch.batchId };

    if (failureSink === undefined) {
      const recordsOnly = this.#recordsPending || this.#recordsRefused !== undefined ? this.#recordsNotRejected().length : 0;
      const records = this.#pending.length + this.#refused.length + this.#deadLetters.length + recordsOnly;
      if (records === 0) return this.#finish();
      const cause = this.#refused[0]?.error ?? this.#recordsRefused ?? this.#lastEmitError ?? this.#deadLetters[0]?.errorMessage;
      this.#error = new EmitError('RetriesExhausted', `${context.batchId}: ${records} record(s) not delivered after ${this.#attempts} attempt(s) and no failure sink; retrying`, {
        cause,
        context,
        retryable: this.#refused.length === 0 && this.#recordsRefused === undefined,
      });
      logger.error(context, this.#error.message);
      this.context.events.emit('retriesExhausted', { ...context, attempts: this.#attempts, records, error: this.#error });
      return false;
    }

    if (this.#pending.length > 0 || this.#refused.length > 0) {
      const exhaustedError = this.#lastEmitError ?? new EmitError('EmitFailed', 'emit failed', { context });
      const groups = new Map<Error, number[]>();
      if (this.#pending.length > 0) groups.set(exhaustedError, [...this.#pending]);
      for (const { index, error } of this.#refused) groups.set(error, [...(groups.get(error) ?? []), index]);
      const now = this.context.config.wallClock();
      const failures: { index: number; record: FailureRecord }[] = [];
      for (const [error, indexes] of groups) {
        try {
          await this.context.config.emitter.fail?.(
            indexes.map((index) => this.batch.items[index]!),
            error,
          );
        } catch (failError) {
          // Only a notification: the records still go to the failure sink.
          logger.warn(context, `${context.batchId}: emitter.fail threw: ${(failError as Error)?.message ?? String(failError)}`);
        }
        for (const index of indexes) failures.push({ index, record: toFailureRecord(context.shardId, this.batch.sources[index]!, error, this.#itemAttempts[index]!, now) });
      }
      this.#deadLetters.push(...failures.sort((a, b) => a.index - b.index).map((failure) => failure.record));
      this.#pending = [];
      this.#refused = [];
    }
    if (this.#recordsPending || this.#recordsRefused !== undefined) {
      const error = this.#recordsRefused ?? this.#lastEmitError ?? new EmitError('EmitFailed', 'emit failed', { context });
      const now = this.context.config.wallClock();
      this.#deadLetters.push(...this.#recordsNotRejected().map((source) => toFailureRecord(context.shardId, source, error, this.#attempts, now)));
      this.#deadLetters.sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
      this.#recordsPending = false;
      this.#recordsRefused = undefined;
    }

    if (this.#deadLetters.length > 0) {
      const records = this.#deadLetters;
      try {
        await failureSink.put(records);
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
    return this.#finish();
  }

  #finish(): boolean {
    this.#error = undefined;
    this.#done = true;
    return true;
  }

  /** The batch's records the transformer did not reject (they have no failure record yet). */
  #recordsNotRejected(): ItemSource[] {
    const rejected = new Set(this.batch.rejected.map((record) => `${record.kinesisRecordMetadata.sequenceNumber}/${record.kinesisRecordMetadata.subsequenceNumber}`));
    return (this.batch.records ?? []).filter((source) => !rejected.has(`${source.sequenceNumber}/${source.subSequenceNumber}`));
  }

  /** The emit of a batch with no items, for an emitter that receives every record. */
  async #emitRecordsOnce(): Promise<void> {
    const { shardId, config } = this.context;
    this.#attempts++;
    const { batchId, first, last, records } = this.batch;
    try {
      await config.emitter.emit({ streamName: config.streamName, shardId, batchId, items: [], sources: [], first, last, attempt: this.#attempts, records: records ?? [] });
      this.#recordsPending = false;
      return;
    } catch (thrown) {
      const error = thrown instanceof Error ? thrown : new EmitError('EmitFailed', String(thrown), { cause: thrown });
      this.#lastEmitError = error;
      if (!classifyAwsError(thrown).retryable) {
        this.#recordsPending = false;
        this.#recordsRefused = error;
      }
      config.logger.warn({ shardId, batchId, attempt: this.#attempts, records: records?.length ?? 0 }, `${batchId}: emit attempt ${this.#attempts} of a batch without items failed: ${error.message}`);
      this.context.events.emit('emitFailed', { shardId, batchId, attempt: this.#attempts, failed: 0, rejected: 0, error });
    }
  }

  async #emitOnce(): Promise<void> {
    const { shardId, config } = this.context;
    const indexes = this.#pending;
    const items = indexes.map((index) => this.batch.items[index]!);
    this.#attempts++;
    for (const index of indexes) this.#itemAttempts[index]!++;
    const batch: EmitBatch<U> = {
      streamName: config.streamName,
      shardId,
      batchId: this.batch.batchId,
      items,
      sources: indexes.map((index) => this.batch.sources[index]!),
      first: this.batch.first,
      last: this.batch.last,
      attempt: this.#attempts,
      ...(this.batch.records !== undefined ? { records: this.batch.records } : {}),
    };
    // Positions in `items`: to retry, and refused for good.
    let failed: number[] = [];
    let refused: { position: number; error: Error }[] = [];
    let error: Error;
    try {
      const result = await config.emitter.emit(batch);
      const list = (result as { failed?: unknown } | undefined)?.failed;
      const rejected = (result as { rejected?: unknown } | undefined)?.rejected ?? [];
      if (!Array.isArray(list) || !Array.isArray(rejected)) throw new EmitError('EmitFailed', 'the emitter did not return { failed: [...], rejected?: [...] }', { retryable: false });
      refused = this.#positionsOfRejected(items, rejected as readonly RejectedItem<U>[]);
      const refusedSet = new Set(refused.map((entry) => entry.position));
      failed = this.#positionsOf(items, list as readonly U[]).filter((position) => !refusedSet.has(position));
      error = new EmitError('EmitFailed', `${failed.length} of ${items.length} item(s) failed (attempt ${this.#attempts})`, { context: { shardId, batchId: batch.batchId } });
    } catch (thrown) {
      error = thrown instanceof Error ? thrown : new EmitError('EmitFailed', String(thrown), { cause: thrown });
      const all = items.map((_, position) => position);
      if (classifyAwsError(thrown).retryable) failed = all;
      else refused = all.map((position) => ({ position, error }));
    }
    const notWritten = failed.length + refused.length;
    this.#emitted += items.length - notWritten;
    this.#pending = failed.map((position) => indexes[position]!);
    this.#refused.push(...refused.map(({ position, error: reason }) => ({ index: indexes[position]!, error: reason })));
    if (failed.length > 0) this.#lastEmitError = error;
    if (notWritten > 0) {
      const why = refused.length > 0 ? `${refused.length} refused for good (${refused[0]!.error.message})${failed.length > 0 ? `, ${failed.length} to retry (${error.message})` : ''}` : error.message;
      config.logger.warn({ shardId, batchId: batch.batchId, attempt: this.#attempts, failed: notWritten, rejected: refused.length }, `${batch.batchId}: emit attempt ${this.#attempts} failed for ${notWritten} item(s): ${why}`);
      this.context.events.emit('emitFailed', { shardId, batchId: batch.batchId, attempt: this.#attempts, failed: notWritten, rejected: refused.length, error: refused.length > 0 && failed.length === 0 ? refused[0]!.error : error });
    }
  }

  /** Maps failed items (by identity, or value for primitives, as a multiset) back to positions in `items`. */
  #positionsOf(items: readonly U[], failed: readonly U[]): number[] {
    const matched = matchItems(items, failed);
    const positions = matched.filter((position): position is number => position !== undefined);
    this.#warnUnknown(matched.length - positions.length);
    return positions;
  }

  #positionsOfRejected(items: readonly U[], rejected: readonly RejectedItem<U>[]): { position: number; error: Error }[] {
    const matched = matchItems(
      items,
      rejected.map((entry) => entry?.item),
    );
    const result: { position: number; error: Error }[] = [];
    matched.forEach((position, i) => {
      if (position === undefined) return;
      const reason = rejected[i]!.error;
      result.push({ position, error: reason instanceof Error ? reason : new EmitError('EmitFailed', String(reason), { retryable: false }) });
    });
    this.#warnUnknown(matched.length - result.length);
    return result;
  }

  #warnUnknown(unknown: number): void {
    if (unknown > 0) this.context.config.logger.warn({ shardId: this.context.shardId }, `${this.batch.batchId}: the emitter reported ${unknown} failed item(s) that were not in the batch; ignored`);
  }
}

function positionOf(record: FailureRecord): BatchPosition {
  return { sequenceNumber: record.kinesisRecordMetadata.sequenceNumber, subSequenceNumber: record.kinesisRecordMetadata.subsequenceNumber };
}
