import { EventEmitter } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { InvalidArgumentError, SDK_CLIENT_DEFAULTS, classifyAwsError, epochMsOf, requireMethods } from '@kinesis-toolkit/core';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from './config/WorkerOptions';
import { LeaseCoordinator } from './coordinator/LeaseCoordinator';
import type { LeaseHandle } from './coordinator/LeaseHandle';
import { ShardSync } from './coordinator/ShardSync';
import { ShardFailedError, WorkerFailedError, WorkerStateError } from './errors';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import type { LeaseStore } from './leases/LeaseStore';
import { ShardConsumer } from './lifecycle/ShardConsumer';
import type { LeaseLostEvent, WorkerEvents } from './lifecycle/WorkerEvents';
import { failureScope } from './lifecycle/failureScope';
import { listening } from './lifecycle/WorkerEvents';
import { WorkerMetrics } from './metrics/WorkerMetrics';
import type { Batch } from './processor/BatchHandlerOptions';
import { KinesisApi } from './retrieval/KinesisApi';
import { registerFanOutConsumer } from './retrieval/registerFanOutConsumer';

/** Parts a worker may be given instead of building them (tests, custom storage). */
export interface WorkerParts {
  /** Where leases live. @defaultValue a `DynamoDBLeaseStore` on the table `applicationName` */
  readonly leaseStore?: LeaseStore;
}

const LEASE_STORE_METHODS = ['ensureTable', 'listLeases', 'getLease', 'createLeaseIfNotExists', 'renewLease', 'takeLease', 'releaseLease', 'updateCheckpoint', 'initiateGracefulHandoff'];

/**
 * A consumer worker: shares a stream with the other workers of its application through a
 * lease table (Java KCL 2.x format), hands each shard's records to `eachBatch` or `eachRecord`
 * (checkpointing for you), to `worker.batches()`, or to a record processor per shard, and hands its
 * shards over promptly on `shutdown()`.
 *
 * ```ts
 * const worker = new Worker({ streamName: 'orders', applicationName: 'orders-to-s3', eachBatch: async ({ records }) => save(records) });
 * worker.on('workerError', (error) => { console.error(error.message); process.exitCode = 1; });
 * await worker.start();
 * process.on('SIGTERM', () => worker.shutdown());
 * ```
 */
export class Worker extends EventEmitter<WorkerEvents> {
  readonly config: ResolvedWorkerOptions;
  readonly #kinesisClient: KinesisClient;
  readonly #dynamo: DynamoDBClient | undefined;
  readonly #ownsClients: boolean[];
  readonly #kinesis: KinesisApi;
  readonly #store: LeaseStore;
  readonly #coordinator: LeaseCoordinator;
  readonly #shardSync: ShardSync;
  readonly #consumers = new Map<string, ShardConsumer>();
  /** Aborts start()'s calls and a shard sync in flight when the worker shuts down. */
  readonly #stopping = new AbortController();
  #syncTimer: unknown;
  #syncFailures = 0;
  #state: 'new' | 'running' | 'shuttingDown' | 'stopped' | 'failed' = 'new';
  #shutdown: Promise<void> | undefined;
  #failure: WorkerFailedError | undefined;
  #consumerARN: string | undefined;
  readonly #metrics: WorkerMetrics | undefined;

