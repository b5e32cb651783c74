import type { ShardMap } from '@kinesis-toolkit/aggregation';
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
    const map = this.shardMaps.current;
    if (map === undefined) return this.#buffer(AWAITING_SHARD_MAP, undefined);
    const shard = map.shardForHashKeyWords(record.hashWord0, record.hashWord1, record.hashWord2, record.hashWord3);
    if (shard !== undefined) return this.#buffer(shard.shardId, shard.shardId);
    // A gap in the map (it is stale during a reshard): only records that surely share a shard may
    // share an aggregate, until the refresh places them.
    void this.shardMaps.refresh('unknownShard');
    return this.#buffer(record.explicitHashKey !== undefined ? `ehk:${record.explicitHashKey}` : `key:${record.partitionKey}`, undefined);
  }

  #buffer(routeKey: string, predictedShardId: string | undefined): ShardBuffer {
    let buffer = this.#buffers.get(routeKey);
    if (buffer === undefined) {
      buffer = new ShardBuffer(routeKey, predictedShardId);
      this.#buffers.set(routeKey, buffer);
    }
    return buffer;
  }

  /**
   * Takes, in order, the records of every route that is not an open shard of `map` (held ones
   * included); settled ones are dropped.
   */
  takeStale(map: ShardMap): PendingRecord[] {
    const stale: PendingRecord[] = [];
    for (const [routeKey, buffer] of this.#buffers) {
      if (buffer.size === 0 || map.shards.some((shard) => shard.shardId === routeKey)) continue;
      for (const record of buffer.takeAll()) if (!record.settled) stale.push(record);
    }
    return stale;
  }

  /** Unsettled records grouped, in order, by the buffer each belongs in now. */
  groupByBuffer(records: readonly PendingRecord[]): Map<ShardBuffer, PendingRecord[]> {
    const groups = new Map<ShardBuffer, PendingRecord[]>();
    for (const record of records) {
      if (record.settled) continue;
      const buffer = this.bufferFor(record);
      const group = groups.get(buffer);
      if (group === undefined) groups.set(buffer, [record]);
      else group.push(record);
    }
    return groups;
  }

  /** Puts records into the buffers their routes are now; `ahead` puts them before what is there. */
  place(records: readonly PendingRecord[], ahead: boolean, notBefore = 0): void {
    for (const [buffer, group] of this.groupByBuffer(records)) {
      if (ahead) buffer.prepend(group);
      else for (const record of group) buffer.add(record);
      buffer.notBefore = Math.max(buffer.notBefore, notBefore);
    }
  }

  /** Removes every held record. */
  takeHeld(): PendingRecord[] {
    const held = this.#buffers.get(AWAITING_SHARD_MAP);
    return held === undefined ? [] : held.takeAll().filter((record) => !record.settled);
  }
}
