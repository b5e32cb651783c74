import { DescribeStreamSummaryCommand, ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import { ShardMap } from '@kinesis-toolkit/aggregation';
import { FALLBACK_ACCOUNT_ID, parseStreamArn } from './kinesisProtocol';

/** What the proxy knows of a stream: its open shards' hash-key ranges and its account. */
export interface StreamShards {
  readonly streamName: string;
  readonly accountId: string;
  readonly shardMap: ShardMap;
}

/**
 * The shard map of every stream the proxy has routed records of, loaded from the target with
 * ListShards (all pages) and DescribeStreamSummary (for the account in the stream's ARN), once
 * per stream, then cached until refreshed or forgotten. Concurrent requests share one load.
 */
export class StreamShardCache {
  readonly #client: KinesisClient;
  readonly #streams = new Map<string, Promise<StreamShards>>();

  constructor(client: KinesisClient) {
    this.#client = client;
  }

  /**
   * The stream's shards, loaded on first use.
   * @throws the SDK's error when the target cannot describe the stream (e.g. ResourceNotFoundException).
   */
  get(streamName: string): Promise<StreamShards> {
    let entry = this.#streams.get(streamName);
    if (entry === undefined) {
      entry = this.#load(streamName);
      this.#streams.set(streamName, entry);
      // A failed load is not cached: the stream may exist on the next look.
      const loaded = entry;
      loaded.catch(() => {
        if (this.#streams.get(streamName) === loaded) this.#streams.delete(streamName);
      });
    }
    return entry;
  }

  /**
   * Reloads the stream's shards because `stale` did not route a record. Callers holding the same
   * stale map share one reload; one holding an older map gets the newer one already loaded.
   */
  async refresh(streamName: string, stale: StreamShards): Promise<StreamShards> {
    const current = this.#streams.get(streamName);
    if (current !== undefined) {
      const value = await current.catch(() => undefined);
      if (value !== undefined && value !== stale) return value;
      if (this.#streams.get(streamName) !== current) return this.get(streamName);
      this.#streams.delete(streamName);
    }
    return this.get(streamName);
  }

  /** Drops the cached shards of one stream, or of all; the next request reloads them. */
  forget(streamName?: string): void {
    if (streamName === undefined) this.#streams.clear();
    else this.#streams.delete(streamName);
  }

  async #load(streamName: string): Promise<StreamShards> {
    const [summary, shards] = await Promise.all([
      this.#client.send(new DescribeStreamSummaryCommand({ StreamName: streamName })),
      this.#listShards(streamName),
    ]);
    const accountId = parseStreamArn(summary.StreamDescriptionSummary?.StreamARN)?.accountId ?? FALLBACK_ACCOUNT_ID;
    return { streamName, accountId, shardMap: ShardMap.fromShards(shards) };
  }

  async #listShards(streamName: string): Promise<Shard[]> {
    const shards: Shard[] = [];
    let nextToken: string | undefined;
    do {
      // With a NextToken, ListShards must not name the stream.
      const page = await this.#client.send(
        new ListShardsCommand(nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken }),
      );
      shards.push(...(page.Shards ?? []));
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
    return shards;
  }
}
