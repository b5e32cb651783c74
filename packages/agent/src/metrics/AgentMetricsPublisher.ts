import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { MetricsRecorder, type Clock, type Logger, type MetricsSink } from '@kinesis-toolkit/core';
import { CloudWatchMetricsSink } from '@kinesis-toolkit/metrics';
import type { AgentMetricsSettings } from '../config/metricsSettings';
import { LogMetricsSink } from './LogMetricsSink';
import { throttledWarnings } from './throttledWarnings';

/**
 * The agent.json metrics of a {@link KinesisAgent}: a `MetricsRecorder` publishing every
 * `cloudwatch.metricsBufferTimeMillis` to CloudWatch (`cloudwatch.emitMetrics`, through a
 * `CloudWatchMetricsSink` holding at most `cloudwatch.metricsQueueSize` datums) and/or to the log
 * at debug (`log.emitMetrics`). PutMetricData never blocks sending data: a failure is counted
 * (`failed`, `dropped`) and logged at most once per interval; {@link close} sends the last
 * interval within a deadline.
 */
export class AgentMetricsPublisher {
  /** Undefined when agent.json turns both off: nothing is computed. */
  readonly recorder: MetricsRecorder | undefined;
  readonly #cloudWatch: CloudWatchMetricsSink | undefined;
  readonly #stop = new AbortController();
  readonly #logger: Logger;
  readonly #clock: Clock;

  constructor(settings: AgentMetricsSettings, context: { readonly cloudWatchClient: CloudWatchClient; readonly logger: Logger; readonly clock: Clock }) {
    this.#logger = context.logger;
    this.#clock = context.clock;
    const sinks: MetricsSink[] = [];
    if (settings.cloudWatch) {
      this.#cloudWatch = new CloudWatchMetricsSink({
        cloudWatchClient: context.cloudWatchClient,
        maxQueuedDatums: settings.queueSize,
        logger: throttledWarnings(context.logger, settings.intervalMs, context.clock),
        clock: context.clock,
        signal: this.#stop.signal,
      });
      sinks.push(this.#cloudWatch);
    }
    if (settings.log) sinks.push(new LogMetricsSink(context.logger));
    this.recorder = sinks.length === 0 ? undefined : new MetricsRecorder({ sinks, intervalMs: settings.intervalMs, clock: context.clock, logger: context.logger });
  }

  /** CloudWatch datums accepted, failed for good (or cut by the deadline), and dropped (queue full). */
  get counts(): { readonly sent: number; readonly failed: number; readonly dropped: number } {
    return { sent: this.#cloudWatch?.sent ?? 0, failed: this.#cloudWatch?.failed ?? 0, dropped: this.#cloudWatch?.dropped ?? 0 };
  }

  /**
   * Publishes the last interval and waits up to `timeoutMs` for CloudWatch; then abandons what is
   * left (counted in `failed`). Says at warn, once, how many datums were not delivered.
   */
  async close(timeoutMs: number): Promise<void> {
    if (this.recorder === undefined) return;
    const timer = this.#clock.setTimeout(() => this.#stop.abort(new Error(`metrics not sent within ${timeoutMs} ms of shutdown`)), timeoutMs);
    try {
      await this.recorder.close();
    } finally {
      this.#clock.clearTimeout(timer);
    }
    const { sent, failed, dropped } = this.counts;
    if (failed + dropped > 0) this.#logger.warn({ sent, failed, dropped }, `CloudWatch metrics: ${failed + dropped} datum(s) not delivered (${failed} failed, ${dropped} dropped); the records themselves were not affected`);
  }
}
