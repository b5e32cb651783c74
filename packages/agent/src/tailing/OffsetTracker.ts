/** How a record sent from a file ended. */
export type RecordOutcome =
  /** Kinesis acknowledged it. */
  | 'acknowledged'
  /** It can never be sent (a line that does not parse, a record too large): reported, and passed over. */
  | 'dropped'
  /** Sending failed (an error retrying could not fix, or its TTL passed): a restart must send it again. */
  | 'failed';

interface Entry {
  readonly endOffset: number;
  outcome: RecordOutcome | undefined;
}

/**
 * Where the checkpoint of one file may point: just after the last record of the longest run,
 * from the start, of records that are settled and not `failed`. Puts are concurrent and are
 * acknowledged out of order; a record acknowledged early does not move the checkpoint past an
 * earlier record still in flight — so a restart re-sends nothing that was acknowledged in order
 * and loses nothing that was not. A `failed` record holds the checkpoint where it is for good.
 */
export class OffsetTracker {
  #entries: (Entry | undefined)[] = [];
  #head = 0;
  #firstId = 0;
  #committed: number;
  #lastRegistered: number;
  #unsettled = 0;

  /** @param startOffset - where reading started: the checkpoint before any record settles. */
  constructor(startOffset: number) {
    this.#committed = startOffset;
    this.#lastRegistered = startOffset;
  }

  /** The offset up to which everything is settled and nothing failed. */
  get committedOffset(): number {
    return this.#committed;
  }

  /** Records registered and not yet settled. */
  get unsettled(): number {
    return this.#unsettled;
  }

  /** Whether a failed record holds the checkpoint. */
  get blocked(): boolean {
    return this.#entries[this.#head]?.outcome === 'failed';
  }

  /**
   * Registers the next record, which ends at `endOffset` (records come in file order).
   * @returns its ticket, for {@link settle}.
   */
  register(endOffset: number): number {
    if (endOffset < this.#lastRegistered) {
      throw new RangeError(`endOffset: records must be registered in file order; ${endOffset} is before ${this.#lastRegistered}`);
    }
    this.#lastRegistered = endOffset;
    this.#entries.push({ endOffset, outcome: undefined });
    this.#unsettled += 1;
    return this.#firstId + this.#entries.length - 1;
  }

  /** Records how the record with `ticket` ended (once; later calls are ignored). */
  settle(ticket: number, outcome: RecordOutcome): void {
    const entry = this.#entries[ticket - this.#firstId];
    if (entry === undefined || entry.outcome !== undefined) return;
    entry.outcome = outcome;
    this.#unsettled -= 1;
    this.#advance();
  }

  #advance(): void {
    for (;;) {
      const entry = this.#entries[this.#head];
      if (entry === undefined || entry.outcome === undefined || entry.outcome === 'failed') break;
      this.#committed = entry.endOffset;
      this.#entries[this.#head] = undefined;
      this.#head += 1;
    }
    // Drop the settled prefix now and then, so the array does not grow with the file.
    if (this.#head > 1024 && this.#head * 2 > this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#firstId += this.#head;
      this.#head = 0;
    }
  }
}
