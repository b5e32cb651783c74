import type { Clock } from '@kinesis-toolkit/core';
import type { OutgoingRecord } from '../buffering/PendingRecord';
import { ShardBudget } from './ShardBudget';

/** The write limits of one shard (AWS quotas). */
const SHARD_RECORDS_PER_SECOND = 1000;
const SHARD_BYTES_PER_SECOND = 1024 * 1024;

interface MeteredShard {
  readonly bucket: ShardBudget;
  queue: OutgoingRecord[];
  throttled: boolean;
}

/**
 * Per-shard rate limiting: each predicted shard's Kinesis records pass its {@link ShardBudget}
 * (records/s and bytes/s token buckets from core) at `rateLimitPercent` of the shard's limits, in
 * order; what may pass goes to `release`.
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
      shard = { bucket: new ShardBudget(SHARD_RECORDS_PER_SECOND * share, SHARD_BYTES_PER_SECOND * share, this.clock), queue: [], throttled: false };
      this.#shards.set(shardId, shard);
    }
    shard.queue.push(outgoing);
    return this.#drain(shard);
  }

  /** Releases what every bucket allows now. @returns the shortest wait of any shard still holding records. */
  releaseAll(): number | undefined {
    let soonest: number | undefined;
    for (const shard of this.#shards.values()) {
      if (shard.queue.length === 0) continue;
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

  /** Removes waiting records that carry a user record past its TTL. */
  takeExpired(now: number): OutgoingRecord[] {
    const expired: OutgoingRecord[] = [];
    for (const shard of this.#shards.values()) {
      const stale = shard.queue.filter((outgoing) => outgoing.records.some((record) => now >= record.expiresAt));
      if (stale.length === 0) continue;
      const staleSet = new Set(stale);
      shard.queue = shard.queue.filter((outgoing) => !staleSet.has(outgoing));
      for (const outgoing of stale) expired.push(outgoing);
    }
    return expired;
  }

  /** Forgets shards that are no longer open, returning the records that waited for them. */
  takeClosed(open: ReadonlySet<string>): OutgoingRecord[] {
    const orphaned: OutgoingRecord[] = [];
    for (const [shardId, shard] of this.#shards) {
      if (open.has(shardId)) continue;
      for (const outgoing of shard.queue) orphaned.push(outgoing);
      this.#shards.delete(shardId);
    }
    return orphaned;
  }

  #drain(shard: MeteredShard): number | undefined {
    const { bucket, queue } = shard;
    let released = 0;
    while (released < queue.length && bucket.tryTake(queue[released]!.bytes)) this.release(queue[released++]!);
    if (released > 0) queue.splice(0, released);
    return queue.length > 0 ? Math.max(1, bucket.waitMs(queue[0]!.bytes)) : undefined;
  }
}
