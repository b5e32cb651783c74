import type { PendingRecord } from './PendingRecord';

/** Overhead a user record adds to an aggregate beyond its data and key (tags, varints). */
const PER_RECORD_OVERHEAD = 8;

/**
 * The user records waiting to be packed for one route — a predicted shard, a key in a gap of the
 * map, or every record while no map exists. Records leave in arrival order, retried ones first.
 *
 * Its earliest deadline is kept as records come, and worked out again only after records leave
 * while others stay: the packer takes every full aggregate at once, so what stays is at most one
 * aggregate's worth — a tick never walks more than that, however many records are outstanding.
 */
export class ShardBuffer {
  records: PendingRecord[] = [];
  /** Roughly the aggregate size the records would make (exact sizing happens when packing). */
  estimatedBytes = 0;
  /** Not packed before this time (backoff after a failure). */
  notBefore = 0;
  /** `estimatedBytes` at which the buffer is worth packing again; unset: at the aggregate size limit. */
  fullAtBytes: number | undefined;
  #earliestDeadline = Infinity;
  #deadlineKnown = true;

  constructor(
    readonly routeKey: string,
    /** The shard its records are predicted to land on; undefined for a gap route or before a shard map exists. */
    readonly predictedShardId: string | undefined,
  ) {}

  get size(): number {
    return this.records.length;
  }

  /** The earliest deadline among its records (Infinity when empty). */
  earliestDeadline(): number {
    if (!this.#deadlineKnown) {
      let earliest = Infinity;
      for (const record of this.records) if (record.deadline < earliest) earliest = record.deadline;
      this.#earliestDeadline = earliest;
      this.#deadlineKnown = true;
    }
    return this.#earliestDeadline;
  }

  add(record: PendingRecord): void {
    this.records.push(record);
    this.estimatedBytes += record.bytes + PER_RECORD_OVERHEAD;
    if (record.deadline < this.#earliestDeadline) this.#earliestDeadline = record.deadline;
  }

  /** Puts records back at the front, ahead of those that arrived later. */
  prepend(records: readonly PendingRecord[]): void {
    if (records.length === 0) return;
    this.records = this.records.length === 0 ? [...records] : [...records, ...this.records];
    for (const record of records) {
      this.estimatedBytes += record.bytes + PER_RECORD_OVERHEAD;
      if (record.deadline < this.#earliestDeadline) this.#earliestDeadline = record.deadline;
    }
  }

  /** Removes and returns the first `count` records. */
  take(count: number): PendingRecord[] {
    if (count === 0) return [];
    if (count >= this.records.length) return this.takeAll();
    const taken = this.records.splice(0, count);
    for (const record of taken) this.estimatedBytes -= record.bytes + PER_RECORD_OVERHEAD;
    this.#deadlineKnown = false;
    return taken;
  }

  /** Removes the first `count` records (the packer's: it has them already), copying only those left. */
  drop(count: number): void {
    if (count === 0) return;
    if (count >= this.records.length) {
      this.takeAll();
      return;
    }
    let removed = 0;
    for (let i = 0; i < count; i++) removed += this.records[i]!.bytes + PER_RECORD_OVERHEAD;
    this.records = this.records.slice(count);
    this.estimatedBytes -= removed;
    this.#deadlineKnown = false;
  }

  /**
   * Removes the first `count` records and, of the rest, those `drop` says to (records the packer
   * skipped: settled ones, or blocked ones it moved to their keys' lanes).
   */
  takeAndDrop(count: number, drop: (record: PendingRecord) => boolean): void {
    const kept: PendingRecord[] = [];
    for (let i = count; i < this.records.length; i++) if (!drop(this.records[i]!)) kept.push(this.records[i]!);
    this.takeAll();
    for (const record of kept) this.add(record);
  }

  /** Removes and returns every record. */
  takeAll(): PendingRecord[] {
    const taken = this.records;
    this.records = [];
    this.estimatedBytes = 0;
    this.#earliestDeadline = Infinity;
    this.#deadlineKnown = true;
    return taken;
  }
}
