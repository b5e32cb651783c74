import type { UserRecord } from '@kinesis-toolkit/aggregation';
import { compareExtendedSequenceNumbers, type Clock, type ExtendedSequenceNumber, type Logger } from '@kinesis-toolkit/core';
import type { Checkpointer } from '../checkpoint/Checkpointer';
import { LeaseLostError } from '../leases/errors';
import type { Batch, FailedBatch, ResolvedBatchHandlerOptions } from './BatchHandlerOptions';
import type { InitializationInput, ProcessRecordsInput, RecordProcessor } from './RecordProcessor';

/** What a {@link HandlerProcessor} runs with. */
export interface HandlerProcessorSettings {
  readonly options: ResolvedBatchHandlerOptions;
  /** The function records go to: the user's `eachBatch` / `eachRecord`, or the iterator's hand-off. */
  readonly handler: NonNullable<ResolvedBatchHandlerOptions['handler']>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** How far the batch being worked on has got (kept across the worker's retries of the same batch). */
interface BatchProgress {
  readonly input: ProcessRecordsInput;
  /** Index of the first record not yet done. */
  next: number;
  /** Failed attempts of the current unit (the batch, or for eachRecord the record at `next`). */
  failures: number;
  lastError: unknown;
  /** The unit has used up its attempts: it goes to onBatchFailed. */
  exhausted: boolean;
}

/**
 * The record processor behind `eachBatch`, `eachRecord` and `worker.batches()`: one per shard,
 * run by the worker's ordinary lifecycle. It hands records to the function, remembers the last
 * record whose work is done, and checkpoints that — never past work that did not complete —
 * after each batch (or as `autoCheckpoint` says), at shutdown, and `SHARD_END` at the shard's end.
 *
 * Retries are the worker's: a throw is rethrown, and the worker (`processorError`, full-jitter
 * backoff on its clock) calls `processRecords` again with the same batch; the progress kept here
 * resumes `eachRecord` at the record that failed, and after `maxBatchAttempts` hands the unit to
 * `onBatchFailed`. The `signal` fires when the adapter hears of a lost lease or a shutdown; work
 * that stops then is not done, and nothing more is started.
 */
export class HandlerProcessor implements RecordProcessor {
  readonly #controller = new AbortController();
  #checkpointer: Checkpointer | undefined;
  /** The last record whose work is done: it resolved, or onBatchFailed took it. */
  #completed: ExtendedSequenceNumber | undefined;
  #checkpointed: ExtendedSequenceNumber = { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 };
  #recordsSinceCheckpoint = 0;
  #lastCheckpointAt: number;
  /** Work stopped unfinished on the signal: SHARD_END must not be written past it. */
  #unfinished = false;
  #progress: BatchProgress | undefined;

  constructor(
    readonly shardId: string,
    private readonly settings: HandlerProcessorSettings,
  ) {
    this.#lastCheckpointAt = settings.clock.now();
  }

  /** Fires on lease loss, a graceful handoff or shutdown. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Stops the work: the signal fires, and no further record is handed over. */
  abort(reason: unknown): void {
    if (!this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  initialize(input: InitializationInput): void {
    this.#checkpointed = input.startingSequenceNumber;
  }

  async processRecords(input: ProcessRecordsInput): Promise<void> {
    this.#checkpointer = input.checkpointer;
    const { options, handler } = this.settings;
    const records = input.records;
    let progress = this.#progress;
    if (progress?.input !== input) progress = this.#progress = { input, next: 0, failures: 0, lastError: undefined, exhausted: false };
    while (progress.next < records.length) {
      if (this.signal.aborted) return this.#stopUnfinished();
      const unit = handler.kind === 'eachRecord' ? records.slice(progress.next, progress.next + 1) : records;
      try {
        if (progress.exhausted) await options.onBatchFailed!(this.#failedBatch(unit, progress.failures), progress.lastError);
        else await this.#run(unit, input);
      } catch (error) {
        if (this.signal.aborted) return this.#stopUnfinished();
        if (!progress.exhausted) {
          progress.failures++;
          progress.lastError = error;
        }
        // What finished before the failure stays done: checkpoint up to the record before it.
        await this.#checkpointIfDue(true).catch((checkpointError: unknown) => this.#warnCheckpoint(checkpointError));
        if (!progress.exhausted && progress.failures >= options.maxBatchAttempts) {
          progress.exhausted = true;
          continue;
        }
        throw error;
      }
      this.#complete(unit[unit.length - 1]!, unit.length);
      progress.next += unit.length;
      progress.failures = 0;
      progress.exhausted = false;
    }
    // A checkpoint that fails here is retried by the worker like a failed batch; the batch itself is
    // not run again (its progress says it is done).
    await this.#checkpointIfDue(false);
    this.#progress = undefined;
  }

  async shardEnded({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    // Every batch resolved before the worker reached the shard's end; the guard covers a stop racing it.
    if (this.#unfinished) return;
    await checkpointer.checkpoint();
  }

  async shutdownRequested({ checkpointer }: { readonly checkpointer: Checkpointer }): Promise<void> {
    this.abort(new Error('the worker is shutting down'));
    this.#checkpointer ??= checkpointer;
    await this.#checkpointIfDue(true);
  }

  leaseLost(): void {
    this.abort(new LeaseLostError(this.shardId, 'processing', undefined, 'another worker took the lease'));
  }

  #run(unit: readonly UserRecord[], input: ProcessRecordsInput): void | Promise<void> {
    const { handler } = this.settings;
    const { shardId, signal } = this;
    const { millisBehindLatest } = input;
    if (handler.kind === 'eachRecord') {
      const record = unit[0]!;
      return handler.call({ shardId, record, millisBehindLatest, signal, checkpoint: () => this.#checkpointAt(record) });
    }
    const batch: Batch = { shardId, records: unit, millisBehindLatest, signal, checkpoint: (record?: UserRecord) => this.#checkpointAt(record ?? unit[unit.length - 1]!) };
    return handler.call(batch);
  }

  #failedBatch(records: readonly UserRecord[], attempts: number): FailedBatch {
    return { shardId: this.shardId, records, attempts, signal: this.signal };
  }

  #complete(record: UserRecord, count: number): void {
    this.#completed = { sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber };
    this.#recordsSinceCheckpoint += count;
  }

  #stopUnfinished(): void {
    this.#unfinished = true;
    this.#progress = undefined;
  }

  /** Checkpoints the last completed record if `autoCheckpoint` says so now (`force`: whenever it is on). */
  async #checkpointIfDue(force: boolean): Promise<void> {
    const auto = this.settings.options.autoCheckpoint;
    const completed = this.#completed;
    if (auto === undefined || completed === undefined || compareExtendedSequenceNumbers(completed, this.#checkpointed) <= 0) return;
    const due = force || this.#recordsSinceCheckpoint >= auto.everyRecords || this.settings.clock.now() - this.#lastCheckpointAt >= auto.everyMs;
    if (!due) return;
    try {
      await this.#checkpointAt(completed);
    } catch (error) {
      // The worker has heard of the loss too (the lease handle reports it) and stops the shard.
      if (!(error instanceof LeaseLostError)) throw error;
    }
  }

  async #checkpointAt(position: ExtendedSequenceNumber): Promise<void> {
    await this.#checkpointer!.checkpoint(position.sequenceNumber, position.subSequenceNumber);
    if (compareExtendedSequenceNumbers(position, this.#checkpointed) > 0) this.#checkpointed = position;
    this.#recordsSinceCheckpoint = 0;
    this.#lastCheckpointAt = this.settings.clock.now();
  }

  #warnCheckpoint(error: unknown): void {
    this.settings.logger.warn({ shardId: this.shardId, error: String(error) }, 'checkpoint after a failed batch did not get through; the next one will cover it');
  }
}
