import type { MetricDatum as CloudWatchDatum } from '@aws-sdk/client-cloudwatch';
import type { MetricsSnapshot } from '@kinesis-toolkit/core';

/** A PutMetricData datum and the namespace it goes to. */
export interface NamespacedDatum {
  readonly namespace: string;
  readonly datum: CloudWatchDatum;
}

/**
 * An interval's aggregates as PutMetricData datums: each series under each of its dimension sets
 * (the KPL's granularity levels, the KCL's enabled dimensions), the series that share a metric and
 * projected dimensions merged into one statistic set (SampleCount, Sum, Minimum, Maximum) — so a
 * stream-level datum sums its shards, as the KPL's metric tree does.
 */
export function toMetricData(snapshot: MetricsSnapshot): NamespacedDatum[] {
  const merged = new Map<string, { namespace: string; name: string; unit: string; dimensions: { Name: string; Value: string }[]; count: number; sum: number; min: number; max: number }>();
  for (const datum of snapshot.datums) {
    const values = new Map(datum.dimensions.map(({ name, value }) => [name, value]));
    for (const set of datum.dimensionSets) {
      const dimensions = set.map((name) => ({ Name: name, Value: values.get(name) ?? '' }));
      const key = JSON.stringify([datum.namespace, datum.name, dimensions]);
      const found = merged.get(key);
      if (found === undefined) {
        merged.set(key, { namespace: datum.namespace, name: datum.name, unit: datum.unit, dimensions, count: datum.count, sum: datum.sum, min: datum.min, max: datum.max });
      } else {
        found.count += datum.count;
        found.sum += datum.sum;
        found.min = Math.min(found.min, datum.min);
        found.max = Math.max(found.max, datum.max);
      }
    }
  }
  const timestamp = new Date(snapshot.endedAt);
  return [...merged.values()].map(({ namespace, name, unit, dimensions, count, sum, min, max }) => ({
    namespace,
    datum: {
      MetricName: name,
      Dimensions: dimensions,
      Timestamp: timestamp,
      Unit: unit as CloudWatchDatum['Unit'],
      StatisticValues: { SampleCount: count, Sum: sum, Minimum: min, Maximum: max },
    },
  }));
}
