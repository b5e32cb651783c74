import type { OutgoingRecord } from '../buffering/PendingRecord';

/**
 * Gathers Kinesis records, from every shard, into PutRecords batches of at most `maxCount`
 * entries and `maxBytes` (data plus partition keys). A batch leaves when it is full or when the
 * earliest deadline among the waiting records has come.
 *
 * Every operation costs O(1) per record over time, however many wait: records queue behind a
 * moving head; the earliest deadline comes from a second queue holding only the records that
 * could still be the earliest (each one's deadline below every later one's); a record taken
 * apart while it waits (stage `'unpacked'`, past its TTL) is forgotten by {@link cancel} at once
 * and skipped when it reaches the head. Only after such a failure is the second queue rebuilt.
 */
export class Collector {
  #items: OutgoingRecord[] = [];
  #head = 0;
  /** Records in arrival order whose deadlines increase: the front's is the earliest of all waiting. */
  #earliest: OutgoingRecord[] = [];
  #earliestHead = 0;
  /** A record left from the middle: the second queue may have dropped one that is now the earliest. */
  #earliestStale = false;
  #size = 0;
  #bytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  /** Records waiting. */
  get size(): number {
    return this.#size;
  }

  push(record: OutgoingRecord): void {
    record.stage = 'collected';
    this.#items.push(record);
    this.#size++;
    this.#bytes += record.bytes;
    const earliest = this.#earliest;
    while (earliest.length > this.#earliestHead && earliest[earliest.length - 1]!.deadline >= record.deadline) earliest.pop();
    earliest.push(record);
  }

  /** Forgets a waiting record that was taken apart (its stage already `'unpacked'`). */
  cancel(record: OutgoingRecord): void {
    this.#size--;
    this.#bytes -= record.bytes;
    this.#earliestStale = true;
  }

  /** Whether a full batch is waiting. */
  hasFullBatch(): boolean {
    return this.#size >= this.maxCount || this.#bytes >= this.maxBytes;
  }

  /** The earliest deadline among the waiting records (Infinity when none waits). */
  earliestDeadline(): number {
    if (this.#earliestStale) this.#rebuildEarliest();
    const earliest = this.#earliest;
    while (this.#earliestHead < earliest.length && earliest[this.#earliestHead]!.stage !== 'collected') earliest[this.#earliestHead++] = undefined as unknown as OutgoingRecord;
    if (this.#earliestHead === earliest.length) {
      this.#earliest = [];
      this.#earliestHead = 0;
      return Infinity;
    }
    if (this.#earliestHead > 1024 && this.#earliestHead * 2 > earliest.length) {
      this.#earliest = earliest.slice(this.#earliestHead);
      this.#earliestHead = 0;
    }
    return this.#earliest[this.#earliestHead]!.deadline;
  }

  /** Removes the next batch, in arrival order, within the count and byte limits (at least one record, if any waits). */
  takeBatch(): OutgoingRecord[] {
    const items = this.#items;
    const batch: OutgoingRecord[] = [];
    let bytes = 0;
    let head = this.#head;
    while (head < items.length && batch.length < this.maxCount) {
      const next = items[head]!;
      if (next.stage !== 'collected') {
        items[head++] = undefined as unknown as OutgoingRecord;
        continue;
      }
      if (batch.length > 0 && bytes + next.bytes > this.maxBytes) break;
      items[head++] = undefined as unknown as OutgoingRecord;
      next.stage = 'sent';
      bytes += next.bytes;
      batch.push(next);
    }
    this.#size -= batch.length;
    this.#bytes -= bytes;
    // Let go of what was sent: the second queue must not keep sent records (and their user records) alive.
    const earliest = this.#earliest;
    while (this.#earliestHead < earliest.length && earliest[this.#earliestHead]!.stage !== 'collected') earliest[this.#earliestHead++] = undefined as unknown as OutgoingRecord;
    if (this.#earliestHead === earliest.length) {
      this.#earliest = [];
      this.#earliestHead = 0;
    }
    if (head === items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (head > 1024 && head * 2 > items.length) {
      this.#items = items.slice(head);
      this.#head = 0;
    } else {
      this.#head = head;
    }
    return batch;
  }

  #rebuildEarliest(): void {
    this.#earliestStale = false;
    this.#earliest = [];
    this.#earliestHead = 0;
    const earliest = this.#earliest;
    for (let i = this.#head; i < this.#items.length; i++) {
      const record = this.#items[i]!;
      if (record.stage !== 'collected') continue;
      while (earliest.length > 0 && earliest[earliest.length - 1]!.deadline >= record.deadline) earliest.pop();
      earliest.push(record);
    }
  }

  /** Removes every waiting record. */
  takeAll(): OutgoingRecord[] {
    const all: OutgoingRecord[] = [];
    for (let i = this.#head; i < this.#items.length; i++) if (this.#items[i]!.stage === 'collected') all.push(this.#items[i]!);
    this.#items = [];
    this.#head = 0;
    this.#earliest = [];
    this.#earliestHead = 0;
    this.#size = 0;
    this.#bytes = 0;
    return all;
  }
}
