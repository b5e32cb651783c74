import type { ChildShard, KinesisClient } from '@aws-sdk/client-kinesis';
import { deaggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { Checkpointer, type CheckpointProgress } from '../checkpoint/Checkpointer';
import { compareExtended } from '../checkpoint/sequenceOrder';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { LeaseHandle } from '../coordinator/LeaseHandle';
import { ShardEndNotCheckpointedError, ShardProcessingError } from '../errors';
import type { Lease } from '../leases/Lease';
import { newLease } from '../leases/newLease';
import { listShards } from '../retrieval/listShards';
import type { LeaseStore } from '../leases/LeaseStore';
import type { RecordProcessor } from '../processor/RecordProcessor';
import { FanOutFetcher } from '../retrieval/FanOutFetcher';
import { PollingFetcher, type FetcherSettings, type RecordFetcher } from '../retrieval/PollingFetcher';
import type { WorkerEventSink } from './WorkerEvents';

/** Where a shard consumer is in its life. */
export type ShardConsumerState = 'WaitingOnParents' | 'Initializing' | 'Processing' | 'ShardEnded' | 'LeaseLost' | 'ShuttingDown' | 'Done';

/** What a shard consumer needs from its worker. */
export interface ShardConsumerDeps {
  readonly config: ResolvedWorkerOptions;
  readonly kinesis: KinesisClient;
  readonly store: LeaseStore;
  readonly events: WorkerEventSink;
  /** Set in fan-out mode: the registered consumer to subscribe with. */
  readonly consumerARN?: string;
}

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * Runs one held lease: waits until every parent shard has finished, initialises the processor,
 * feeds it de-aggregated batches in order, and ends the shard (creating its children's leases)
 * — or stops on lease loss or shutdown. A processor that throws gets the same batch again,
 * after a backoff, until it succeeds: nothing is skipped.
 */
export class ShardConsumer {
  #state: ShardConsumerState = 'WaitingOnParents';
  #fetcher: RecordFetcher | undefined;
  #processor: RecordProcessor | undefined;
  #stopReason: 'lost' | 'shutdown' | undefined;
  #wake: (() => void) | undefined;
  #timer: unknown;
  /** Set once a record past the starting checkpoint has been seen: records only move forward. */
  #pastCheckpoint = false;
  readonly #progress: CheckpointProgress;
  readonly #checkpointer: Checkpointer;
  /** Settles when the consumer has stopped for good. */
  readonly done: Promise<void>;

  constructor(
    private readonly handle: LeaseHandle,
    private readonly deps: ShardConsumerDeps,
  ) {
    this.#progress = { lastDelivered: undefined, lastCheckpoint: handle.lease.checkpoint, shardEnded: false };
    this.#checkpointer = new Checkpointer(handle, this.#progress);
    this.done = this.#run().catch((error: unknown) => {
      deps.events.emit('shardError', new ShardProcessingError(this.shardId, 'consumer', error));
    });
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

  #stop(reason: 'lost' | 'shutdown'): void {
    this.#stopReason ??= reason;
    this.#fetcher?.stop();
    this.deps.config.clock.clearTimeout(this.#timer);
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const { config, events } = this.deps;
    if (!(await this.#waitForParents())) return this.#finishStopped();
    this.#state = 'Initializing';
    const lease = this.handle.lease;
    this.#processor = config.processorFactory(this.shardId);
    await this.#retrying('initialize', () =>
      this.#processor!.initialize?.({
        shardId: this.shardId,
        startingSequenceNumber: lease.checkpoint,
        pendingCheckpoint: lease.pendingCheckpoint,
        pendingCheckpointState: lease.pendingCheckpointState,
      }),
    );
    if (this.#stopReason) return this.#finishStopped();
    this.#state = 'Processing';
    events.emit('leaseProcessing', { shardId: this.shardId, checkpoint: lease.checkpoint });
    const settings: FetcherSettings = {
      client: this.deps.kinesis,
      streamName: config.streamName,
      streamARN: config.streamARN,
      shardId: this.shardId,
      start: lease.checkpoint,
      timestamp: typeof config.initialPosition === 'object' ? config.initialPosition.timestamp : undefined,
      maxRecords: config.maxRecords,
      idleTimeBetweenReadsMs: config.idleTimeBetweenReadsMs,
      maxPrefetchedBatches: config.maxPrefetchedBatches,
      clock: config.clock,
      logger: config.logger,
      random: config.random,
    };
    const consumerARN = this.deps.consumerARN;
    this.#fetcher = consumerARN === undefined ? new PollingFetcher(settings) : new FanOutFetcher({ ...settings, consumerARN });
    const range = await this.#hashKeyRange(lease);
    for (;;) {
      const batch = await this.#fetcher.next();
      if (batch === undefined || this.#stopReason) break;
      const records: UserRecord[] = [];
      for (const record of batch.records) {
        const result = deaggregate(record, range === undefined ? {} : { shardHashKeyRange: range });
        // A checkpoint inside an aggregate re-reads it: skip (and do not report again) what is done.
        const fresh = (userRecord: UserRecord) =>
          this.#pastCheckpoint || (this.#pastCheckpoint = compareExtended(userRecord, this.#progress.lastCheckpoint) > 0);
        // Out-of-range sub-records are judged first, without moving the flag: within the
        // checkpoint's own aggregate they interleave with the delivered ones.
        const outOfRange = this.#pastCheckpoint
          ? result.outOfRange
          : result.outOfRange.filter((userRecord) => compareExtended(userRecord, this.#progress.lastCheckpoint) > 0);
        // Past the checkpoint (every batch but the first), nothing needs filtering or copying.
        const delivered = this.#pastCheckpoint ? result.records : result.records.filter(fresh);
        if (result.format === 'corrupt' && delivered.length > 0) {
          events.emit('corruptRecord', { shardId: this.shardId, sequenceNumber: record.SequenceNumber!, reason: result.corruption!.message });
        }
        if (outOfRange.length > 0) events.emit('recordsOutOfRange', { shardId: this.shardId, records: outOfRange });
        records.push(...delivered);
      }
      if (records.length > 0) {
        const input = { records, millisBehindLatest: batch.millisBehindLatest, checkpointer: this.#checkpointer };
        const last = records[records.length - 1]!;
        this.#progress.lastDelivered = { sequenceNumber: last.sequenceNumber, subSequenceNumber: last.subSequenceNumber };
        await this.#retrying('processRecords', () => this.#processor!.processRecords(input));
        if (this.#stopReason) break;
      }
      if (batch.shardEnded) {
        await this.#endShard(batch.childShards);
        break;
      }
    }
    return this.#finishStopped();
  }

  async #finishStopped(): Promise<void> {
    const processor = this.#processor;
    // A finished shard released its lease itself: that is not a loss to report.
    const finished = this.#progress.lastCheckpoint.sequenceNumber === 'SHARD_END';
    if (!finished && (this.#stopReason === 'lost' || this.handle.lost)) {
      this.#state = 'LeaseLost';
      if (processor) await Promise.resolve(processor.leaseLost?.()).catch((error: unknown) => this.#report('leaseLost', error));
    } else if (this.#stopReason === 'shutdown') {
      this.#state = 'ShuttingDown';
      // A shard that finished has nothing left to checkpoint.
      if (processor && this.#progress.lastCheckpoint.sequenceNumber !== 'SHARD_END') {
        await Promise.resolve(processor.shutdownRequested?.({ checkpointer: this.#checkpointer })).catch((error: unknown) => this.#report('shutdownRequested', error));
      }
      await this.handle.release();
    }
    this.#state = 'Done';
  }

  /** Resolves true when every parent is finished (or has no lease), false if stopped first. */
  async #waitForParents(): Promise<boolean> {
    const parents = this.handle.lease.parentShardIds;
    while (parents.length > 0 && !this.#stopReason) {
      let pending = 0;
      for (const parent of parents) {
        const lease = await this.deps.store.getLease(parent).catch(() => 'unknown' as const);
        if (lease === 'unknown' || (lease !== undefined && lease.checkpoint.sequenceNumber !== 'SHARD_END')) pending++;
      }
      if (pending === 0) return true;
      await this.#sleep(this.deps.config.parentShardPollIntervalMs);
    }
    return !this.#stopReason;
  }

  /** Creates the children's leases, then asks the processor to checkpoint SHARD_END, until it does. */
  async #endShard(childShards: readonly ChildShard[] | undefined): Promise<void> {
    this.#state = 'ShardEnded';
    this.#progress.shardEnded = true;
    const children = childShards && childShards.length > 0 ? childShards.map(fromChildShard) : await this.#childrenFromListShards();
    for (const child of children) await this.deps.store.createLeaseIfNotExists(child);
    if (children.length > 0) await this.handle.recordChildren(children.map((child) => child.leaseKey)).catch(() => undefined);
    for (let attempt = 1; !this.#stopReason; attempt++) {
      await this.#retrying('shardEnded', () => this.#processor!.shardEnded({ checkpointer: this.#checkpointer }));
      if (this.#progress.lastCheckpoint.sequenceNumber === 'SHARD_END' || this.#stopReason) break;
      this.#report('shardEnded', new ShardEndNotCheckpointedError(this.shardId));
      await this.#sleep(this.#delay(attempt));
    }
    if (this.#progress.lastCheckpoint.sequenceNumber === 'SHARD_END') {
      this.deps.events.emit('shardEnded', { shardId: this.shardId, childShardIds: children.map((child) => child.leaseKey) });
      // Nobody needs to hold a finished lease: give it up so it is not renewed forever.
      await this.handle.release();
    }
  }

  async #childrenFromListShards(): Promise<Lease[]> {
    const shards = await listShards(this.deps.kinesis, this.deps.config);
    return shards
      .filter((shard) => shard.ParentShardId === this.shardId || shard.AdjacentParentShardId === this.shardId)
      .map((shard) =>
        newLease(shard.ShardId!, [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => id !== undefined), shard.HashKeyRange),
      );
  }

  async #hashKeyRange(lease: Lease): Promise<{ startingHashKey: string; endingHashKey: string } | undefined> {
    return lease.hashKeyRange;
  }

  /** Runs a processor callback until it succeeds (or the consumer stops), backing off between tries. */
  async #retrying(stage: string, call: () => void | Promise<void>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await call();
        return;
      } catch (error) {
        this.#report(stage, error);
        if (this.#stopReason) return;
        await this.#sleep(this.#delay(attempt));
        if (this.#stopReason) return;
      }
    }
  }

  #report(stage: string, error: unknown): void {
    const wrapped = error instanceof ShardEndNotCheckpointedError ? error : new ShardProcessingError(this.shardId, stage, error);
    this.deps.config.logger.error({ shardId: this.shardId, stage }, wrapped.message);
    this.deps.events.emit('processorError', wrapped);
  }

  #delay(attempt: number): number {
    const ceiling = Math.min(MAX_RETRY_DELAY_MS, 100 * 2 ** Math.min(attempt, 20));
    return Math.max(10, Math.floor(this.deps.config.random() * ceiling));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stopReason) return resolve();
      this.#wake = resolve;
      this.#timer = this.deps.config.clock.setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
    });
  }
}

function fromChildShard(child: ChildShard): Lease {
  return newLease(child.ShardId!, child.ParentShards ?? [], child.HashKeyRange);
}