  /** @throws InvalidArgumentError (a TypeError) naming the option that is wrong. */
  constructor(options: WorkerOptions, parts: WorkerParts = {}) {
    super();
    const resolved = resolveWorkerOptions(options);
    // Every line the worker logs says where it comes from (a shard consumer's add the shard).
    const logger = resolved.logger.child({ component: 'kcl', streamName: resolved.streamName ?? resolved.streamARN, applicationName: resolved.applicationName, workerId: resolved.workerId });
    this.config = Object.freeze({ ...resolved, logger });
    const config = this.config;
    if (parts.leaseStore !== undefined) requireMethods('leaseStore', parts.leaseStore, LEASE_STORE_METHODS, 'a LeaseStore');
    // Clients built here do not retry in the SDK: the worker's deadlines and retry policy are the one layer.
    this.#kinesisClient = config.kinesisClient ?? new KinesisClient({ ...SDK_CLIENT_DEFAULTS });
    useWireProtocol(this.#kinesisClient, { wireProtocol: config.wireProtocol, logger: config.logger });
    this.#dynamo = parts.leaseStore ? undefined : (config.dynamoClient ?? new DynamoDBClient({ ...SDK_CLIENT_DEFAULTS }));
    this.#ownsClients = [config.kinesisClient === undefined, config.dynamoClient === undefined && !parts.leaseStore];
    const runtime = { clock: config.clock, random: config.random, logger: config.logger };
    this.#store =
      parts.leaseStore ??
      new DynamoDBLeaseStore(this.#dynamo!, { tableName: config.applicationName, billingMode: config.billingMode, requestTimeoutMs: config.leaseRequestTimeoutMs, ...runtime });
    this.#kinesis = new KinesisApi({ client: this.#kinesisClient, streamName: config.streamName, streamARN: config.streamARN, requestTimeoutMs: config.requestTimeoutMs, ...runtime });
    this.#shardSync = new ShardSync(this.#kinesis, this.#store, config);
    config.handlerAdapter?.attach(this);
    this.#coordinator = new LeaseCoordinator(this.#store, config, this, {
      acquired: (handle) => this.#startConsumer(handle),
      lost: (handle, event) => this.#onLost(handle, event),
      handoff: (handle, newOwner) => this.#onHandoff(handle, newOwner),
      fatal: (error) => this.#fail(new WorkerFailedError(`worker ${config.workerId} stopped: the lease table ${config.applicationName} cannot be used`, error, this.#context())),
    });
    this.#metrics = config.metrics === undefined ? undefined : new WorkerMetrics(this, config, config.metrics);
  }

