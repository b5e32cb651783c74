import { EventEmitter } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { registerFanOutConsumer } from './retrieval/registerFanOutConsumer';
import { resolveWorkerOptions, type ResolvedWorkerOptions, type WorkerOptions } from './config/WorkerOptions';
import { LeaseCoordinator } from './coordinator/LeaseCoordinator';
import type { LeaseHandle } from './coordinator/LeaseHandle';
import { ShardSync } from './coordinator/ShardSync';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import type { LeaseStore } from './leases/LeaseStore';
import { ShardConsumer } from './lifecycle/ShardConsumer';
import type { WorkerEvents } from './lifecycle/WorkerEvents';

/** Parts a worker may be given instead of building them (tests, custom storage). */
export interface WorkerParts {
  /** Where leases live. @defaultValue a `DynamoDBLeaseStore` on the table `applicationName` */
  readonly leaseStore?: LeaseStore;
}

/**
 * A consumer worker: shares a stream with the other workers of its application through a
 * lease table (Java KCL 2.x format), runs a record processor per shard it holds, and hands its
 * shards over promptly on `shutdown()`.
 *
 * ```ts
 * const worker = new Worker({ streamName: 'orders', applicationName: 'orders-to-s3', processorFactory: () => new MyProcessor() });
 * await worker.start();
 * process.on('SIGTERM', () => worker.shutdown());
 * ```
 */
export class Worker extends EventEmitter<WorkerEvents> {
  readonly config: ResolvedWorkerOptions;
  readonly #kinesis: KinesisClient;
  readonly #dynamo: DynamoDBClient | undefined;
  readonly #ownsClients: boolean[];
  readonly #store: LeaseStore;
  readonly #coordinator: LeaseCoordinator;
  readonly #shardSync: ShardSync;
  readonly #consumers = new Map<string, ShardConsumer>();
  #syncTimer: unknown;
  #state: 'new' | 'running' | 'shuttingDown' | 'stopped' = 'new';
  #shutdown: Promise<void> | undefined;
  #consumerARN: string | undefined;

  constructor(options: WorkerOptions, parts: WorkerParts = {}) {
    super();
    this.config = resolveWorkerOptions(options);
    this.#kinesis = this.config.kinesisClient ?? new KinesisClient({});
    useWireProtocol(this.#kinesis, { wireProtocol: this.config.wireProtocol, logger: this.config.logger });
    this.#dynamo = parts.leaseStore ? undefined : (this.config.dynamoClient ?? new DynamoDBClient({}));
    this.#ownsClients = [this.config.kinesisClient === undefined, this.config.dynamoClient === undefined && !parts.leaseStore];
    this.#store =
      parts.leaseStore ??
      new DynamoDBLeaseStore(this.#dynamo!, {
        tableName: this.config.applicationName,
        billingMode: this.config.billingMode,
        clock: this.config.clock,
        logger: this.config.logger,
      });
    this.#shardSync = new ShardSync(this.#kinesis, this.#store, this.config);
    this.#coordinator = new LeaseCoordinator(this.#store, this.config, this, {
      acquired: (handle) => this.#startConsumer(handle),
      lost: (handle) => this.#onLost(handle),
    });
  }

  /** The shards whose leases this worker holds now. */
  get heldShards(): string[] {
    return [...this.#coordinator.held.keys()].sort();
  }

  /** Creates the lease table if needed, syncs shards into leases, and starts taking and processing leases. */
  async start(): Promise<void> {
    if (this.#state !== 'new') throw new Error(`Worker.start(): the worker is ${this.#state}`);
    this.#state = 'running';
    await this.#store.ensureTable();
    if (this.config.retrievalMode === 'fanout') this.#consumerARN = await registerFanOutConsumer(this.#kinesis, this.config);
    await this.#syncShards();
    await this.#coordinator.start();
  }

  /**
   * Graceful shutdown: stops taking leases, lets every processor checkpoint in
   * `shutdownRequested`, releases the leases (so other workers take them at once, not after
   * `failoverTimeMs`), and stops. Idempotent.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#state = 'shuttingDown';
      this.config.clock.clearTimeout(this.#syncTimer);
      this.#coordinator.stopTaking();
      // Let a round in flight finish first, so no consumer starts after the list below is taken.
      await this.#coordinator.stop();
      await Promise.all([...this.#consumers.values()].map((consumer) => consumer.shutdown()));
      await Promise.all([...this.#coordinator.held.values()].map((handle) => handle.release()));
      if (this.#ownsClients[0]) this.#kinesis.destroy();
      if (this.#ownsClients[1]) this.#dynamo?.destroy();
      this.#state = 'stopped';
    })();
    return this.#shutdown;
  }

  async #syncShards(): Promise<void> {
    try {
      await this.#shardSync.sync();
    } catch (error) {
      this.config.logger.warn({ error: String(error) }, 'shard sync failed; retrying at the next interval');
    }
    if (this.#state !== 'running') return;
    this.#syncTimer = this.config.clock.setTimeout(() => void this.#syncShards(), this.config.shardSyncIntervalMs);
  }

  #startConsumer(handle: LeaseHandle): void {
    if (this.#state !== 'running') {
      // A take that completed while shutting down: give the lease straight back.
      void handle.release().then(() => this.#coordinator.drop(handle));
      return;
    }
    const consumer = new ShardConsumer(handle, {
      config: this.config,
      kinesis: this.#kinesis,
      store: this.#store,
      events: this,
      consumerARN: this.#consumerARN,
    });
    this.#consumers.set(handle.shardId, consumer);
    void consumer.done.then(() => {
      if (this.#consumers.get(handle.shardId) === consumer) this.#consumers.delete(handle.shardId);
      this.#coordinator.drop(handle);
    });
  }

  #onLost(handle: LeaseHandle): void {
    this.emit('leaseLost', { shardId: handle.shardId });
    void this.#consumers.get(handle.shardId)?.leaseLost();
  }
}
