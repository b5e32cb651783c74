import type { ChildShard } from '@aws-sdk/client-kinesis';
import { RetryPolicy, SHARD_END, classifyAwsError, epochMsOf, sleep } from '@kinesis-toolkit/core';
import { Checkpointer, type CheckpointProgress } from '../checkpoint/Checkpointer';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { LeaseHandle } from '../coordinator/LeaseHandle';
import { ShardEndNotCheckpointedError, ShardProcessingError } from '../errors';
import type { LeaseStore } from '../leases/LeaseStore';
import { LeaseLostError } from '../leases/errors';
import { childLeaseOf, childLeasesOf } from '../leases/newLease';
import { validateProcessor } from '../processor/validateProcessor';
import type { RecordProcessor } from '../processor/RecordProcessor';
import { FanOutFetcher } from '../retrieval/FanOutFetcher';
import type { KinesisApi } from '../retrieval/KinesisApi';
import { PollingFetcher, type FetcherSettings, type RecordFetcher } from '../retrieval/PollingFetcher';
import { BatchAssembler } from './BatchAssembler';
import { ShardOperationTimes } from './ShardOperationTimes';
import { listening, type WorkerEventSink } from './WorkerEvents';

/** Where a shard consumer is in its life. */
export type ShardConsumerState = 'WaitingOnParents' | 'Initializing' | 'Processing' | 'ShardEnded' | 'LeaseLost' | 'ShuttingDown' | 'Done';

/** What a shard consumer needs from its worker. */
export interface ShardConsumerDeps {
  readonly config: ResolvedWorkerOptions;
  readonly kinesis: KinesisApi;
  readonly store: LeaseStore;
  readonly events: WorkerEventSink;
  /** Set in fan-out mode: the registered consumer to subscribe with. */
  readonly consumerARN?: string | undefined;
  /**
   * The consumer met a failure retrying cannot fix (a fatal AWS answer, a bad processor, an
   * unreadable parent lease). It stops by itself (the processor hears `shutdownRequested`, the lease
   * is released); the worker applies its error policy (`shardError`, maybe `workerError`).
   */
  readonly onFatal: (shardId: string, stage: string, error: unknown) => void;
}

/** Processor callbacks that throw are called again after full-jitter backoff from 100 ms, capped at 30 s. */
const PROCESSOR_RETRY = { baseDelayMs: 100, maxDelayMs: 30_000, maxAttempts: Infinity };
/** Lease-table and Kinesis work of the consumer itself: from 200 ms, capped at 10 s. */
const WORK_RETRY = { baseDelayMs: 200, maxDelayMs: 10_000, maxAttempts: Infinity };

/**
 * Runs one held lease: waits until every parent shard has finished, initialises the processor,
 * feeds it de-aggregated batches in order, and ends the shard (creating its children's leases)
 * — or stops on lease loss, shutdown or a failure retrying cannot fix. A processor that throws gets
 * the same batch again, after a backoff, until it succeeds: nothing is skipped. No batch is handed
 * over once the lease is no longer held here (lost, or dropped by the lease-drop rule).
 */
export class ShardConsumer {
  #state: ShardConsumerState = 'WaitingOnParents';
  #fetcher: RecordFetcher | undefined;
  #processor: RecordProcessor | undefined;
  #stopReason: 'lost' | 'shutdown' | 'handoff' | 'failed' | undefined;
  readonly #stopping = new AbortController();
  readonly #processorRetry: RetryPolicy;
  readonly #workRetry: RetryPolicy;
  readonly #progress: CheckpointProgress;
  readonly #checkpointer: Checkpointer;
  /** For the `operation` events: task times and processor time. */
  readonly #times: ShardOperationTimes;
  /** When the shard's end began (its ShutdownTask starts there). */
  #shutdownStartedAt: number | undefined;
  #shutdownFailed = false;
  /** Settles when the consumer has stopped for good. */
  readonly done: Promise<void>;

  constructor(
    private readonly handle: LeaseHandle,
    private readonly deps: ShardConsumerDeps,
  ) {
    const runtime = { clock: deps.config.clock, random: deps.config.random };
    this.#processorRetry = new RetryPolicy(PROCESSOR_RETRY, runtime);
    this.#workRetry = new RetryPolicy(WORK_RETRY, runtime);
    this.#progress = { lastDelivered: undefined, lastCheckpoint: handle.lease.checkpoint, shardEnded: false };
    this.#checkpointer = new Checkpointer(handle, this.#progress);
    this.#times = new ShardOperationTimes(handle.shardId, deps.config.clock, deps.events);
    this.done = this.#run();
  }

