import type { ShardMap, ShardRange } from '@kinesis-toolkit/aggregation';
import type { ShardMapProvider } from '../shards/ShardMapProvider';
import type { PendingRecord } from './PendingRecord';
import { ShardBuffer } from './ShardBuffer';

/** The route of records admitted before any shard map exists: held, never packed or sent. */
export const AWAITING_SHARD_MAP = 'awaiting-shard-map';

/**
 * The producer's buffers by route: an open shard of the current map, a partition key or explicit
 * hash key while the map has a gap for it, or {@link AWAITING_SHARD_MAP} while there is no map at
 * all. It places records and moves them when the map changes. Internal.
 */
export class RouteTable {
  readonly #buffers = new Map<string, ShardBuffer>();

  constructor(private readonly shardMaps: ShardMapProvider) {}

  /** Every route's buffer. */
  [Symbol.iterator](): IterableIterator<[string, ShardBuffer]> {
    return this.#buffers.entries();
  }

  get(routeKey: string): ShardBuffer | undefined {
    return this.#buffers.get(routeKey);
  }

  delete(routeKey: string): void {
    this.#buffers.delete(routeKey);
  }

  /** The buffer a record belongs in under the current map (created if needed). */
  bufferFor(record: PendingRecord): ShardBuffer {
    const { routeKey, shard } = this.#routeOf(record);
    let buffer = this.#buffers.get(routeKey);
    if (buffer === undefined) {
      buffer = new ShardBuffer(routeKey, shard?.shardId);
      this.#buffers.set(routeKey, buffer);
    }
    return buffer;
  }

  /** Whether a route is an open shard of the current map (other routes are current only while no map exists). */
  isCurrent(routeKey: string): boolean {
    const map = this.shardMaps.current;
    return map === undefined ? !routeKey.startsWith('shardId') : map.shards.some((shard) => shard.shardId === routeKey);
  }

  /**
   * Takes, in order, the records of every route that is not an open shard of `map` (held ones
   * included). With `preserveOrder`, a route with a record in flight keeps its records until it is answered.
   */
  takeStale(map: ShardMap, preserveOrder: boolean): PendingRecord[] {
    const open = new Set(map.shards.map((shard) => shard.shardId));
    const stale: PendingRecord[] = [];
    for (const [routeKey, buffer] of this.#buffers) {
      if (open.has(routeKey) || buffer.size === 0) continue;
      if (preserveOrder && buffer.inFlight > 0) continue;
      for (const record of buffer.take(buffer.size)) stale.push(record);
    }
    return stale;
  }

  /** Puts records into the buffers their routes are now; `ahead` puts them before what is there. */
  place(records: readonly PendingRecord[], ahead: boolean, notBefore = 0): void {
    const groups = new Map<ShardBuffer, PendingRecord[]>();
    for (const record of records) {
      const buffer = this.bufferFor(record);
      const group = groups.get(buffer);
      if (group === undefined) groups.set(buffer, [record]);
      else group.push(record);
    }
    for (const [buffer, group] of groups) {
      if (ahead) buffer.prepend(group);
      else for (const record of group) buffer.add(record);
      buffer.notBefore = Math.max(buffer.notBefore, notBefore);
    }
  }

  /**
   * Removes the held records (no shard map yet) whose TTL has passed. They were admitted in
   * order, so their TTLs are in order too: this costs what it removes.
   * @returns them, and the earliest TTL among those left (undefined when none is).
   */
  takeExpiredHeld(now: number): { expired: PendingRecord[]; nextExpiresAt: number | undefined } {
    const held = this.#buffers.get(AWAITING_SHARD_MAP);
    if (held === undefined) return { expired: [], nextExpiresAt: undefined };
    let count = 0;
    while (count < held.size && held.records[count]!.expiresAt <= now) count++;
    const expired = count === 0 ? [] : held.take(count);
    return { expired, nextExpiresAt: held.records[0]?.expiresAt };
  }

  /** Removes every held record. */
  takeHeld(): PendingRecord[] {
    const held = this.#buffers.get(AWAITING_SHARD_MAP);
    return held === undefined ? [] : held.take(held.size);
  }

  #routeOf(record: PendingRecord): { routeKey: string; shard: ShardRange | undefined } {
    const map = this.shardMaps.current;
    if (map === undefined) return { routeKey: AWAITING_SHARD_MAP, shard: undefined };
    const shard = map.shardFor(record.hashKey);
    if (shard !== undefined) return { routeKey: shard.shardId, shard };
    // A gap in the map (it is stale during a reshard): only records that surely share a shard may
    // share an aggregate, until the refresh places them.
    void this.shardMaps.refresh('unknownShard');
    return { routeKey: record.explicitHashKey !== undefined ? `ehk:${record.explicitHashKey}` : `key:${record.partitionKey}`, shard: undefined };
  }
}
