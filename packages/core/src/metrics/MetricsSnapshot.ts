import type { MetricKind, MetricUnit } from './MetricDefinition';

/** A dimension of a metric: name and value, as CloudWatch has them. */
export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

/** One metric series' aggregate over an interval: a CloudWatch statistic set, and a sample of its values. */
export interface MetricDatum {
  readonly namespace: string;
  readonly name: string;
  readonly unit: MetricUnit;
  readonly kind: MetricKind;
  /** The OpenTelemetry instrument name of the metric. */
  readonly otelName: string;
  /** Every dimension of the series, finest last (`StreamName`, then `ShardId`). */
  readonly dimensions: readonly MetricDimension[];
  /**
   * The dimension-name sets it is published under (each a subset of `dimensions`' names): the KPL's
   * granularity levels (`[]`, `[StreamName]`, `[StreamName, ShardId]`), or the KCL's enabled dimensions.
   */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Observations in the interval (the KPL's and CloudWatch's SampleCount). */
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /**
   * For gauges and histograms, at most 100 of the interval's values: all of them when there were
   * no more than 100, otherwise the minimum, the maximum and a uniform random sample of 98 others.
   * Empty for counters (their sum is what they mean).
   */
  readonly values: readonly number[];
}

/** What a {@link MetricsRecorder} publishes at the end of each interval. */
export interface MetricsSnapshot {
  /** Epoch milliseconds the interval began. */
  readonly startedAt: number;
  /** Epoch milliseconds it ended: the timestamp of its metrics. */
  readonly endedAt: number;
  /** Every series that was recorded in the interval. */
  readonly datums: readonly MetricDatum[];
}
