import { CONNECTOR_METRICS, type MetricSeries, type MetricsLevel, type MetricsNamespace, type MetricsRecorder } from '@kinesis-toolkit/core';
import type { EventEmitter } from 'node:events';
import type { CheckpointedEvent, DeadLetteredEvent, EmitFailedEvent, FlushedEvent, PipelineEvents } from '../pipeline/PipelineEvents';

/** The series of one shard. */
interface ShardSeries {
  readonly recordsEmitted: MetricSeries | undefined;
  readonly bytesEmitted: MetricSeries | undefined;
  readonly emitFailures: MetricSeries | undefined;
  readonly recordsDeadLettered: MetricSeries | undefined;
  readonly bufferAge: MetricSeries | undefined;
  readonly checkpointLag: MetricSeries | undefined;
}

/**
 * A connector pipeline's metrics on core's metrics layer, fed by the pipeline's events: records
 * emitted, bytes emitted, emit failures, records sent to the failure sink, buffer age at flush
 * and checkpoint lag, per shard (dimensions `StreamName`, `ShardId`; published per stream and per
 * shard). Series are looked up once per shard; nothing is recorded per record. Internal.
 */
export class PipelineMetrics {
  readonly #namespace: MetricsNamespace;
  readonly #byShard = new Map<string, ShardSeries>();
  readonly #onFlushed = (event: FlushedEvent): void => {
    const series = this.#shard(event.shardId);
    series.recordsEmitted?.record(event.records);
    series.bytesEmitted?.record(event.bytes);
    series.bufferAge?.record(event.bufferAgeMs);
  };
  readonly #onEmitFailed = (event: EmitFailedEvent): void => this.#shard(event.shardId).emitFailures?.record(event.failed);
  readonly #onDeadLettered = (event: DeadLetteredEvent): void => this.#shard(event.shardId).recordsDeadLettered?.record(event.records.length);
  readonly #onCheckpointed = (event: CheckpointedEvent): void => {
    if (event.lagMs !== undefined) this.#shard(event.shardId).checkpointLag?.record(event.lagMs);
  };

  constructor(
    private readonly events: EventEmitter<PipelineEvents>,
    recorder: MetricsRecorder,
    private readonly streamName: string,
    options: { readonly namespace: string; readonly level: MetricsLevel },
  ) {
    // Published per stream and per shard.
    this.#namespace = recorder.namespace(options.namespace, { level: options.level, dimensionSets: (names) => [names.slice(0, 1), names] });
    if (!this.#namespace.enabled) return;
    events.on('flushed', this.#onFlushed);
    events.on('emitFailed', this.#onEmitFailed);
    events.on('deadLettered', this.#onDeadLettered);
    events.on('checkpointed', this.#onCheckpointed);
  }

  /** Stops listening. */
  stop(): void {
    this.events.off('flushed', this.#onFlushed);
    this.events.off('emitFailed', this.#onEmitFailed);
    this.events.off('deadLettered', this.#onDeadLettered);
    this.events.off('checkpointed', this.#onCheckpointed);
  }

  #shard(shardId: string): ShardSeries {
    let series = this.#byShard.get(shardId);
    if (series === undefined) {
      const dimensions = [
        { name: 'StreamName', value: this.streamName },
        { name: 'ShardId', value: shardId },
      ];
      const ns = this.#namespace;
      series = {
        recordsEmitted: ns.series(CONNECTOR_METRICS.RecordsEmitted, dimensions),
        bytesEmitted: ns.series(CONNECTOR_METRICS.BytesEmitted, dimensions),
        emitFailures: ns.series(CONNECTOR_METRICS.EmitFailures, dimensions),
        recordsDeadLettered: ns.series(CONNECTOR_METRICS.RecordsDeadLettered, dimensions),
        bufferAge: ns.series(CONNECTOR_METRICS.BufferAge, dimensions),
        checkpointLag: ns.series(CONNECTOR_METRICS.CheckpointLag, dimensions),
      };
      this.#byShard.set(shardId, series);
    }
    return series;
  }
}
