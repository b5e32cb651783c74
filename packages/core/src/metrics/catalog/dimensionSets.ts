import { InvalidArgumentError } from '../../errors/InvalidArgumentError';
import { METRICS_GRANULARITIES, type MetricsGranularity } from '../MetricsLevel';
import type { DimensionSetsPolicy } from '../MetricsNamespace';

const GRANULARITY_OF: Readonly<Record<string, MetricsGranularity>> = Object.freeze({ StreamName: 'STREAM', ShardId: 'SHARD' });

/**
 * The KPL's granularity, as its metrics manager applies it: a series' dimensions form a hierarchy
 * (`ErrorCode`, then `StreamName`, then `ShardId`) and it is published at every prefix of it — the
 * metric name alone, then with each further dimension — whose granularity is within `granularity`
 * (a prefix with `ShardId` is SHARD, with `StreamName` STREAM, otherwise GLOBAL). At `SHARD`, a
 * metric of two streams with two shards each is published as seven metrics.
 */
export function kplDimensionSets(granularity: MetricsGranularity): DimensionSetsPolicy {
  const limit = METRICS_GRANULARITIES.indexOf(granularity);
  if (limit < 0) throw new InvalidArgumentError('granularity', `one of ${METRICS_GRANULARITIES.join(', ')}`, granularity);
  return (names) => {
    const sets: string[][] = [];
    let level = 0;
    for (let length = 0; length <= names.length; length++) {
      if (length > 0) level = Math.max(level, METRICS_GRANULARITIES.indexOf(GRANULARITY_OF[names[length - 1]!] ?? 'GLOBAL'));
      if (level <= limit) sets.push(names.slice(0, length));
    }
    return sets;
  };
}

/**
 * The KCL's enabled dimensions: a series is published with the dimensions in `enabled` only
 * (`Operation` always). `'ALL'` keeps every dimension.
 */
export function enabledDimensionSets(enabled: readonly string[] | 'ALL'): DimensionSetsPolicy {
  if (enabled === 'ALL') return (names) => [names];
  const keep = new Set(['Operation', ...enabled]);
  return (names) => [names.filter((name) => keep.has(name))];
}
