import type { MetricObserver, MetricSeries } from '../MetricSeries';
import type { MetricsSnapshot } from '../MetricsSnapshot';

/**
 * Where a {@link MetricsRecorder} publishes. A sink may hear observations as they happen
 * (`attach`, for OpenTelemetry), each interval's aggregates (`publish`, for EMF and CloudWatch), or
 * both. Neither may block or slow the caller: a sink that sends queues and returns.
 */
export interface MetricsSink {
  /** Each series as it is made; return an observer to hear each of its observations. */
  attach?(series: MetricSeries): MetricObserver | undefined;
  /** The aggregates of an interval. A rejection is logged by the recorder (at warn) and counted. */
  publish?(snapshot: MetricsSnapshot): void | Promise<void>;
  /** Sends what is queued and lets go of resources; called once by the recorder's `close()`. */
  close?(): void | Promise<void>;
}
