import { RingQueue } from '../operators/RingQueue';

/** A record's position in its shard and the ROWTIME its rows were given. */
export interface RecordPosition {
  readonly rowtime: number;
  readonly sequenceNumber: string;
  readonly subSequenceNumber: number;
}

/**
 * The records of one shard handed to the engine and not yet checkpointed, oldest first. The
 * checkpoint may move past a record only once no open window needs its ROWTIME.
 */
export class ShardProgress {
  readonly #pending = new RingQueue<RecordPosition>();

  get size(): number {
    return this.#pending.size;
  }

  add(position: RecordPosition): void {
    this.#pending.push(position);
  }

  /**
   * Takes the records no open window needs (ROWTIME before `neededRowtime`; all of them when
   * nothing is open) and returns the last one: where the shard may be checkpointed.
   */
  release(neededRowtime: number | undefined): RecordPosition | undefined {
    let last: RecordPosition | undefined;
    for (;;) {
      const first = this.#pending.peekFirst();
      if (first === undefined || (neededRowtime !== undefined && first.rowtime >= neededRowtime)) return last;
      last = this.#pending.shift();
    }
  }
}
