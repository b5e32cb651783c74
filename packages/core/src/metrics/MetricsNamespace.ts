import { requireString } from '../validation/validators';
import type { MetricDefinition } from './MetricDefinition';
import { isLevelEnabled, type MetricsLevel } from './MetricsLevel';
import type { MetricSeries } from './MetricSeries';
import type { MetricDimension } from './MetricsSnapshot';

/** The dimension-name sets a series with these dimension names is published under. */
export type DimensionSetsPolicy = (dimensionNames: readonly string[]) => readonly (readonly string[])[];

/** Publishes a series under its full set of dimensions only. */
export const ALL_DIMENSIONS: DimensionSetsPolicy = (names) => [names];

/** What a namespace needs of its recorder. Internal. */
export interface SeriesSource {
  seriesFor(namespace: string, definition: MetricDefinition, dimensions: readonly MetricDimension[], dimensionSets: DimensionSetsPolicy): MetricSeries;
}

/**
 * A component's view of a {@link MetricsRecorder}: its CloudWatch namespace, its level, and how
 * its series are published. `series()` gives the one series of a metric and dimension values
 * (undefined when the level leaves the metric out): look it up once, keep it, and `record()` on it.
 */
export class MetricsNamespace {
  readonly name: string;

  constructor(
    private readonly source: SeriesSource,
    name: string,
    /** The level metrics are published at. */
    readonly level: MetricsLevel,
    private readonly dimensionSets: DimensionSetsPolicy,
  ) {
    this.name = requireString('namespace', name, { maxLength: 255 });
  }

  /** Whether anything is published at all (the level is not NONE). */
  get enabled(): boolean {
    return this.level !== 'NONE';
  }

  /** Whether `definition` is published at this namespace's level. */
  publishes(definition: MetricDefinition): boolean {
    return this.level !== 'NONE' && isLevelEnabled(definition.level, this.level);
  }

  /** The series of `definition` with these dimensions (finest last), or undefined when the level leaves it out. */
  series(definition: MetricDefinition, dimensions: readonly MetricDimension[]): MetricSeries | undefined {
    if (!this.publishes(definition)) return undefined;
    return this.source.seriesFor(this.name, definition, dimensions, this.dimensionSets);
  }
}
