import type { Attempt } from './errors/Attempt';

/** What `put()` resolves with once Kinesis has acknowledged the record. */
export interface PutResult {
  readonly shardId: string;
  /** The sequence number of the Kinesis record that carries it (shared by an aggregate's user records). */
  readonly sequenceNumber: string;
  /** Its index within that aggregate; 0 when sent on its own. Consumers see the same numbers. */
  readonly subSequenceNumber: number;
  /** Whether it was sent inside an aggregate. */
  readonly aggregated: boolean;
  /** Every try, the last one successful. */
  readonly attempts: readonly Attempt[];
}
