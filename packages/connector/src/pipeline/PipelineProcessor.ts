import type { EventEmitter } from 'node:events';
import type { TimerHandle } from '@kinesis-toolkit/core';
import type { Checkpointer, ProcessRecordsInput, RecordProcessor } from '@kinesis-toolkit/kcl';
import type { BatchPosition } from '../emitters/Emitter';
import { BatchDelivery } from './BatchDelivery';
import type { FlushReason, PipelineEvents } from './PipelineEvents';
import type { ResolvedPipelineOptions } from './PipelineOptions';
import { batchIdOf, comparePositions } from './positions';
import { RecordIntake } from './RecordIntake';

/**
 * The record processor a pipeline runs for one shard: transformer → filter → buffer → emitter,
 * checkpointing the last position a batch covers only once that batch is done (every item
 * emitted or dead-lettered).
 *
 * Every entry point (records, the age timer, retry timers, shutdown) runs on one promise chain,
 * so a timer-triggered flush never overlaps `processRecords`, and `processRecords` waits while a
 * flush is being delivered — the backpressure into the worker. A batch that cannot be finished
 * in one bounded round makes `processRecords` (and `shardEnded`/`shutdownRequested`) throw: the
 * worker retries the same records later, and records already taken are skipped; after a
 * timer-triggered flush a retry timer tries again.
 */
export class PipelineProcessor<T, U> implements RecordProcessor {
  readonly #intake: RecordIntake<T, U>;
  #delivery: { readonly delivery: BatchDelivery<U>; readonly reason: FlushReason; readonly bytes: number; readonly startedAt: number; readonly bufferedAt: number } | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #checkpointer: Checkpointer | undefined;
  /** The last record taken (buffered, filtered out or rejected): a re-delivered batch skips up to it. */
  #accepted: BatchPosition | undefined;
  #checkpointDue: BatchPosition | undefined;
  /** When the first record of the oldest delivered batch not yet checkpointed entered the buffer. */
  #checkpointDueSince: number | undefined;
  #ageTimer: TimerHandle | undefined;
  #retryTimer: TimerHandle | undefined;
  #retryRounds = 0;
  #stopped = false;
  /** Fires at halt(): backoff waits end and no further emit starts. */
  readonly #stop = new AbortController();

  constructor(
    readonly shardId: string,
    private readonly config: ResolvedPipelineOptions<T, U>,
    private readonly events: EventEmitter<PipelineEvents>,
    private readonly onStop: (processor: PipelineProcessor<T, U>) => void = () => undefined,
  ) {
    this.#intake = new RecordIntake(shardId, config, events);
  }

  /** Whether the processor has stopped (lease lost, shut down, shard ended, or the pipeline shut down). */
  get stopped(): boolean {
    return this.#stopped;
  }

  processRecords(input: ProcessRecordsInput): Promise<void> {
    return this.#serial(() => this.#process(input));
  }

  /** Drops the buffer and any undelivered batch without checkpointing: the new owner re-reads them. */
  leaseLost(): void {
    this.halt('lease lost');
  }

