import type { OutgoingRecord } from '../buffering/PendingRecord';

/**
 * Gathers Kinesis records, from every shard, into PutRecords batches of at most `maxCount`
 * entries and `maxBytes` (data plus partition keys). A batch leaves when it is full or when the
 * earliest deadline among the waiting records has come.
 */
export class Collector {
  #items: OutgoingRecord[] = [];
  #bytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.#items.length;
  }

  push(record: OutgoingRecord): void {
    this.#items.push(record);
    this.#bytes += record.bytes;
  }

  /** Whether a full batch is waiting. */
  hasFullBatch(): boolean {
    return this.#items.length >= this.maxCount || this.#bytes >= this.maxBytes;
  }

  earliestDeadline(): number {
    let earliest = Infinity;
    for (const item of this.#items) if (item.deadline < earliest) earliest = item.deadline;
    return earliest;
  }

  /** Removes the next batch, in arrival order, within the count and byte limits (at least one record). */
  takeBatch(): OutgoingRecord[] {
    let count = 0;
    let bytes = 0;
    while (count < this.#items.length && count < this.maxCount) {
      const next = this.#items[count]!.bytes;
      if (count > 0 && bytes + next > this.maxBytes) break;
      bytes += next;
      count++;
    }
    this.#bytes -= bytes;
    return this.#items.splice(0, count);
  }

  /** The earliest TTL among the user records waiting here. */
  earliestExpiry(): number {
    let earliest = Infinity;
    for (const item of this.#items) for (const record of item.records) if (record.expiresAt < earliest) earliest = record.expiresAt;
    return earliest;
  }

  /** Removes the Kinesis records that carry a user record past its TTL. */
  takeExpired(now: number): OutgoingRecord[] {
    const expired = this.#items.filter((item) => item.records.some((record) => now >= record.expiresAt));
    if (expired.length === 0) return expired;
    const gone = new Set(expired);
    this.#items = this.#items.filter((item) => !gone.has(item));
    for (const item of expired) this.#bytes -= item.bytes;
    return expired;
  }

  /** Removes every waiting record (to re-route them after a reshard). */
  takeAll(): OutgoingRecord[] {
    const all = this.#items;
    this.#items = [];
    this.#bytes = 0;
    return all;
  }
}
