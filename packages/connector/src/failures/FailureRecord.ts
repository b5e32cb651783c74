/**
 * A record that could not be delivered, in Amazon Data Firehose's error-output format (the
 * fields Firehose writes to its S3 error prefix), plus where it came from in the stream.
 */
export interface FailureRecord {
  /** How many times delivery was tried (0 when the transformer rejected it). */
  readonly attemptsMade: number;
  /** When Kinesis received the record, epoch milliseconds (0 if unknown). */
  readonly arrivalTimestamp: number;
  /** A stable code: the error's `code`, else its `name` (e.g. `TransformError`, `ProcessingFailed`). */
  readonly errorCode: string;
  readonly errorMessage: string;
  /** When the last attempt ended, epoch milliseconds. */
  readonly attemptEndingTimestamp: number;
  /** The user record's bytes, base64. */
  readonly rawData: string;
  readonly kinesisRecordMetadata: {
    readonly shardId: string;
    readonly partitionKey: string;
    readonly sequenceNumber: string;
    readonly subsequenceNumber: number;
    readonly approximateArrivalTimestamp: number;
  };
}

/**
 * Where undeliverable records go (a dead-letter queue). The pipeline checkpoints past a failed
 * record only after `put` resolved; if it throws, the pipeline keeps retrying and does not
 * checkpoint.
 */
export interface FailureSink {
  put(records: readonly FailureRecord[]): Promise<void>;
  /** The pipeline is done with this sink (`pipeline.shutdown()`): release clients and connections. */
  shutdown?(): void | Promise<void>;
}
