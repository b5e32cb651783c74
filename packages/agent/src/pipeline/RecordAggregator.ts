/** Several records joined into one Firehose record. */
export interface Aggregate<T> {
  /** The records' payloads (each with its own terminator), one after the other, nothing between. */
  readonly data: Buffer;
  /** What each joined record carries (its settle callback), in order. */
  readonly parts: readonly T[];
}

/**
 * Joins consecutive records into one Firehose record of at most `maxBytes`, as the Kinesis Agent
 * does for `aggregatedRecordSizeBytes` (its `AggregationSplitter`): whole records only — each
 * already ends with its `\n`, so nothing is put between them — as many as fit in `maxBytes`; a
 * record bigger than `maxBytes` on its own travels alone, never cut. It never waits for more:
 * the caller {@link flush}es whenever it has handed on everything it read (the agent joins only
 * lines already in its read buffer).
 */
export class RecordAggregator<T> {
  readonly #maxBytes: number;
  #payloads: Buffer[] = [];
  #parts: T[] = [];
  #bytes = 0;

  /** @param maxBytes - the agent's `aggregatedRecordSizeBytes` (≥ 1). */
  constructor(maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError(`maxBytes: expected an integer ≥ 1, got ${maxBytes}`);
    this.#maxBytes = maxBytes;
  }

  /** Records held for the aggregate being built. */
  get pending(): number {
    return this.#parts.length;
  }

  /**
   * Adds one record's payload (terminator included).
   * @returns the aggregates this completes, in order (none, one, or — when a full one is followed by
   *   a record that fills another on its own — two).
   */
  add(payload: Buffer, part: T): Aggregate<T>[] {
    const done: Aggregate<T>[] = [];
    if (this.#parts.length > 0 && this.#bytes + payload.length > this.#maxBytes) done.push(this.flush()!);
    this.#payloads.push(payload);
    this.#parts.push(part);
    this.#bytes += payload.length;
    // Nothing more fits (every payload has at least its terminator): send it now.
    if (this.#bytes >= this.#maxBytes) done.push(this.flush()!);
    return done;
  }

  /** Ends the aggregate being built: returns it, if any. */
  flush(): Aggregate<T> | undefined {
    if (this.#parts.length === 0) return undefined;
    const aggregate = { data: this.#payloads.length === 1 ? this.#payloads[0]! : Buffer.concat(this.#payloads, this.#bytes), parts: this.#parts };
    this.#payloads = [];
    this.#parts = [];
    this.#bytes = 0;
    return aggregate;
  }
}
