import type { Logger, MetricsSink, MetricsSnapshot } from '@kinesis-toolkit/core';

/**
 * `log.emitMetrics`: each interval's metrics as one line at debug, as the Java agent's
 * `LogMetricsFactory` writes them to its log when debug logging is on.
 */
export class LogMetricsSink implements MetricsSink {
  constructor(private readonly logger: Logger) {}

  publish(snapshot: MetricsSnapshot): void {
    const metrics = snapshot.datums.map((datum) => ({
      namespace: datum.namespace,
      name: datum.name,
      dimensions: Object.fromEntries(datum.dimensions.map(({ name, value }) => [name, value])),
      unit: datum.unit,
      count: datum.count,
      sum: datum.sum,
    }));
    this.logger.debug({ startedAt: new Date(snapshot.startedAt).toISOString(), endedAt: new Date(snapshot.endedAt).toISOString(), metrics }, `metrics of the interval (${metrics.length})`);
  }
}
