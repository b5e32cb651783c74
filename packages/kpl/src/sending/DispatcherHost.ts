import type { AwsErrorKind } from '@kinesis-toolkit/core';
import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';
import type { Attempt } from '../errors/Attempt';
import type { BatchOutcome } from './PutRecordsSender';
import type { ProducerMetricName, ShardMapRefreshedEvent } from '../events/ProducerEvents';

/** What the dispatcher reports back to the producer. Internal. */
export interface DispatcherHost {
  succeed(record: PendingRecord, shardId: string, sequenceNumber: string, subSequenceNumber: number, aggregated: boolean): void;
  /**
   * `records[from..to)` of one Kinesis record succeeded, each with `attempt` as its last attempt
   * (the sub-sequence number of an aggregated one is its index): {@link succeed} for each, in one
   * loop — the common path, an aggregate's records settled together.
   */
  succeedRange(records: readonly PendingRecord[], from: number, to: number, shardId: string, sequenceNumber: string, aggregated: boolean, attempt: Attempt): void;
  /** A failure the dispatcher will not retry: `fatal` errors, throttling with `failIfThrottled`, expiry. */
  fail(record: PendingRecord, errorCode: string, errorMessage: string, kind: AwsErrorKind | 'expired', cause?: unknown): void;
  metric(name: ProducerMetricName, value: number, shardId?: string, errorCode?: string): void;
  shardMapRefreshed(event: ShardMapRefreshedEvent): void;
  /** A PutRecords request was answered, or failed as a whole (before its records are settled or retried). */
  requestCompleted?(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void;
}