  get shardId(): string {
    return this.handle.shardId;
  }

  get state(): ShardConsumerState {
    return this.#state;
  }

  /** The lease was lost: stop fetching; the processor hears `leaseLost()`. */
  leaseLost(): Promise<void> {
    this.#stop('lost');
    return this.done;
  }

  /** Graceful stop: the processor may checkpoint in `shutdownRequested`, then the lease is released. */
  shutdown(): Promise<void> {
    this.#stop('shutdown');
    return this.done;
  }

  /**
   * Another worker asked for the lease (a graceful handoff): stop fetching; the processor may
   * checkpoint in `shutdownRequested`, then the lease is released — to that worker.
   */
  handOff(): Promise<void> {
    this.#stop('handoff');
    return this.done;
  }

  #stop(reason: 'lost' | 'shutdown' | 'handoff' | 'failed'): void {
    this.#stopReason ??= reason;
    this.#fetcher?.stop();
    if (!this.#stopping.signal.aborted) this.#stopping.abort();
  }

  async #run(): Promise<void> {
    let stage = 'waitForParents';
    let startedAt = this.#times.now();
    try {
      const ready = await this.#waitForParents();
      this.#times.ended('BlockOnParentTask', startedAt, ready);
      if (ready) {
        stage = 'initialize';
        startedAt = this.#times.now();
        await this.#initialize();
        this.#times.ended('InitializeTask', startedAt, this.#stopReason === undefined);
        stage = 'read';
        await this.#process((next) => (stage = next));
      }
    } catch (error) {
      if (stage === 'waitForParents') this.#times.ended('BlockOnParentTask', startedAt, false);
      else if (stage === 'initialize') this.#times.ended('InitializeTask', startedAt, false);
      if (error instanceof LeaseLostError) this.#stop('lost');
      else if (this.#stopReason === undefined) {
        this.#stop('failed');
        this.deps.config.logger.error({ shardId: this.shardId, stage, error: String(error) }, 'the shard consumer stopped on a failure retrying cannot fix');
        this.deps.onFatal(this.shardId, stage, error);
      }
    }
    await this.#finish();
  }

  async #initialize(): Promise<void> {
    this.#state = 'Initializing';
    const lease = this.handle.lease;
    // A factory that throws (a database not reachable yet) is retried like any callback; one that
    // returns something that is not a processor is a bug: refused at once, naming what is missing.
    let made: unknown;
    const processorStartedAt = this.#times.now();
    await this.#retrying('processorFactory', () => {
      made = this.deps.config.processorFactory(this.shardId);
    });
    if (this.#stopReason) return;
    const processor = validateProcessor(made, this.shardId);
    this.#processor = processor;
    await this.#retrying('initialize', () =>
      processor.initialize?.({
        shardId: this.shardId,
        startingSequenceNumber: lease.checkpoint,
        pendingCheckpoint: lease.pendingCheckpoint,
        pendingCheckpointState: lease.pendingCheckpointState,
      }),
    );
    this.#times.initializeProcessorMs = this.#times.now() - processorStartedAt;
  }

  async #process(setStage: (stage: string) => void): Promise<void> {
    if (this.#stopReason) return;
    const { config, events } = this.deps;
    const lease = this.handle.lease;
    this.#state = 'Processing';
    events.emit('leaseProcessing', { shardId: this.shardId, checkpoint: lease.checkpoint });
    const settings: FetcherSettings = {
      api: this.deps.kinesis,
      shardId: this.shardId,
      start: lease.checkpoint,
      timestamp: typeof config.initialPosition === 'object' ? config.initialPosition.timestamp : undefined,
      maxRecords: config.maxRecords,
      idleTimeBetweenReadsMs: config.idleTimeBetweenReadsMs,
      maxPrefetchedBatches: config.maxPrefetchedBatches,
      clock: config.clock,
      logger: config.logger,
      random: config.random,
      onGetRecords: (outcome) => {
        if (listening(events, 'recordsFetched')) events.emit('recordsFetched', { shardId: this.shardId, timestamp: epochMsOf(config.clock), ...outcome });
      },
    };
    const consumerARN = this.deps.consumerARN;
    this.#fetcher =
      consumerARN === undefined
        ? new PollingFetcher(settings)
        : new FanOutFetcher({ ...settings, consumerARN, subscriptionIdleTimeoutMs: config.subscriptionIdleTimeoutMs });
    if (this.#stopReason) this.#fetcher.stop();
    const assembler = new BatchAssembler(this.shardId, lease.hashKeyRange, lease.checkpoint, events);
    const processor = this.#processor!;
    for (;;) {
      const batch = await this.#fetcher.next();
      if (batch === undefined || this.#stopReason) return;
      // Dropped by the lease-drop rule (or lost) while the batch was on its way: not handed over.
      if (!this.handle.held) throw new LeaseLostError(this.shardId, 'processRecords', undefined, 'the lease is no longer held here');
      const startedAt = this.#times.now();
      const records = assembler.assemble(batch);
      let processRecordsTimeMs = 0;
      if (records.length > 0) {
        const input = { records, millisBehindLatest: batch.millisBehindLatest, checkpointer: this.#checkpointer };
        const last = records[records.length - 1]!;
        this.#progress.lastDelivered = { sequenceNumber: last.sequenceNumber, subSequenceNumber: last.subSequenceNumber };
        const processStartedAt = this.#times.now();
        await this.#retrying('processRecords', () => processor.processRecords(input));
        processRecordsTimeMs = this.#times.now() - processStartedAt;
      }
      this.#times.emit(() => {
        let bytes = 0;
        for (const record of records) bytes += record.data.length;
        const { timestamp, durationMs } = this.#times.timing(startedAt);
        const success = this.#stopReason === undefined;
        return { operation: 'ProcessTask', shardId: this.shardId, success, timestamp, durationMs, records: records.length, bytes, millisBehindLatest: batch.millisBehindLatest, processRecordsTimeMs };
      });
      if (this.#stopReason) return;
      if (batch.shardEnded) {
        setStage('shardEnded');
        return this.#endShard(batch.childShards);
      }
    }
  }

  async #finish(): Promise<void> {
    const processor = this.#processor;
    const startedAt = this.#shutdownStartedAt ?? this.#times.now();
    // A finished shard released its lease itself: that is not a loss to report.
    const finished = this.#progress.lastCheckpoint.sequenceNumber === SHARD_END;
    const failed = (stage: string) => (error: unknown) => {
      this.#shutdownFailed = true;
      this.#report(stage, error);
    };
    if (!finished && this.#stopReason === 'lost') {
      this.#state = 'LeaseLost';
      if (processor) await this.#times.timeShutdown(() => Promise.resolve(processor.leaseLost?.()).catch(failed('leaseLost')));
    } else if (this.#stopReason === 'shutdown' || this.#stopReason === 'handoff' || this.#stopReason === 'failed') {
      this.#state = 'ShuttingDown';
      // A shard that finished has nothing left to checkpoint.
      if (processor && !finished && this.handle.held) {
        await this.#times.timeShutdown(() => Promise.resolve(processor.shutdownRequested?.({ checkpointer: this.#checkpointer })).catch(failed('shutdownRequested')));
      }
      await this.handle.release();
    }
    if (processor !== undefined) {
      const reason = this.#shutdownStartedAt !== undefined ? 'shardEnded' : this.#stopReason === 'lost' ? 'leaseLost' : this.#stopReason === 'failed' ? 'failed' : 'shutdown';
      const success = !this.#shutdownFailed && (reason !== 'shardEnded' || this.#progress.lastCheckpoint.sequenceNumber === SHARD_END);
      this.#times.emit(() => ({ operation: 'ShutdownTask', shardId: this.shardId, reason, success, ...this.#times.timing(startedAt), processorTimeMs: this.#times.shutdownProcessorMs }));
    }
    this.#state = 'Done';
  }

  /** Resolves true when every parent is finished (or has no lease), false if stopped first. */
  async #waitForParents(): Promise<boolean> {
    const parents = this.handle.lease.parentShardIds;
    while (parents.length > 0 && !this.#stopReason) {
      let pending = 0;
      for (const parent of parents) {
        const lease = await this.#withRetries(`getLease(${parent})`, (signal) => this.deps.store.getLease(parent, { signal }));
        if (this.#stopReason) return false;
        if (lease !== undefined && lease.checkpoint.sequenceNumber !== SHARD_END) pending++;
      }
      if (pending === 0) return true;
      await this.#sleep(this.deps.config.parentShardPollIntervalMs);
    }
    return !this.#stopReason;
  }

  /** Creates the children's leases, then asks the processor to checkpoint SHARD_END, until it does. */
  async #endShard(childShards: readonly ChildShard[] | undefined): Promise<void> {
    this.#state = 'ShardEnded';
    this.#shutdownStartedAt = this.#times.now();
    this.#progress.shardEnded = true;
    const fromChildShards = childShards !== undefined && childShards.length > 0;
    const children = fromChildShards ? childShards.map(childLeaseOf) : await this.#withRetries('ListShards (children)', async (signal) => childLeasesOf(this.shardId, await this.deps.kinesis.listShards({ signal })));
    if (children === undefined || this.#stopReason) return;
    for (const child of children) {
      await this.#withRetries(`createLease(${child.leaseKey})`, (signal) => this.deps.store.createLeaseIfNotExists(child, { signal }));
      if (this.#stopReason) return;
    }
    // Best effort (the Java KCL's childShardIds): children are found from the stream without it.
    if (children.length > 0) await this.handle.recordChildren(children.map((child) => child.leaseKey)).catch(() => undefined);
    const processor = this.#processor!;
    for (let attempt = 1; !this.#stopReason; attempt++) {
      await this.#times.timeShutdown(() => this.#retrying('shardEnded', () => processor.shardEnded({ checkpointer: this.#checkpointer })));
      if (this.#progress.lastCheckpoint.sequenceNumber === SHARD_END || this.#stopReason) break;
      this.#report('shardEnded', new ShardEndNotCheckpointedError(this.shardId));
      await this.#sleep(this.#processorRetry.delayMs(attempt));
    }
    if (this.#progress.lastCheckpoint.sequenceNumber === SHARD_END) {
      const childShardIds = children.map((child) => child.leaseKey);
      this.deps.events.emit('shardEnded', { shardId: this.shardId, childShardIds, childShardsFrom: fromChildShards ? 'ChildShards' : 'ListShards' });
      // Nobody needs to hold a finished lease: give it up so it is not renewed forever.
      await this.handle.release();
    }
  }

  /** Runs a processor callback until it succeeds (or the consumer stops), backing off between tries. */
  async #retrying(stage: string, call: () => void | Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call();
        return;
      } catch (error) {
        this.#report(stage, error, attempt);
        if (this.#stopReason || !this.handle.held) return;
        await this.#sleep(this.#processorRetry.delayMs(attempt));
        if (this.#stopReason) return;
      }
    }
  }

  /**
   * Runs the consumer's own lease-table or Kinesis work until it succeeds or the consumer stops:
   * retryable failures back off and are logged at warn with the count in a row; others throw.
   * Resolves undefined when stopped.
   */
  async #withRetries<T>(stage: string, work: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
    for (let failures = 0; ; ) {
      if (this.#stopReason) return undefined;
      try {
        return await work(this.#stopping.signal);
      } catch (error) {
        if (this.#stopReason) return undefined;
        const { retryable, code } = classifyAwsError(error);
        if (error instanceof LeaseLostError || !retryable) throw error;
        failures++;
        const pauseMs = this.#workRetry.delayMs(failures);
        this.deps.config.logger.warn({ shardId: this.shardId, stage, code, consecutiveFailures: failures, pauseMs }, `${stage} failed ${failures} time(s) in a row; retrying`);
        await this.#sleep(pauseMs);
      }
    }
  }

  #report(stage: string, error: unknown, attempt?: number): void {
    const wrapped = error instanceof ShardEndNotCheckpointedError ? error : new ShardProcessingError(this.shardId, stage, error, attempt);
    this.deps.config.logger.error({ shardId: this.shardId, stage, attempt }, wrapped.message);
    this.deps.events.emit('processorError', wrapped);
  }

  #sleep(ms: number): Promise<void> {
    return sleep(ms, { clock: this.deps.config.clock, signal: this.#stopping.signal }).catch(() => undefined);
  }
}
