/**
 * How much a component publishes, as the Java KPL and KCL name it: `NONE` (nothing), `SUMMARY` (the
 * metrics marked summary), `DETAILED` (every metric).
 */
export type MetricsLevel = 'NONE' | 'SUMMARY' | 'DETAILED';

/** Every {@link MetricsLevel}, least first. */
export const METRICS_LEVELS: readonly MetricsLevel[] = Object.freeze(['NONE', 'SUMMARY', 'DETAILED']);

/**
 * The KPL's metrics granularity: `GLOBAL` publishes each metric by its name alone (and `ErrorCode`),
 * `STREAM` also per stream, `SHARD` also per shard (the KPL's default).
 */
export type MetricsGranularity = 'GLOBAL' | 'STREAM' | 'SHARD';

/** Every {@link MetricsGranularity}, coarsest first. */
export const METRICS_GRANULARITIES: readonly MetricsGranularity[] = Object.freeze(['GLOBAL', 'STREAM', 'SHARD']);

/** Whether a metric of level `metricLevel` is published at the configured `level`. */
export function isLevelEnabled(metricLevel: Exclude<MetricsLevel, 'NONE'>, level: MetricsLevel): boolean {
  return METRICS_LEVELS.indexOf(metricLevel) <= METRICS_LEVELS.indexOf(level);
}
