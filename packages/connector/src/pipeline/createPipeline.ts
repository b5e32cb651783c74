import { requireString } from '@kinesis-toolkit/core';
import { EventEmitter } from 'node:events';
import type { PipelineEvents } from './PipelineEvents';
import { resolvePipelineOptions, type PipelineOptions, type ResolvedPipelineOptions } from './PipelineOptions';
import { PipelineProcessor } from './PipelineProcessor';
import { PipelineMetrics } from '../metrics/PipelineMetrics';

/**
 * A pipeline: call it with a shard id (the worker does, as its `processorFactory`) to get that
 * shard's record processor (a KCL `RecordProcessor`). It also carries the pipeline's events and its `shutdown()`.
 */
export interface Pipeline<T, U> {
  (shardId: string): PipelineProcessor<T, U>;
  /** The resolved configuration. */
  readonly config: ResolvedPipelineOptions<T, U>;
  /** Every shard's events. */
  readonly events: EventEmitter<PipelineEvents>;
  /** Listens to an event of every shard (`events.on`). */
  on<K extends keyof PipelineEvents>(event: K, listener: (...args: PipelineEvents[K]) => void): Pipeline<T, U>;
  /** Stops listening (`events.off`). */
  off<K extends keyof PipelineEvents>(event: K, listener: (...args: PipelineEvents[K]) => void): Pipeline<T, U>;
  /**
   * Releases the emitter and the failure sink (`shutdown()` of each, once). Call it after `worker.shutdown()`, which
   * already flushed and checkpointed every shard; processors still running are stopped without
   * checkpointing (their records are re-read by the next owner).
   */
  shutdown(): Promise<void>;
}

/**
 * Builds a connector pipeline — transformer → filter → buffer → emitter, with retries, a failure
 * sink and checkpointing only after delivery — as a `processorFactory` for a KCL `Worker`.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline({ streamName, transformer: new JsonTransformer(), emitter, failureSink });
 * const worker = new Worker({ streamName, applicationName, processorFactory: pipeline });
 * await worker.start();
 * // …
 * await worker.shutdown();
 * await pipeline.shutdown();
 * ```
 * @throws TypeError for invalid options (see {@link resolvePipelineOptions}).
 */
export function createPipeline<T, U>(options: PipelineOptions<T, U>): Pipeline<T, U> {
  const config = resolvePipelineOptions(options);
  const events = new EventEmitter<PipelineEvents>();
  const live = new Set<PipelineProcessor<T, U>>();
  let shuttingDown: Promise<void> | undefined;
  const metrics = config.metrics === undefined ? undefined : new PipelineMetrics(events, config.metrics, config.streamName, { namespace: config.metricsNamespace, level: config.metricsLevel });

  const factory = (shardId: string): PipelineProcessor<T, U> => {
    requireString('shardId', shardId);
    const processor = new PipelineProcessor<T, U>(shardId, config, events, (stopped) => live.delete(stopped));
    if (shuttingDown !== undefined) processor.halt('the pipeline shut down');
    else live.add(processor);
    return processor;
  };
  const pipeline: Pipeline<T, U> = Object.assign(factory, {
    config,
    events,
    on<K extends keyof PipelineEvents>(event: K, listener: (...args: PipelineEvents[K]) => void) {
      events.on(event, listener as never);
      return pipeline;
    },
    off<K extends keyof PipelineEvents>(event: K, listener: (...args: PipelineEvents[K]) => void) {
      events.off(event, listener as never);
      return pipeline;
    },
    shutdown(): Promise<void> {
      shuttingDown ??= (async () => {
        for (const processor of [...live]) processor.halt('the pipeline shut down');
        metrics?.stop();
        const results = await Promise.allSettled([config.emitter.shutdown?.(), config.failureSink?.shutdown?.()]);
        const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
      })();
      return shuttingDown;
    },
  });
  return pipeline;
}
