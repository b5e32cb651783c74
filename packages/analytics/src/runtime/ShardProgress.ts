import { compareExtendedSequenceNumbers, type ExtendedSequenceNumber } from '@kinesis-toolkit/core';
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

  /** Forgets the records at or before `checkpoint` (the shard's checkpoint when a worker takes it: they need no holding back). */
  discardThrough(checkpoint: ExtendedSequenceNumber): void {
    for (;;) {
      const first = this.#pending.peekFirst();
      if (first === undefined || compareExtendedSequenceNumbers(first, checkpoint) > 0) return;
      this.#pending.shift();
    }
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
