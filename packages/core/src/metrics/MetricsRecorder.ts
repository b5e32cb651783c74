import { EventEmitter } from 'node:events';
import { NOOP_LOGGER, type Logger } from '../logging/Logger';
import { resolveRandom } from '../retry/RetryPolicy';
import { SYSTEM_CLOCK, epochMsOf, type Clock, type TimerHandle } from '../time/Clock';
import { rejectUnknownOptions, requireArray, requireClock, requireInteger, requireLogger, requireMethods, requireOneOf, givenOptions } from '../validation/validators';
import type { MetricDefinition } from './MetricDefinition';
import { METRICS_LEVELS, type MetricsLevel } from './MetricsLevel';
import { ALL_DIMENSIONS, MetricsNamespace, type DimensionSetsPolicy, type SeriesSource } from './MetricsNamespace';
import { MetricSeries } from './MetricSeries';
import type { MetricDatum, MetricDimension, MetricsSnapshot } from './MetricsSnapshot';
import type { MetricsSink } from './sinks/MetricsSink';

/** Options of a {@link MetricsRecorder}. */
export interface MetricsRecorderOptions {
  /** Where metrics go. @defaultValue none (the `snapshot` event still fires) */
  readonly sinks?: readonly MetricsSink[];
  /** How long each interval aggregates before it is published. @defaultValue 60000 */
  readonly intervalMs?: number;
  /** The time source of the interval timer and of metric timestamps (its `epochMs()`). @defaultValue the system clock */
  readonly clock?: Clock;
  /** Randomness of the value samples, in [0, 1). @defaultValue Math.random */
  readonly random?: () => number;
  /** Where a sink that failed to publish is reported (at warn). @defaultValue a no-op logger */
  readonly logger?: Logger;
}

/** Every default of {@link MetricsRecorderOptions}. */
export const METRICS_RECORDER_DEFAULTS = Object.freeze({
  sinks: Object.freeze([]) as readonly MetricsSink[],
  intervalMs: 60_000,
  clock: SYSTEM_CLOCK,
  random: Math.random,
  logger: NOOP_LOGGER,
});

/** How a namespace publishes. */
export interface NamespaceOptions {
  /** @defaultValue 'DETAILED' */
  readonly level?: MetricsLevel;
  /** The dimension-name sets a series is published under. @defaultValue its full set of dimensions */
  readonly dimensionSets?: DimensionSetsPolicy;
}

/** Events of a {@link MetricsRecorder}. */
export interface MetricsRecorderEvents {
  /**
   * An interval's aggregates, as the sinks get them: the in-process way to read what is published
   * (a dashboard, a test). Fires before the sinks publish.
   */
  snapshot: [snapshot: MetricsSnapshot];
}

/**
 * The metrics layer: components record observations on it (the KPL, the KCL, the connector and the
 * agent do when given one in their `metrics` option), it aggregates them per interval — a CloudWatch
 * statistic set per series, never a line or a request per record — and hands each interval to its
 * sinks: {@link EmfSink} (CloudWatch embedded metric format lines), {@link OpenTelemetrySink}, or
 * the CloudWatch `PutMetricData` sink of `@kinesis-toolkit/metrics`. Listen to `snapshot` to read
 * each interval in-process.
 *
 * ```ts
 * const metrics = new MetricsRecorder({ sinks: [new EmfSink({ write: process.stdout })] });
 * const producer = new KinesisProducer({ streamName: 'orders', metrics });
 * // …
 * await producer.close();
 * await metrics.close();
 * ```
 */
export class MetricsRecorder extends EventEmitter<MetricsRecorderEvents> implements SeriesSource {
  readonly #sinks: readonly MetricsSink[];
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #series = new Map<string, MetricSeries>();
  #intervalStart: number;
  #timer: TimerHandle | undefined;
  #closing: Promise<void> | undefined;
  #publishFailures = 0;

