import {
  KCL_APPLICATION_LAG,
  KCL_METRICS,
  KCL_OPERATION_DIMENSIONS,
  enabledDimensionSets,
  type KclOperation,
  type MetricDefinition,
  type MetricDimension,
  type MetricSeries,
  type MetricsNamespace,
  type MetricsRecorder,
} from '@kinesis-toolkit/core';
import type { ResolvedWorkerOptions } from '../config/WorkerOptions';
import type { OperationEvent, RecordsFetchedEvent } from '../lifecycle/OperationEvents';
import type { WorkerEvents } from '../lifecycle/WorkerEvents';

/** What the metrics hear of their worker. */
export interface MeteredWorker {
  on<K extends keyof WorkerEvents>(event: K, listener: (...args: WorkerEvents[K]) => void): unknown;
  off<K extends keyof WorkerEvents>(event: K, listener: (...args: WorkerEvents[K]) => void): unknown;
}

const EXPIRED_ITERATOR = 'ExpiredIteratorException';

/**
 * The Java KCL's metrics of one worker, on core's metrics layer: the namespace is the application
 * name, every operation has its `Operation` dimension (and `ShardId` or `WorkerIdentifier` as the
 * KCL adds them, filtered by `metricsEnabledDimensions`), and the application-level
 * `MillisBehindLatest` is the largest of the held shards'. Fed by the worker's `operation` and
 * `recordsFetched` events. Internal.
 */
export class WorkerMetrics {
  readonly #namespace: MetricsNamespace;
  readonly #series = new Map<string, MetricSeries | undefined>();
  /** The last MillisBehindLatest of each shard held. */
  readonly #lagByShard = new Map<string, number>();
  readonly #applicationLag: MetricSeries | undefined;
  readonly #onOperation = (event: OperationEvent): void => this.#operation(event);
  readonly #onFetched = (event: RecordsFetchedEvent): void => this.#fetched(event);
  readonly #onGone = ({ shardId }: { shardId: string }): void => void this.#lagByShard.delete(shardId);

  constructor(
    private readonly worker: MeteredWorker,
    private readonly config: ResolvedWorkerOptions,
    recorder: MetricsRecorder,
  ) {
    this.#namespace = recorder.namespace(config.applicationName, { level: config.metricsLevel, dimensionSets: enabledDimensionSets(config.metricsEnabledDimensions) });
    this.#applicationLag = this.#namespace.series(KCL_APPLICATION_LAG, [{ name: 'Operation', value: 'ProcessTask' }]);
    if (!this.#namespace.enabled) return;
    worker.on('operation', this.#onOperation);
    worker.on('recordsFetched', this.#onFetched);
    worker.on('leaseLost', this.#onGone);
    worker.on('shardEnded', this.#onGone);
  }

  /** Stops listening. */
  stop(): void {
    this.worker.off('operation', this.#onOperation);
    this.worker.off('recordsFetched', this.#onFetched);
    this.worker.off('leaseLost', this.#onGone);
    this.worker.off('shardEnded', this.#onGone);
  }

  #operation(event: OperationEvent): void {
    const shardId = 'shardId' in event ? event.shardId : undefined;
    const at = (name: string): MetricSeries | undefined => this.#seriesOf(event.operation, name, shardId);
    at('Success')?.record(event.success ? 1 : 0);
    at('Time')?.record(event.durationMs);
    switch (event.operation) {
      case 'ProcessTask':
        at('RecordsProcessed')?.record(event.records);
        at('DataBytesProcessed')?.record(event.bytes);
        at('RecordProcessor.processRecords.Time')?.record(event.processRecordsTimeMs);
        if (event.millisBehindLatest !== undefined) {
          at('MillisBehindLatest')?.record(event.millisBehindLatest);
          this.#lagByShard.set(event.shardId, event.millisBehindLatest);
          let largest = 0;
          for (const lag of this.#lagByShard.values()) if (lag > largest) largest = lag;
          this.#applicationLag?.record(largest);
        }
        break;
      case 'RenewAllLeases':
        at('CurrentLeases')?.record(event.currentLeases);
        at('LostLeases')?.record(event.lostLeases);
        for (const renewal of event.renewals) {
          at('RenewLease.Success')?.record(renewal.success ? 1 : 0);
          at('RenewLease.Time')?.record(renewal.durationMs);
        }
        break;
      case 'TakeLeases':
        at('ListLeases.Success')?.record(event.listLeases.success ? 1 : 0);
        at('ListLeases.Time')?.record(event.listLeases.durationMs);
        at('NumWorkers')?.record(event.numWorkers);
        at('NeededLeases')?.record(event.neededLeases);
        at('LeasesToTake')?.record(event.leasesToTake);
        at('TakenLeases')?.record(event.takenLeases);
        at('TotalLeases')?.record(event.totalLeases);
        at('ExpiredLeases')?.record(event.expiredLeases);
        for (const take of event.takes) {
          at('TakeLease.Success')?.record(take.success ? 1 : 0);
          at('TakeLease.Time')?.record(take.durationMs);
        }
        break;
      case 'InitializeTask':
        at('RecordProcessor.initialize.Time')?.record(event.processorTimeMs);
        break;
      case 'ShutdownTask':
        at('RecordProcessor.shutdown.Time')?.record(event.processorTimeMs);
        this.#lagByShard.delete(event.shardId);
        break;
      default:
        break;
    }
  }

  #fetched(event: RecordsFetchedEvent): void {
    this.#seriesOf('ProcessTask', 'KinesisDataFetcher.getRecords.Success', event.shardId)?.record(event.success ? 1 : 0);
    this.#seriesOf('ProcessTask', 'KinesisDataFetcher.getRecords.Time', event.shardId)?.record(event.durationMs);
    if (event.errorCode === EXPIRED_ITERATOR) this.#seriesOf('ProcessTask', 'ExpiredIterator', event.shardId)?.record(1);
  }

  /** The series of an operation's metric, with the dimensions the KCL gives that operation. */
  #seriesOf(operation: KclOperation, name: string, shardId: string | undefined): MetricSeries | undefined {
    const key = `${operation}\u0000${name}\u0000${shardId ?? ''}`;
    if (this.#series.has(key)) return this.#series.get(key);
    const definition = (KCL_METRICS[operation] as Record<string, MetricDefinition>)[name];
    let series: MetricSeries | undefined;
    if (definition !== undefined) {
      const dimensions: MetricDimension[] = [{ name: 'Operation', value: operation }];
      for (const dimension of KCL_OPERATION_DIMENSIONS[operation]) {
        if (dimension === 'ShardId' && shardId !== undefined) dimensions.push({ name: 'ShardId', value: shardId });
        if (dimension === 'WorkerIdentifier') dimensions.push({ name: 'WorkerIdentifier', value: this.config.workerId });
      }
      series = this.#namespace.series(definition, dimensions);
    }
    this.#series.set(key, series);
    return series;
  }
}
