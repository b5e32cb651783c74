/** How one Kinesis record of a PutRecords request fared. */
export interface PutRecordsEntryOutcome {
  /** The shard the producer predicted (undefined before a shard map existed). */
  readonly predictedShardId: string | undefined;
  /** The shard it landed on (a success only). */
  readonly shardId: string | undefined;
  /** The entry's error code (a failure only); for a request that failed as a whole, see {@link PutRecordsEvent.errorCode}. */
  readonly errorCode: string | undefined;
  /** User records it carried (1 unless it is an aggregate). */
  readonly userRecords: number;
  /** Its size: data plus partition key, the unit of the Kinesis limits. */
  readonly bytes: number;
}

/**
 * One PutRecords request the producer sent, answered or failed as a whole: the `putRecords` event.
 * Built only while something listens (one per request, not per record).
 */
export interface PutRecordsEvent {
  readonly streamName: string;
  /** When the answer (or the failure) came, in epoch milliseconds. */
  readonly timestamp: number;
  readonly durationMs: number;
  /** The AWS error code when the request failed as a whole (then every entry failed with it). */
  readonly errorCode: string | undefined;
  /** Each Kinesis record of the request, in order. */
  readonly records: readonly PutRecordsEntryOutcome[];
}
