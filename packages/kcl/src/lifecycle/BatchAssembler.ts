import { deaggregate, type HashKeyRange, type UserRecord } from '@kinesis-toolkit/aggregation';
import { compareExtendedSequenceNumbers } from '@kinesis-toolkit/core';
import type { ExtendedSequenceNumber } from '../leases/Lease';
import type { FetchedBatch } from '../retrieval/PollingFetcher';
import type { WorkerEventSink } from './WorkerEvents';

/**
 * Turns one fetched batch of Kinesis records into the user records a processor is handed:
 * de-aggregated (MD5 checked: a corrupt aggregate is delivered as one plain record and reported),
 * past the starting checkpoint (a checkpoint inside an aggregate re-reads it: what is done is
 * skipped), and inside the shard's hash-key range (sub-records outside it are reported, not
 * delivered). Records are appended one by one: an aggregate may hold some 175,000 tiny sub-records,
 * far more than a call's arguments may (no `push(...records)`).
 */
export class BatchAssembler {
  /** Set once a record past the starting checkpoint has been seen: records only move forward. */
  #pastCheckpoint = false;

  constructor(
    private readonly shardId: string,
    private readonly range: HashKeyRange | undefined,
    private readonly startingCheckpoint: ExtendedSequenceNumber,
    private readonly events: WorkerEventSink,
  ) {}

  assemble(batch: FetchedBatch): UserRecord[] {
    const records: UserRecord[] = [];
    const checkpoint = this.startingCheckpoint;
    for (const record of batch.records) {
      const result = deaggregate(record, this.range === undefined ? {} : { shardHashKeyRange: this.range });
      // Out-of-range sub-records are judged first, without moving the flag: within the
      // checkpoint's own aggregate they interleave with the delivered ones.
      const outOfRange = this.#pastCheckpoint ? result.outOfRange : result.outOfRange.filter((userRecord) => compareExtendedSequenceNumbers(userRecord, checkpoint) > 0);
      // Past the checkpoint (every batch but the first), nothing needs filtering or copying.
      const delivered = this.#pastCheckpoint
        ? result.records
        : result.records.filter((userRecord) => this.#pastCheckpoint || (this.#pastCheckpoint = compareExtendedSequenceNumbers(userRecord, checkpoint) > 0));
      if (result.format === 'corrupt' && delivered.length > 0) {
        this.events.emit('corruptRecord', { shardId: this.shardId, sequenceNumber: record.SequenceNumber!, reason: result.corruption!.message });
      }
      if (outOfRange.length > 0) this.events.emit('recordsOutOfRange', { shardId: this.shardId, records: outOfRange });
      if (records.length === 0 && batch.records.length === 1) return delivered;
      for (const userRecord of delivered) records.push(userRecord);
    }
    return records;
  }
}
