import type { PendingRecord } from './PendingRecord';

/** Below this many slots the queue is never compacted. */
const MIN_COMPACT_AT = 4096;

/**
 * Every admitted, unsettled user record in admission order — which is TTL order, since a record's
 * TTL is its admission time plus the one `recordTtlMs`. The dispatcher asks it, at each timer
 * tick, for the records whose TTL has passed: the cost is what it hands out (and the empty slots
 * it steps over), never a walk over the records still outstanding, wherever they wait — a buffer,
 * a key's lane, a shard's rate limiter, the collector.
 *
 * A record leaves at once when it settles ({@link remove}: its slot is emptied, so the queue never
 * keeps a settled record alive for the garbage collector to copy); the slots are compacted when
 * they reach twice what was live at the last compaction, O(1) per record over time. Internal.
 */
export class TtlQueue {
  /** Records from `#head` on; emptied slots are undefined. */
  #slots: (PendingRecord | undefined)[] = [];
  #head = 0;
  /** The absolute position of `#slots[0]` (a record's `ttlSlot` is absolute). */
  #base = 0;
  #compactAt = MIN_COMPACT_AT;

  /** Slots in use, emptied ones not yet stepped over included. */
  get size(): number {
    return this.#slots.length - this.#head;
  }

  add(record: PendingRecord): void {
    if (this.#slots.length - this.#head >= this.#compactAt) this.#compact();
    record.ttlSlot = this.#base + this.#slots.length;
    this.#slots.push(record);
  }

  /** A record settled: its slot is emptied. */
  remove(record: PendingRecord): void {
    const index = record.ttlSlot - this.#base;
    if (index >= this.#head && this.#slots[index] === record) this.#slots[index] = undefined;
  }

  /**
   * Removes and returns the records whose TTL is `now` or earlier, oldest first. Records still in
   * a PutRecords request are among them: their answer decides (a retry checks the TTL again).
   */
  takeExpired(now: number): PendingRecord[] | undefined {
    const slots = this.#slots;
    let head = this.#head;
    let expired: PendingRecord[] | undefined;
    while (head < slots.length) {
      const record = slots[head];
      if (record !== undefined) {
        if (record.expiresAt > now) break;
        if (!record.settled) (expired ??= []).push(record);
        slots[head] = undefined;
      }
      head++;
    }
    this.#head = head;
    this.#trim();
    return expired;
  }

  /** The earliest TTL among the records (Infinity when there are none). */
  nextExpiresAt(): number {
    const slots = this.#slots;
    while (this.#head < slots.length && slots[this.#head] === undefined) this.#head++;
    const next = this.#head < slots.length ? slots[this.#head]!.expiresAt : Infinity;
    this.#trim();
    return next;
  }

  /** Drops the stepped-over slots once they are most of the array (or all of it). */
  #trim(): void {
    if (this.#head === this.#slots.length) {
      this.#base += this.#slots.length;
      this.#slots = [];
      this.#head = 0;
    } else if (this.#head > MIN_COMPACT_AT && this.#head * 2 > this.#slots.length) {
      this.#base += this.#head;
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
  }

  #compact(): void {
    const live: PendingRecord[] = [];
    const slots = this.#slots;
    this.#base += slots.length;
    for (let i = this.#head; i < slots.length; i++) {
      const record = slots[i];
      if (record === undefined) continue;
      record.ttlSlot = this.#base + live.length;
      live.push(record);
    }
    this.#slots = live;
    this.#head = 0;
    this.#compactAt = Math.max(MIN_COMPACT_AT, live.length * 2);
  }
}
