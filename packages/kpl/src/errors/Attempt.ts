/** One try at sending a user record (a PutRecords request that carried it). */
export interface Attempt {
  /** When the request started, in the producer clock's milliseconds. */
  readonly startedAt: number;
  readonly durationMs: number;
  /** Set when the attempt failed: the AWS error code (`ProvisionedThroughputExceededException`, …) or `WrongShard`. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
}
