/** One metric of an EMF document, as {@link parseEmf} reads it. */
export interface EmfMetric {
  readonly namespace: string;
  readonly name: string;
  readonly unit: string | undefined;
  /** Epoch milliseconds (`_aws.Timestamp`). */
  readonly timestamp: number;
  /** The values of every dimension the directive names, by dimension name. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** The dimension sets it is published under. */
  readonly dimensionSets: readonly (readonly string[])[];
  /** Its value(s): one number for a counter's interval sum, several for a distribution. */
  readonly values: readonly number[];
}

/**
 * Reads the metrics of an EMF line (as {@link EmfSink} writes them, or any valid EMF document):
 * what a dashboard tailing an EMF file needs. Returns an empty list for a line that is not an EMF
 * document (a log line in the same stream); check validity with `validateEmf`.
 */
export function parseEmf(line: string): EmfMetric[] {
  let root: Record<string, unknown>;
  try {
    root = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return [];
  }
  const aws = root?._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (aws === undefined || aws === null || typeof aws !== 'object' || !Array.isArray(aws.CloudWatchMetrics)) return [];
  const timestamp = typeof aws.Timestamp === 'number' ? aws.Timestamp : Number.NaN;
  const out: EmfMetric[] = [];
  for (const directive of aws.CloudWatchMetrics as { Namespace?: unknown; Dimensions?: unknown; Metrics?: unknown }[]) {
    const dimensionSets = (Array.isArray(directive?.Dimensions) ? directive.Dimensions : []).filter((set): set is string[] => Array.isArray(set));
    const dimensions: Record<string, string> = {};
    for (const set of dimensionSets) for (const key of set) if (typeof root[key] === 'string') dimensions[key] = root[key] as string;
    for (const metric of (Array.isArray(directive?.Metrics) ? directive.Metrics : []) as { Name?: unknown; Unit?: unknown }[]) {
      if (typeof metric?.Name !== 'string') continue;
      const value = root[metric.Name];
      const values = Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : typeof value === 'number' ? [value] : [];
      out.push({
        namespace: String(directive.Namespace),
        name: metric.Name,
        unit: typeof metric.Unit === 'string' ? metric.Unit : undefined,
        timestamp,
        dimensions,
        dimensionSets,
        values,
      });
    }
  }
  return out;
}
