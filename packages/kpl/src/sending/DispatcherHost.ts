import type { AwsErrorKind } from '@kinesis-toolkit/core';
import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';
import type { BatchOutcome } from './PutRecordsSender';
import type { ProducerMetricName, ShardMapRefreshedEvent } from '../events/ProducerEvents';

/** What the dispatcher reports back to the producer. Internal. */
export interface DispatcherHost {
  succeed(record: PendingRecord, shardId: string, sequenceNumber: string, subSequenceNumber: number, aggregated: boolean): void;
  /** A failure the dispatcher will not retry: `fatal` errors, throttling with `failIfThrottled`, expiry. */
  fail(record: PendingRecord, errorCode: string, errorMessage: string, kind: AwsErrorKind | 'expired', cause?: unknown): void;
  metric(name: ProducerMetricName, value: number, shardId?: string, errorCode?: string): void;
  shardMapRefreshed(event: ShardMapRefreshedEvent): void;
  /** A PutRecords request was answered, or failed as a whole (before its records are settled or retried). */
  requestCompleted?(batch: readonly OutgoingRecord[], outcome: BatchOutcome): void;
}
