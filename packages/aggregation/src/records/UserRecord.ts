/** A record as a producer hands it in: what goes into an aggregate or a PutRecords entry. */
export interface UserRecordInput {
  /** 1–256 Unicode characters; MD5 of it picks the shard unless `explicitHashKey` is set. */
  readonly partitionKey: string;
  /** The record's bytes. */
  readonly data: Uint8Array;
  /** A decimal 128-bit hash key that overrides the partition key's hash for routing. */
  readonly explicitHashKey?: string;
}

/** A record ready for PutRecords: an aggregate, or a single user record sent as is. */
export interface KinesisRecordOutput {
  readonly partitionKey: string;
  /** Always set, as the KPL does, so the record lands on the shard predicted for its first user record. */
  readonly explicitHashKey: string;
  readonly data: Buffer;
  /** How many user records it carries. */
  readonly userRecordCount: number;
  /** Whether `data` is in the aggregated format (false for a record sent on its own). */
  readonly aggregated: boolean;
}

/** A user record recovered from a Kinesis record by de-aggregation. */
export interface UserRecord {
  readonly partitionKey: string;
  /** Only when the producer set one for this user record. */
  readonly explicitHashKey?: string;
  /** A view into the fetched record's bytes (not a copy). */
  readonly data: Buffer;
  /** The Kinesis record's sequence number (shared by every user record of one aggregate). */
  readonly sequenceNumber: string;
  /** The user record's index within its aggregate; 0 for a record that was not aggregated. */
  readonly subSequenceNumber: number;
  /** Whether it came out of an aggregate. */
  readonly aggregated: boolean;
  readonly approximateArrivalTimestamp?: Date;
}
