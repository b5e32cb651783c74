import type { PendingRecord } from './PendingRecord';

/** Overhead a user record adds to an aggregate beyond its data and key (tags, varints). */
const PER_RECORD_OVERHEAD = 8;

/**
 * The user records waiting to be packed for one route — a predicted shard, or, before a shard
 * map exists, one partition key. Records leave in arrival order, retried ones first.
 */
export class ShardBuffer {
  records: PendingRecord[] = [];
  /** Roughly the aggregate size the records would make (exact sizing happens when packing). */
  estimatedBytes = 0;
  /** Not packed before this time (backoff after a failure). */
  notBefore = 0;
  /** `estimatedBytes` at which the buffer is worth packing again; unset: at the aggregate size limit. */
  fullAtBytes: number | undefined;
  /** Kinesis records of this route sent and not yet answered (`preserveOrder` allows one). */
  inFlight = 0;

  constructor(
    readonly routeKey: string,
    /** The shard its records are predicted to land on; undefined before a shard map exists. */
    readonly predictedShardId: string | undefined,
  ) {}

  get size(): number {
    return this.records.length;
  }

  /** The earliest deadline among its records. */
  earliestDeadline(): number {
    let earliest = Infinity;
    for (const record of this.records) if (record.deadline < earliest) earliest = record.deadline;
    return earliest;
  }

  add(record: PendingRecord): void {
    this.records.push(record);
    this.estimatedBytes += record.bytes + PER_RECORD_OVERHEAD;
  }

  /** Puts records back at the front, ahead of those that arrived later. */
  prepend(records: readonly PendingRecord[]): void {
    this.records = [...records, ...this.records];
    for (const record of records) this.estimatedBytes += record.bytes + PER_RECORD_OVERHEAD;
  }

  /** Removes and returns the first `count` records. */
  take(count: number): PendingRecord[] {
    const taken = this.records.splice(0, count);
    for (const record of taken) this.estimatedBytes -= record.bytes + PER_RECORD_OVERHEAD;
    if (this.records.length === 0) this.estimatedBytes = 0;
    return taken;
  }
}
