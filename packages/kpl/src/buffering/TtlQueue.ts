import type { PendingRecord } from './PendingRecord';

/** Below this many entries the queue is never compacted. */
const MIN_COMPACT_AT = 4096;

/**
 * Every admitted user record in admission order — which is TTL order, since a record's TTL is
 * its admission time plus the one `recordTtlMs`. The dispatcher asks it, at each timer tick, for
 * the records whose TTL has passed: the cost is what it hands out (and settled records it drops
 * on the way), never a walk over the records still outstanding, wherever they wait — a buffer,
 * a key's lane, a shard's rate limiter, the collector.
 *
 * Settled records are dropped lazily, when they reach the head; to bound memory while an old
 * record is still out, the queue is compacted (settled ones removed) whenever it has grown to
 * twice what was live at the last compaction, which costs O(1) per record over time. Internal.
 */
export class TtlQueue {
  #records: PendingRecord[] = [];
  #head = 0;
  #compactAt = MIN_COMPACT_AT;

  /** Entries held, settled ones not yet dropped included. */
  get size(): number {
    return this.#records.length - this.#head;
  }

  add(record: PendingRecord): void {
    this.#records.push(record);
    if (this.#records.length - this.#head >= this.#compactAt) this.#compact();
  }

  /**
   * Removes and returns the unsettled records whose TTL is `now` or earlier, oldest first.
   * Records still in a PutRecords request are among them: their answer decides (a retry checks
   * the TTL again).
   */
  takeExpired(now: number): PendingRecord[] | undefined {
    const records = this.#records;
    let head = this.#head;
    let expired: PendingRecord[] | undefined;
    while (head < records.length) {
      const record = records[head]!;
      if (!record.settled) {
        if (record.expiresAt > now) break;
        (expired ??= []).push(record);
      }
      records[head++] = undefined as unknown as PendingRecord;
    }
    this.#head = head;
    if (head === records.length) {
      this.#records = [];
      this.#head = 0;
    } else if (head > MIN_COMPACT_AT && head * 2 > records.length) {
      this.#records = records.slice(head);
      this.#head = 0;
    }
    return expired;
  }

  /** The earliest TTL among the unsettled records (Infinity when there are none). */
  nextExpiresAt(): number {
    const records = this.#records;
    while (this.#head < records.length && records[this.#head]!.settled) records[this.#head++] = undefined as unknown as PendingRecord;
    return this.#head < records.length ? records[this.#head]!.expiresAt : Infinity;
  }

  #compact(): void {
    const live: PendingRecord[] = [];
    const records = this.#records;
    for (let i = this.#head; i < records.length; i++) if (!records[i]!.settled) live.push(records[i]!);
    this.#records = live;
    this.#head = 0;
    this.#compactAt = Math.max(MIN_COMPACT_AT, live.length * 2);
  }
}
