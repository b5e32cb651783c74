import type { OutgoingRecord, PendingRecord } from '../buffering/PendingRecord';

/**
 * The unsettled records of one partition key, as `preserveOrder` tracks them. In `put()` order
 * they are: those in the one Kinesis record of the key that is out (`sending`: packed, metered,
 * collected or sent, and not yet answered), then those in a buffer (all in the buffer of the key's
 * current route), then those `waiting` here.
 */
export interface KeyLane {
  readonly partitionKey: string;
  /** Records admitted and not yet settled. */
  unsettled: number;
  /** The Kinesis record carrying the key's earliest unacknowledged records, until it is answered or taken apart. */
  sending: OutgoingRecord | undefined;
  /** Records that may not be packed before `sending` is answered, in `put()` order (none: undefined). */
  waiting: PendingRecord[] | undefined;
}

/**
 * The one ordering rule of `preserveOrder`: a record of a partition key is packed into a Kinesis
 * record only when every earlier unsettled record of its key is acknowledged, or is packed into
 * that same Kinesis record ahead of it. While a key's Kinesis record is out — in a PutRecords
 * request, retried after a throttle or an error, re-routed by a shard-map change, or re-sent
 * because it landed on a shard that does not own it — the key's later records wait here, whatever
 * route, shard map or buffer they would take.
 *
 * This holds across resharding because it does not depend on routes: a key's next record leaves
 * only after Kinesis acknowledged the one before, so it gets a later sequence number in the same
 * shard, or lands in a child of that shard, which readers finish after its parent. Records of
 * different keys are not held back by each other. Internal.
 */
export class KeyLanes {
  readonly #lanes = new Map<string, KeyLane>();

  /** Keys with unsettled records. */
  get size(): number {
    return this.#lanes.size;
  }

  /**
   * Joins an admitted record to its key's lane.
   * @returns whether it may go to its buffer now; false: it waits in the lane.
   */
  admit(record: PendingRecord): boolean {
    let lane = this.#lanes.get(record.partitionKey);
    if (lane === undefined) {
      lane = { partitionKey: record.partitionKey, unsettled: 0, sending: undefined, waiting: undefined };
      this.#lanes.set(record.partitionKey, lane);
    }
    lane.unsettled++;
    record.lane = lane;
    if (lane.sending === undefined && lane.waiting === undefined) return true;
    (lane.waiting ??= []).push(record);
    return false;
  }

  /** Whether a buffered record must wait: an earlier record of its key is out in another Kinesis record. */
  blocked(record: PendingRecord): boolean {
    return record.lane!.sending !== undefined;
  }

  /** A Kinesis record was packed: its keys' later records wait until it is answered or taken apart. */
  sending(outgoing: OutgoingRecord): void {
    for (const record of outgoing.records) record.lane!.sending = outgoing;
  }

  /**
   * Moves buffered records that turned out to be blocked into their lanes, ahead of the records
   * already waiting there (they were put earlier). `records` is in buffer order.
   */
  park(records: readonly PendingRecord[]): void {
    let groups: Map<KeyLane, PendingRecord[]> | undefined;
    for (const record of records) {
      const lane = record.lane!;
      groups ??= new Map();
      const group = groups.get(lane);
      if (group === undefined) groups.set(lane, [record]);
      else group.push(record);
    }
    if (groups === undefined) return;
    for (const [lane, group] of groups) lane.waiting = lane.waiting === undefined ? group : group.concat(lane.waiting);
  }

  /**
   * A Kinesis record was answered (its records acknowledged, failed or put back for another
   * attempt) or taken apart before it was sent: its keys may send again.
   * @returns the records that waited for it, in `put()` order per key, unsettled ones only.
   */
  finished(outgoing: OutgoingRecord): readonly PendingRecord[] {
    let released: PendingRecord[] | undefined;
    for (const record of outgoing.records) {
      const lane = record.lane!;
      if (lane.sending !== outgoing) continue;
      lane.sending = undefined;
      if (lane.waiting === undefined) continue;
      released ??= [];
      for (const waiting of lane.waiting) if (!waiting.settled) released.push(waiting);
      lane.waiting = undefined;
    }
    return released ?? NONE;
  }

  /** A record settled: its lane goes once none of its key's records is left. */
  settled(record: PendingRecord): void {
    const lane = record.lane;
    if (lane === undefined) return;
    if (--lane.unsettled === 0 && this.#lanes.get(lane.partitionKey) === lane) this.#lanes.delete(lane.partitionKey);
  }
}

const NONE: readonly PendingRecord[] = Object.freeze([]);
