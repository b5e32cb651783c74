/** The KPL's metric names, kept so dashboards and alarms carry over. */
export type ProducerMetricName =
  | 'UserRecordsPut'
  | 'KinesisRecordsPut'
  | 'UserRecordsPerKinesisRecord'
  | 'KinesisRecordsPerPutRecordsRequest'
  | 'RetriesPerRecord'
  | 'BufferingTime'
  | 'ErrorsByCode'
  | 'UserRecordExpired'
  | 'RequestTime';

import type { PutRecordsEvent } from './PutRecordsEvent';

/** One metric observation, as the KPL would have recorded it. */
export interface ProducerMetric {
  readonly name: ProducerMetricName;
  readonly value: number;
  readonly unit: 'Count' | 'Milliseconds';
  /** The predicted or actual shard, where the KPL has a shard dimension. */
  readonly shardId?: string;
  /** For `ErrorsByCode`. */
  readonly errorCode?: string;
  /** When it was observed, in epoch milliseconds (the clock's `epochMs()`). */
  readonly timestamp: number;
}

/** A shard map refresh that succeeded. */
export interface ShardMapRefreshedEvent {
  readonly reason: 'start' | 'interval' | 'wrongShard' | 'unknownShard';
  readonly openShards: number;
  /** User records moved to other buffers because their predicted shard changed. */
  readonly reroutedRecords: number;
}

/**
 * Events a {@link KinesisProducer} emits. `metric` observations and `putRecords` events are built
 * only while someone listens, so they cost nothing otherwise. (The `metrics` option feeds core's
 * metrics layer directly, without building events per record.)
 */
export interface ProducerEvents {
  metric: [metric: ProducerMetric];
  /** A PutRecords request answered, or failed as a whole. */
  putRecords: [event: PutRecordsEvent];
  /** Outstanding records and bytes fell back below their bounds: `put()` accepts at once again. */
  drain: [];
  shardMapRefreshed: [event: ShardMapRefreshedEvent];
}