  constructor(options: MetricsRecorderOptions = {}) {
    super();
    const given = givenOptions('options', options);
    rejectUnknownOptions('', given, Object.keys(METRICS_RECORDER_DEFAULTS));
    this.#sinks = Object.freeze(requireArray('sinks', given.sinks ?? METRICS_RECORDER_DEFAULTS.sinks, requireSink));
    this.#intervalMs = requireInteger('intervalMs', given.intervalMs ?? METRICS_RECORDER_DEFAULTS.intervalMs, 10, 86_400_000);
    this.#clock = requireClock('clock', given.clock ?? METRICS_RECORDER_DEFAULTS.clock);
    this.#random = resolveRandom('random', given.random);
    this.#logger = requireLogger('logger', given.logger ?? METRICS_RECORDER_DEFAULTS.logger);
    this.#intervalStart = epochMsOf(this.#clock);
    this.#schedule();
  }

  /** The aggregation interval in milliseconds. */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Intervals a sink failed to publish (each also logged at warn). */
  get publishFailures(): number {
    return this.#publishFailures;
  }

  /** A component's namespace on this recorder. */
  namespace(name: string, options: NamespaceOptions = {}): MetricsNamespace {
    const level = requireOneOf('level', options.level ?? 'DETAILED', METRICS_LEVELS);
    return new MetricsNamespace(this, name, level, options.dimensionSets ?? ALL_DIMENSIONS);
  }

  /** @internal The one series of a metric and dimension values (made on first use). */
  seriesFor(namespace: string, definition: MetricDefinition, dimensions: readonly MetricDimension[], dimensionSets: DimensionSetsPolicy): MetricSeries {
    let key = `${namespace}\u0000${definition.name}`;
    for (const { name, value } of dimensions) key += `\u0000${name}\u0001${value}`;
    let series = this.#series.get(key);
    if (series === undefined) {
      const frozen = Object.freeze(dimensions.map(({ name, value }) => Object.freeze({ name, value })));
      const sets = Object.freeze(dimensionSets(frozen.map((dimension) => dimension.name)).map((set) => Object.freeze([...set])));
      series = new MetricSeries(namespace, definition, frozen, sets, this.#random);
      this.#series.set(key, series);
      for (const sink of this.#sinks) {
        const observer = sink.attach?.(series);
        if (observer !== undefined) series.observe(observer);
      }
    }
    return series;
  }

  /** Publishes the current interval now (what was recorded since the last one) and starts the next. */
  async flush(): Promise<void> {
    const snapshot = this.#takeSnapshot();
    if (snapshot.datums.length === 0) return;
    this.emit('snapshot', snapshot);
    await Promise.all(
      this.#sinks.map(async (sink, i) => {
        try {
          await sink.publish?.(snapshot);
        } catch (error) {
          this.#publishFailures++;
          this.#logger.warn({ sink: i, error }, `metrics sink ${i} failed to publish ${snapshot.datums.length} metric(s)`);
        }
      }),
    );
  }

  /** Stops the interval timer, publishes what is left and closes the sinks. Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.flush();
      for (const sink of this.#sinks) {
        try {
          await sink.close?.();
        } catch (error) {
          this.#logger.warn({ error }, 'a metrics sink failed to close');
        }
      }
    })();
    return this.#closing;
  }

  #takeSnapshot(): MetricsSnapshot {
    const startedAt = this.#intervalStart;
    const endedAt = Math.max(startedAt, epochMsOf(this.#clock));
    this.#intervalStart = endedAt;
    const datums: MetricDatum[] = [];
    for (const series of this.#series.values()) {
      const datum = series.takeInterval();
      if (datum !== undefined) datums.push(datum);
    }
    return { startedAt, endedAt, datums };
  }

  #schedule(): void {
    const timer = this.#clock.setTimeout(() => {
      if (this.#closing !== undefined) return;
      this.#schedule();
      void this.flush();
    }, this.#intervalMs);
    // Publishing alone must not keep a process alive.
    (timer as { unref?: () => void } | undefined)?.unref?.();
    this.#timer = timer;
  }
}

/** A sink: an object with `publish()` or `attach()`. */
function requireSink(name: string, value: unknown): MetricsSink {
  const sink = value as Partial<MetricsSink> | undefined;
  if (typeof sink?.attach === 'function') return sink as MetricsSink;
  return requireMethods<MetricsSink>(name, value, ['publish'], 'a metrics sink (publish() or attach())');
}