  shutdownRequested({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    return this.#serial(async () => {
      try {
        await this.#finish(checkpointer, 'shutdown');
      } finally {
        this.halt('shut down');
      }
    });
  }

  shardEnded({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    return this.#serial(async () => {
      if (this.#stopped) return;
      await this.#finish(checkpointer, 'shardEnd');
      // Everything is delivered: SHARD_END lets the children start.
      await checkpointer.checkpoint();
      this.events.emit('checkpointed', { shardId: this.shardId, sequenceNumber: 'SHARD_END', subSequenceNumber: 0 });
      this.halt('shard ended');
    });
  }

  /** Stops for good: cancels timers and waits, and forgets whatever was not checkpointed. */
  halt(why: string): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const dropped = this.#intake.size + (this.#delivery?.delivery.batch.items.length ?? 0);
    this.#intake.buffer.drain();
    this.#delivery = undefined;
    this.#checkpointDue = undefined;
    this.#checkpointDueSince = undefined;
    this.config.clock.clearTimeout(this.#ageTimer);
    this.config.clock.clearTimeout(this.#retryTimer);
    this.#stop.abort();
    this.config.logger.info({ shardId: this.shardId }, `${this.shardId}: pipeline processor stopped (${why})${dropped > 0 ? `; ${dropped} undelivered record(s) left to be re-read` : ''}`);
    this.onStop(this);
  }

  #serial<R>(task: () => Promise<R>): Promise<R> {
    const run = this.#chain.then(task);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #process({ records, checkpointer }: ProcessRecordsInput): Promise<void> {
    if (this.#stopped) {
      this.config.logger.warn({ shardId: this.shardId }, `${this.shardId}: records after the processor stopped are not taken (not checkpointed either)`);
      return;
    }
    this.#checkpointer = checkpointer;
    try {
      await this.#finishDelivery();
      const fresh = this.#accepted === undefined ? records : records.filter((record) => comparePositions(record, this.#accepted!) > 0);
      if (fresh.length === 0) return;
      const outcomes = await this.#intake.transformBatch(fresh);
      for (let i = 0; i < fresh.length; i++) {
        const record = fresh[i]!;
        const outcome = outcomes?.[i] ?? (await this.#intake.transformOne(record));
        if (this.#stopped) return;
        this.#intake.take(record, outcome);
        this.#accepted = record;
        const reason = this.#intake.flushReason(this.config.clock.now());
        if (reason !== undefined) {
          this.#flush(reason);
          await this.#finishDelivery();
        }
      }
    } finally {
      this.#armAgeTimer();
    }
  }

  /** Drains the buffer into a delivery (not yet run). */
  #flush(reason: FlushReason): void {
    this.config.clock.clearTimeout(this.#ageTimer);
    this.#ageTimer = undefined;
    const now = this.config.clock.now();
    const bufferedAt = this.#intake.buffer.startedAt ?? now;
    const drained = this.#intake.drain();
    if (drained === undefined) return;
    const { first, last, items, sources, rejected, bytes, records } = drained;
    const batchId = batchIdOf(this.shardId, first, last);
    const delivery = new BatchDelivery<U>(
      { batchId, first, last, items, sources, rejected, ...(records !== undefined ? { records } : {}) },
      { shardId: this.shardId, config: this.config, events: this.events, signal: this.#stop.signal },
    );
    this.#delivery = { delivery, reason, bytes, startedAt: now, bufferedAt: Math.min(bufferedAt, now) };
  }

  /** Runs a round of the pending delivery, if any; checkpoints when it is done. Throws its error when it is not. */
  async #finishDelivery(): Promise<void> {
    const pending = this.#delivery;
    if (pending === undefined) return;
    this.config.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const { delivery } = pending;
    const done = await delivery.deliver();
    if (this.#stopped) return;
    if (!done) throw delivery.error;
    this.#delivery = undefined;
    this.#retryRounds = 0;
    const { batch } = delivery;
    this.events.emit('flushed', {
      shardId: this.shardId,
      batchId: batch.batchId,
      records: delivery.emitted,
      bytes: pending.bytes,
      deadLettered: delivery.deadLettered,
      attempts: delivery.attempts,
      durationMs: this.config.clock.now() - pending.startedAt,
      bufferAgeMs: pending.startedAt - pending.bufferedAt,
      reason: pending.reason,
    });
    this.#checkpointDue = batch.last;
    this.#checkpointDueSince ??= pending.bufferedAt;
    await this.#checkpoint(false);
  }

  async #checkpoint(throwOnFailure: boolean): Promise<void> {
    const due = this.#checkpointDue;
    const checkpointer = this.#checkpointer;
    if (due === undefined || checkpointer === undefined || this.#stopped) return;
    const position = { shardId: this.shardId, sequenceNumber: due.sequenceNumber, subSequenceNumber: due.subSequenceNumber };
    try {
      await checkpointer.checkpoint(due.sequenceNumber, due.subSequenceNumber);
    } catch (error) {
      this.config.logger.warn(position, `${this.shardId}: checkpoint at ${due.sequenceNumber}/${due.subSequenceNumber} failed: ${(error as Error)?.message ?? String(error)}`);
      this.events.emit('checkpointFailed', { ...position, error: error as Error });
      if (throwOnFailure) throw error;
      return;
    }
    const lagMs = this.#checkpointDueSince === undefined ? undefined : this.config.clock.now() - this.#checkpointDueSince;
    if (this.#checkpointDue === due) {
      this.#checkpointDue = undefined;
      this.#checkpointDueSince = undefined;
    }
    this.events.emit('checkpointed', lagMs === undefined ? position : { ...position, lagMs });
  }

  /** Shutdown or shard end: deliver everything, then checkpoint it. Throws if that cannot be done now. */
  async #finish(checkpointer: Checkpointer, reason: 'shutdown' | 'shardEnd'): Promise<void> {
    if (this.#stopped) return;
    this.#checkpointer = checkpointer;
    await this.#finishDelivery();
    if (!this.#intake.isEmpty) {
      this.#flush(reason);
      await this.#finishDelivery();
    }
    // A checkpoint that failed after an earlier flush is due still.
    if (reason === 'shutdown') await this.#checkpoint(true);
  }

  #armAgeTimer(): void {
    if (this.#stopped || this.#delivery !== undefined || this.#ageTimer !== undefined) return;
    const { startedAt, maxAgeMs } = this.#intake.buffer;
    if (startedAt === undefined) return;
    const delay = Math.max(0, startedAt + maxAgeMs - this.config.clock.now());
    this.#ageTimer = this.config.clock.setTimeout(() => {
      this.#ageTimer = undefined;
      this.#serial(() => this.#onTimer()).catch((error: unknown) => this.#timerFailed(error));
    }, delay);
  }

  /** The age timer or a retry timer: finish a pending delivery, flush an old buffer. */
  async #onTimer(): Promise<void> {
    if (this.#stopped) return;
    try {
      await this.#finishDelivery();
      if (this.#intake.flushReason(this.config.clock.now()) !== undefined) {
        this.#flush('age');
        await this.#finishDelivery();
      }
    } finally {
      this.#armAgeTimer();
    }
  }

  /** A timer-driven round failed (the delivery's events and log already told why): try again after a backoff. */
  #timerFailed(error: unknown): void {
    if (this.#stopped) return;
    if (this.#delivery === undefined) {
      this.config.logger.error({ shardId: this.shardId }, `${this.shardId}: timer flush failed: ${(error as Error)?.message ?? String(error)}`);
      return;
    }
    if (this.#retryTimer !== undefined) return;
    this.#retryRounds++;
    this.#retryTimer = this.config.clock.setTimeout(
      () => {
        this.#retryTimer = undefined;
        this.#serial(() => this.#onTimer()).catch((again: unknown) => this.#timerFailed(again));
      },
      this.config.retryPolicy.delayMs(this.#retryRounds),
    );
  }
}