  /** The shards whose leases this worker holds now. */
  get heldShards(): string[] {
    return [...this.#coordinator.held.keys()].sort();
  }

  /**
   * Checks the stream (DescribeStreamSummary), creates the lease table if needed, syncs shards
   * into leases, and starts taking and processing leases. Every call has a deadline.
   * @throws WorkerFailedError when the stream is missing, access is denied, or Kinesis or the lease
   * table cannot be reached within their retries — the stream is checked first, so a worker pointed
   * at a missing stream creates no lease table. `reason` is the AWS code.
   * @throws WorkerStateError when called a second time
   */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new WorkerStateError('start', this.#state);
    if (this.config.handlerAdapter?.awaitingIterator) {
      throw new InvalidArgumentError('eachBatch | eachRecord | processorFactory', 'one of them, or iterate worker.batches() instead of calling start()', undefined);
    }
    this.#state = 'running';
    const signal = this.#stopping.signal;
    try {
      const stream = await this.#kinesis.describeStream(signal);
      await this.#store.ensureTable({ signal });
      if (this.config.retrievalMode === 'fanout') {
        this.#consumerARN = await registerFanOutConsumer(this.#kinesis, this.config.streamARN ?? stream.StreamARN!, this.config.consumerName, signal);
      }
      await this.#syncShards(true);
      await this.#coordinator.start();
    } catch (error) {
      // shutdown() during start(): start() ends quietly, as shutdown() asked.
      if (this.#state !== 'running') return;
      const failure = error instanceof WorkerFailedError ? error : new WorkerFailedError(`worker ${this.config.workerId} cannot start on stream ${this.#kinesis.streamLabel}`, error, this.#context());
      this.#failure = failure;
      await this.shutdown();
      throw failure;
    }
  }

  /**
   * Graceful shutdown: stops taking leases, lets every processor checkpoint in
   * `shutdownRequested`, releases the leases (so other workers take them at once, not after
   * `failoverTimeMs`), and stops. Idempotent. Every lease-table call on the way has a deadline, so
   * it finishes even when the table cannot be reached.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#state = 'shuttingDown';
      this.#stopping.abort();
      this.config.clock.clearTimeout(this.#syncTimer);
      // Let a round in flight finish first, so no consumer starts after the list below is taken.
      await this.#coordinator.stopTaking();
      const stopped = [...this.#consumers.values()].map((consumer) => consumer.shutdown());
      // eachBatch / eachRecord / batches(): the signals fire as the consumers stop (not before: a
      // batch cut short must find its consumer stopping, so the shard cannot reach its end past it).
      this.config.handlerAdapter?.stop();
      // The leases are renewed until every processor has finished and checkpointed: a shutdown
      // slower than failoverTimeMs must not let another worker take a shard it is still processing.
      await Promise.all(stopped);
      await this.#coordinator.stop();
      await Promise.all([...this.#coordinator.held.values()].map((handle) => handle.release()));
      if (this.#ownsClients[0]) this.#kinesisClient.destroy();
      if (this.#ownsClients[1]) this.#dynamo?.destroy();
      this.#metrics?.stop();
      this.#state = this.#failure === undefined ? 'stopped' : 'failed';
      this.config.handlerAdapter?.ended(this.#failure);
    })();
    return this.#shutdown;
  }

  /**
   * The records as an async iterator, for scripts and tools: `for await (const batch of
   * worker.batches())`. For a worker created without eachBatch, eachRecord and processorFactory;
   * the first `next()` starts it (start() errors reject it). Batches of one shard come in order,
   * shards interleaved; a shard's next batch is fetched only within its bounded prefetch
   * (`maxPrefetchedBatches`) while the loop is busy. A batch is done when the loop asks for the
   * next one, and checkpointed as `autoCheckpoint` says (or call `batch.checkpoint()`). Leaving the
   * loop early shuts the worker down (completed batches checkpointed, the one in hand not, leases
   * released); a lost lease fires `batch.signal` and drops that shard's waiting batches. The
   * iteration ends when the worker stops, or throws its `WorkerFailedError`.
   * @throws WorkerStateError when the worker consumes through eachBatch, eachRecord or a processorFactory, or is already iterated
   */
  batches(): AsyncIterableIterator<Batch> {
    const adapter = this.config.handlerAdapter;
    if (adapter === undefined) throw new WorkerStateError('batches', 'consuming through processorFactory', 'a worker has one consumer: create it without processorFactory to iterate it');
    return adapter.iterate({
      start: () => (this.#state === 'new' ? this.start() : Promise.resolve()),
      shutdown: () => this.shutdown(),
    });
  }

  /** Syncs shards into leases, then again every shardSyncIntervalMs; the first sync's fatal errors reject start(). */
  async #syncShards(first = false): Promise<void> {
    const startedAt = this.config.clock.now();
    try {
      const { created, deleted } = await this.#shardSync.sync(this.#stopping.signal);
      this.#syncFailures = 0;
      this.#syncEnded(startedAt, true, created.length, deleted.length);
    } catch (error) {
      if (this.#state !== 'running') return;
      this.#syncEnded(startedAt, false, 0, 0);
      const { retryable, code } = classifyAwsError(error);
      if (!retryable && first) throw error;
      // The stream or the lease table is gone, or access was taken away: nothing to retry.
      if (!retryable) return this.#fail(new WorkerFailedError(`worker ${this.config.workerId} stopped: shard sync failed`, error, this.#context()));
      this.#syncFailures++;
      this.config.logger.warn({ code, consecutiveFailures: this.#syncFailures, error: String(error) }, `shard sync failed ${this.#syncFailures} time(s) in a row; retrying at the next interval`);
    }
    if (this.#state !== 'running') return;
    this.#syncTimer = this.config.clock.setTimeout(() => void this.#syncShards(), this.config.shardSyncIntervalMs);
  }

  /** The ShardSyncTask event, built only while someone listens. */
  #syncEnded(startedAt: number, success: boolean, createdLeases: number, deletedLeases: number): void {
    if (!listening(this, 'operation')) return;
    const durationMs = Math.max(0, this.config.clock.now() - startedAt);
    this.emit('operation', { operation: 'ShardSyncTask', success, timestamp: epochMsOf(this.config.clock), durationMs, createdLeases, deletedLeases });
  }

  #startConsumer(handle: LeaseHandle): void {
    if (this.#state !== 'running') {
      // A take that completed while shutting down: give the lease straight back.
      void handle.release().then(() => this.#coordinator.drop(handle));
      return;
    }
    const consumer = new ShardConsumer(handle, {
      config: { ...this.config, logger: this.config.logger.child({ shardId: handle.shardId }) },
      kinesis: this.#kinesis,
      store: this.#store,
      events: this,
      consumerARN: this.#consumerARN,
      onFatal: (shardId, stage, error) => this.#onShardFailure(shardId, stage, error),
    });
    this.#consumers.set(handle.shardId, consumer);
    void consumer.done.then(() => {
      if (this.#consumers.get(handle.shardId) === consumer) this.#consumers.delete(handle.shardId);
      this.#coordinator.drop(handle);
    });
  }

  #onLost(handle: LeaseHandle, event: LeaseLostEvent): void {
    this.emit('leaseLost', event);
    void this.#consumers.get(handle.shardId)?.leaseLost();
  }

  #onHandoff(handle: LeaseHandle, newOwner: string): void {
    this.emit('leaseHandoffRequested', { shardId: handle.shardId, newOwner });
    const consumer = this.#consumers.get(handle.shardId);
    // Its consumer lets the processor finish and then releases the lease (to newOwner).
    if (consumer !== undefined) void consumer.handOff();
    else void handle.release().then(() => this.#coordinator.drop(handle));
  }

  /** The error policy for a shard consumer that stopped on a failure retrying cannot fix (see failureScope). */
  #onShardFailure(shardId: string, stage: string, error: unknown): void {
    const failure = new ShardFailedError(shardId, stage, error);
    this.emit('shardError', failure);
    // This worker does not take the shard again (another worker may, and will report it too).
    this.#coordinator.quarantine(shardId);
    const scope = failureScope(error);
    const context = { ...this.#context(), shardId };
    if (scope === 'worker') this.#fail(new WorkerFailedError(`worker ${this.config.workerId} stopped: shard ${shardId} failed`, error, context));
    else if (scope === 'stream?') void this.#checkStream(shardId, error);
  }

  /** After a shard read answered ResourceNotFoundException: is it the shard, or the whole stream? */
  async #checkStream(shardId: string, shardError: unknown): Promise<void> {
    try {
      await this.#kinesis.describeStream(this.#stopping.signal);
      this.config.logger.warn({ shardId, stream: this.#kinesis.streamLabel }, 'the stream exists: only this shard stopped');
    } catch (error) {
      if (this.#state !== 'running' || classifyAwsError(error).retryable) return;
      this.#fail(new WorkerFailedError(`worker ${this.config.workerId} stopped: stream ${this.#kinesis.streamLabel} is gone`, error, { ...this.#context(), shardId, shardError: String(shardError) }));
    }
  }

  /** Stops a running worker for good: `workerError`, then a graceful shutdown. */
  #fail(failure: WorkerFailedError): void {
    if (this.#failure !== undefined || this.#state !== 'running') return;
    this.#failure = failure;
    this.config.logger.error({ reason: failure.reason, ...failure.context }, failure.message);
    this.emit('workerError', failure);
    void this.shutdown();
  }

  #context(): Record<string, string> {
    return { streamName: this.#kinesis.streamLabel, applicationName: this.config.applicationName, workerId: this.config.workerId };
  }
}
