// The Lambda event and response shapes kinesisHandler reads and writes — written here so that the
// published types need no @types/aws-lambda; `KinesisStreamEvent` and `KinesisStreamBatchResponse`
// from @types/aws-lambda fit them (checked by kinesisHandler.types.test.ts).

/** One record of a Kinesis event from a Lambda event-source mapping (the fields read here). */
export interface KinesisEventRecord {
  /** `shardId-000000000000:49590338271490256608559692538361571095921575989136588898`. */
  readonly eventID?: string;
  readonly eventSourceARN?: string;
  readonly kinesis: {
    /** Base64 of the record's bytes (a KPL aggregate, or a plain record). */
    readonly data: string;
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    /** Seconds since the epoch, with a fractional part. */
    readonly approximateArrivalTimestamp?: number;
  };
}

/** A Kinesis event as Lambda passes it to the function: one shard's records, in order. */
export interface KinesisEvent {
  readonly Records: readonly KinesisEventRecord[];
}

/** The partial batch response Lambda reads when the mapping has `ReportBatchItemFailures`. */
export interface KinesisBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}
