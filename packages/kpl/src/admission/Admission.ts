import type { PendingRecord } from '../buffering/PendingRecord';

/** The producer's bounds on what is outstanding. */
export interface AdmissionLimits {
  readonly maxOutstandingRecords: number;
  readonly maxOutstandingBytes: number;
}

/**
 * The producer's backpressure: user records (and their bytes) taken in and not yet settled, the
 * records waiting for room in put() order, and whether a `'drain'` is owed. A record is always
 * taken when nothing is outstanding, so one larger than the byte bound still goes through.
 * Internal.
 */
export class Admission {
  // A FIFO with a moving head: shift() on a large array is O(n).
  #waiting: PendingRecord[] = [];
  #waitingHead = 0;
  #records = 0;
  #bytes = 0;
  #backpressured = false;

  constructor(private readonly limits: AdmissionLimits) {}

  /** User records taken in and not yet settled. */
  get records(): number {
    return this.#records;
  }

  /** Their bytes (data plus partition keys). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Whether a record offered now would be taken at once. */
  get hasCapacity(): boolean {
    return this.waitingCount === 0 && this.#hasRoom(1);
  }

  get waitingCount(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  /** Takes `record` in (true) when nothing waits and there is room; otherwise queues it (false). */
  offer(record: PendingRecord): boolean {
    if (this.waitingCount === 0 && this.#hasRoom(record.bytes)) {
      this.#take(record);
      return true;
    }
    this.#backpressured = true;
    this.#waiting.push(record);
    return false;
  }

  /** A taken record settled: its room is free again (call {@link admitWaiting} after a round of these). */
  release(record: PendingRecord): void {
    this.#records--;
    this.#bytes -= record.bytes;
  }

  /**
   * Takes waiting records in, oldest first, while there is room, handing each to `admit`.
   * @returns whether a `'drain'` is now owed: backpressure was on, and nothing waits and there is room.
   */
  admitWaiting(admit: (record: PendingRecord) => void): boolean {
    while (this.waitingCount > 0 && this.#hasRoom(this.#waiting[this.#waitingHead]!.bytes)) {
      const record = this.#nextWaiting();
      this.#take(record);
      admit(record);
    }
    if (this.#backpressured && this.waitingCount === 0 && this.#hasRoom(1)) {
      this.#backpressured = false;
      return true;
    }
    return false;
  }

  #take(record: PendingRecord): void {
    this.#records++;
    this.#bytes += record.bytes;
    // Taking the last room is backpressure too: 'drain' must follow when room returns.
    if (!this.#hasRoom(1)) this.#backpressured = true;
  }

  #hasRoom(bytes: number): boolean {
    if (this.#records === 0) return true;
    return this.#records < this.limits.maxOutstandingRecords && this.#bytes + bytes <= this.limits.maxOutstandingBytes;
  }

  #nextWaiting(): PendingRecord {
    const next = this.#waiting[this.#waitingHead]!;
    this.#waiting[this.#waitingHead++] = undefined as unknown as PendingRecord;
    if (this.#waitingHead === this.#waiting.length) {
      this.#waiting = [];
      this.#waitingHead = 0;
    } else if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
    return next;
  }
}
