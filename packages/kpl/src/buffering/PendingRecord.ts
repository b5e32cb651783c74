import type { Attempt } from '../errors/Attempt';
import type { PutResult } from '../PutResult';

/** A user record between `put()` and its settlement. Internal. */
export interface PendingRecord {
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** The 128-bit hash key that routes it. */
  readonly hashKey: bigint;
  /** Data plus UTF-8 partition key, the unit of the Kinesis limits. */
  readonly bytes: number;
  readonly arrivedAt: number;
  readonly expiresAt: number;
  /** The flush epoch of its put() (see KinesisProducer.flush). */
  readonly epoch: number;
  /** The latest time it should leave its buffer. */
  deadline: number;
  readonly attempts: Attempt[];
  settled: boolean;
  resolve(result: PutResult): void;
  reject(error: Error): void;
}

/** A Kinesis record ready for PutRecords: an aggregate or a single user record. Internal. */
export interface OutgoingRecord {
  readonly records: readonly PendingRecord[];
  readonly partitionKey: string;
  readonly explicitHashKey: string | undefined;
  readonly data: Uint8Array;
  /** Data plus partition key bytes. */
  readonly bytes: number;
  readonly aggregated: boolean;
  /** The routing key of the buffer it came from (a shard id, or a key-based group before a map exists). */
  readonly routeKey: string;
  readonly predictedShardId: string | undefined;
  readonly deadline: number;
}
