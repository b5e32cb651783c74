import type { Clock } from '@kinesis-toolkit/core';
import type { OutgoingRecord } from '../buffering/PendingRecord';
import { ShardBudget } from './ShardBudget';

/** The write limits of one shard (AWS quotas). */
const SHARD_RECORDS_PER_SECOND = 1000;
const SHARD_BYTES_PER_SECOND = 1024 * 1024;

interface MeteredShard {
  readonly bucket: ShardBudget;
  /** Records waiting, oldest first, from `head` on (a moving head: no shifting per release). */
  queue: OutgoingRecord[];
  head: number;
  throttled: boolean;
}

/**
 * Per-shard rate limiting: each predicted shard's Kinesis records pass its {@link ShardBudget}
 * (records/s and bytes/s token buckets from core) at `rateLimitPercent` of the shard's limits, in
 * order; what may pass goes to `release`. A record taken apart while it waits (its stage is
 * `'unpacked'`: past its TTL) is skipped when it reaches the head, at no cost to the bucket.
 */
export class ShardMeter {
  readonly #shards = new Map<string, MeteredShard>();

  constructor(
    private readonly rateLimitPercent: number,
    private readonly clock: Clock,
    private readonly release: (outgoing: OutgoingRecord) => void,
  ) {}

  /**
   * Queues a record behind its shard's bucket and releases what the bucket allows.
   * @returns ms until the shard's next record may pass, or undefined when none waits.
   */
  meter(shardId: string, outgoing: OutgoingRecord): number | undefined {
    let shard = this.#shards.get(shardId);
    if (shard === undefined) {
      const share = this.rateLimitPercent / 100;
      shard = { bucket: new ShardBudget(SHARD_RECORDS_PER_SECOND * share, SHARD_BYTES_PER_SECOND * share, this.clock), queue: [], head: 0, throttled: false };
      this.#shards.set(shardId, shard);
    }
    shard.queue.push(outgoing);
    return this.#drain(shard);
  }

  /** Releases what every bucket allows now. @returns the shortest wait of any shard still holding records. */
  releaseAll(): number | undefined {
    let soonest: number | undefined;
    for (const shard of this.#shards.values()) {
      if (shard.head === shard.queue.length) continue;
      const wait = this.#drain(shard);
      if (wait !== undefined && (soonest === undefined || wait < soonest)) soonest = wait;
    }
    return soonest;
  }

  /**
   * Throttling feedback: a shard that answered ProvisionedThroughputExceeded is metered at no
   * more than its real limits from then on. `rateLimitPercent` above 100 (the KPL's 150 by
   * default) buys headroom for a producer that shares nothing; once Kinesis says otherwise,
   * sending faster than the limit only buys retries.
   */
  slowDown(shardId: string): void {
    if (this.rateLimitPercent <= 100) return;
    const shard = this.#shards.get(shardId);
    if (shard === undefined || shard.throttled) return;
    shard.throttled = true;
    shard.bucket.setRates(SHARD_RECORDS_PER_SECOND, SHARD_BYTES_PER_SECOND);
  }

  /** Forgets shards that are no longer open, returning the records that waited for them. */
  takeClosed(open: ReadonlySet<string>): OutgoingRecord[] {
    const orphaned: OutgoingRecord[] = [];
    for (const [shardId, shard] of this.#shards) {
      if (open.has(shardId)) continue;
      for (let i = shard.head; i < shard.queue.length; i++) if (shard.queue[i]!.stage === 'metered') orphaned.push(shard.queue[i]!);
      this.#shards.delete(shardId);
    }
    return orphaned;
  }

  #drain(shard: MeteredShard): number | undefined {
    const { bucket, queue } = shard;
    let head = shard.head;
    while (head < queue.length) {
      const next = queue[head]!;
      if (next.stage !== 'metered') {
        queue[head++] = undefined as unknown as OutgoingRecord;
        continue;
      }
      if (!bucket.tryTake(next.bytes)) break;
      queue[head++] = undefined as unknown as OutgoingRecord;
      this.release(next);
    }
    if (head === queue.length) {
      shard.queue = [];
      shard.head = 0;
      return undefined;
    }
    if (head > 1024 && head * 2 > queue.length) {
      shard.queue = queue.slice(head);
      head = 0;
    }
    shard.head = head;
    return Math.max(1, bucket.waitMs(shard.queue[head]!.bytes));
  }
}
