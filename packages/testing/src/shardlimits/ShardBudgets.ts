import type { Clock } from '@kinesis-toolkit/core';
import type { ShardLimits } from './ShardLimitProxyOptions';
import { TokenBucket } from '@kinesis-toolkit/core';

/** A shard, named the way throttling messages and stats name it. */
export interface ShardKey {
  readonly streamName: string;
  readonly shardId: string;
}

/** What one shard (or all of them) saw through a {@link ShardLimitProxy}. Bytes are data + partition key. */
export interface ShardTraffic {
  /** PutRecord(s) entries the target stored. */
  readonly recordsAccepted: number;
  readonly bytesAccepted: number;
  /** Entries refused with `ProvisionedThroughputExceededException`. */
  readonly recordsThrottled: number;
  readonly bytesThrottled: number;
  /** GetRecords calls let through to the target. */
  readonly getRecordsCalls: number;
  /** GetRecords calls refused with `ProvisionedThroughputExceededException`. */
  readonly getRecordsThrottled: number;
  /** Bytes the GetRecords calls returned. */
  readonly bytesRead: number;
}

type Counters = { -readonly [K in keyof ShardTraffic]: ShardTraffic[K] };

interface ShardBudget {
  readonly writeRecords: TokenBucket;
  readonly writeBytes: TokenBucket;
  readonly readCalls: TokenBucket;
  readonly readBytes: TokenBucket;
  readonly traffic: Counters;
}

/** Traffic per stream, then per shard id. */
export type TrafficByStream = Readonly<Record<string, Readonly<Record<string, ShardTraffic>>>>;

/**
 * The token buckets and traffic counters of every shard a proxy has seen, created on first use.
 * Writes are admitted per record (records and bytes both), reads per call; read bytes are charged
 * after the response and may leave the shard in debt, as on AWS.
 */
export class ShardBudgets {
  readonly #clock: Clock;
  #limits: ShardLimits;
  readonly #streams = new Map<string, Map<string, ShardBudget>>();

  constructor(limits: ShardLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  /**
   * Takes one record of `bytes` from the shard's write budget if both its record and byte buckets
   * allow it; otherwise counts it as throttled.
   * @returns whether the record may be written.
   */
  tryWrite(shard: ShardKey, bytes: number): boolean {
    const budget = this.#budgetOf(shard);
    if (budget.writeRecords.canTake(1) && budget.writeBytes.canTake(bytes)) {
      budget.writeRecords.take(1);
      budget.writeBytes.take(bytes);
      return true;
    }
    budget.traffic.recordsThrottled += 1;
    budget.traffic.bytesThrottled += bytes;
    return false;
  }

  /** Counts an admitted record that the target stored. */
  confirmWrite(shard: ShardKey, bytes: number): void {
    const { traffic } = this.#budgetOf(shard);
    traffic.recordsAccepted += 1;
    traffic.bytesAccepted += bytes;
  }

  /** Gives back the budget of an admitted record that the target did not store. */
  cancelWrite(shard: ShardKey, bytes: number): void {
    const budget = this.#budgetOf(shard);
    budget.writeRecords.giveBack(1);
    budget.writeBytes.giveBack(bytes);
  }

  /**
   * Takes one GetRecords call from the shard's budget, if a call is left and the byte budget is
   * not in debt; otherwise counts the call as throttled.
   * @returns whether the call may go through.
   */
  tryRead(shard: ShardKey): boolean {
    const budget = this.#budgetOf(shard);
    if (budget.readBytes.tokens > 0 && budget.readCalls.tryTake(1)) {
      budget.traffic.getRecordsCalls += 1;
      return true;
    }
    budget.traffic.getRecordsThrottled += 1;
    return false;
  }

  /** Charges the bytes a GetRecords response returned; the byte budget may go negative. */
  chargeRead(shard: ShardKey, bytes: number): void {
    const budget = this.#budgetOf(shard);
    budget.readBytes.take(bytes);
    budget.traffic.bytesRead += bytes;
  }

  /** Applies new limits to every shard, seen or not. */
  setLimits(limits: ShardLimits): void {
    this.#limits = limits;
    for (const budget of this.#budgets()) {
      budget.writeRecords.setRate(limits.writeRecordsPerSecond);
      budget.writeBytes.setRate(limits.writeBytesPerSecond);
      budget.readCalls.setRate(limits.getRecordsCallsPerSecond);
      budget.readBytes.setRate(limits.readBytesPerSecond);
    }
  }

  /** Fills every bucket and zeroes every counter. */
  reset(): void {
    for (const budget of this.#budgets()) {
      for (const bucket of [budget.writeRecords, budget.writeBytes, budget.readCalls, budget.readBytes]) bucket.fill();
      Object.assign(budget.traffic, emptyTraffic());
    }
  }

  /** A snapshot of the counters: per stream and shard, and their sum. */
  traffic(): { total: ShardTraffic; streams: TrafficByStream } {
    const total = emptyTraffic();
    const streams: Record<string, Record<string, ShardTraffic>> = {};
    for (const [streamName, shards] of this.#streams) {
      const perShard: Record<string, ShardTraffic> = {};
      for (const [shardId, { traffic }] of shards) {
        perShard[shardId] = { ...traffic };
        for (const key of Object.keys(total) as (keyof Counters)[]) total[key] += traffic[key];
      }
      streams[streamName] = perShard;
    }
    return { total, streams };
  }

  #budgetOf({ streamName, shardId }: ShardKey): ShardBudget {
    let shards = this.#streams.get(streamName);
    if (shards === undefined) {
      shards = new Map();
      this.#streams.set(streamName, shards);
    }
    let budget = shards.get(shardId);
    if (budget === undefined) {
      const limits = this.#limits;
      budget = {
        writeRecords: new TokenBucket(limits.writeRecordsPerSecond, this.#clock),
        writeBytes: new TokenBucket(limits.writeBytesPerSecond, this.#clock),
        readCalls: new TokenBucket(limits.getRecordsCallsPerSecond, this.#clock),
        readBytes: new TokenBucket(limits.readBytesPerSecond, this.#clock),
        traffic: emptyTraffic(),
      };
      shards.set(shardId, budget);
    }
    return budget;
  }

  *#budgets(): Iterable<ShardBudget> {
    for (const shards of this.#streams.values()) yield* shards.values();
  }
}

/** Traffic with every counter at zero. */
export function emptyTraffic(): Counters {
  return {
    recordsAccepted: 0,
    bytesAccepted: 0,
    recordsThrottled: 0,
    bytesThrottled: 0,
    getRecordsCalls: 0,
    getRecordsThrottled: 0,
    bytesRead: 0,
  };
}
