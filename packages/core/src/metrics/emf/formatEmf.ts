import type { MetricDatum, MetricsSnapshot } from '../MetricsSnapshot';

/** At most this many metrics in one EMF directive (the specification's limit). */
export const EMF_MAX_METRICS_PER_DIRECTIVE = 100;

/**
 * An interval's aggregates as CloudWatch embedded metric format documents, one JSON line each: one
 * line per namespace and set of dimension values, holding up to 100 of its metrics (more make more
 * lines). Every dimension and metric the directive names is a member of the root; the timestamp is
 * the interval's end, in epoch milliseconds. A counter's value is its interval sum; a gauge's or a
 * histogram's, its values (at most 100: see {@link MetricDatum.values}).
 */
export function formatEmf(snapshot: MetricsSnapshot): string[] {
  const groups = new Map<string, MetricDatum[]>();
  for (const datum of snapshot.datums) {
    const key = JSON.stringify([datum.namespace, datum.dimensions, datum.dimensionSets]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [datum]);
    else group.push(datum);
  }
  const lines: string[] = [];
  for (const group of groups.values()) {
    for (let from = 0; from < group.length; from += EMF_MAX_METRICS_PER_DIRECTIVE) {
      const chunk = group.slice(from, from + EMF_MAX_METRICS_PER_DIRECTIVE);
      const first = chunk[0]!;
      const document: Record<string, unknown> = {
        _aws: {
          Timestamp: Math.round(snapshot.endedAt),
          CloudWatchMetrics: [
            {
              Namespace: first.namespace,
              Dimensions: first.dimensionSets,
              Metrics: chunk.map((datum) => ({ Name: datum.name, Unit: datum.unit })),
            },
          ],
        },
      };
      for (const { name, value } of first.dimensions) document[name] = value;
      for (const datum of chunk) document[datum.name] = datum.kind === 'counter' ? datum.sum : [...datum.values];
      lines.push(JSON.stringify(document));
    }
  }
  return lines;
}
