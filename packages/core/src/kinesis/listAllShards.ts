import { requireFunction } from '../validation/validators';

/** The ListShards request fields {@link listAllShards} sets (the SDK's `ListShardsInput` fits). */
export interface ListShardsPageInput {
  StreamName?: string;
  StreamARN?: string;
  NextToken?: string;
  ShardFilter?: { Type: string; ShardId?: string; Timestamp?: Date };
  MaxResults?: number;
}

/** The ListShards answer fields {@link listAllShards} reads (the SDK's `ListShardsOutput` fits). */
export interface ListShardsPage<Shard> {
  readonly Shards?: Shard[] | undefined;
  readonly NextToken?: string | undefined;
}

/** Which stream to list, and how. */
export interface ListAllShardsOptions {
  readonly streamName?: string | undefined;
  readonly streamARN?: string | undefined;
  /** ListShards' `ShardFilter` (`AT_LATEST` for the open shards). Some emulators ignore it. */
  readonly shardFilter?: ListShardsPageInput['ShardFilter'];
  /** Stop with an error after this many pages (a server that never stops paging). @defaultValue 10000 */
  readonly maxPages?: number;
}

/**
 * Lists every shard of a stream through ListShards' paging: the first request names the stream
 * (and filter), later ones only carry `NextToken`, as the API requires. A `NextToken` that expired
 * between pages (`ExpiredNextTokenException`, after 300 s) restarts the listing once. Shards are
 * returned once each, in the service's order. `fetchPage` sends one request — normally through
 * `callAws`, so each page has a deadline and retries.
 */
export async function listAllShards<Shard extends { readonly ShardId?: string | undefined }>(
  fetchPage: (input: ListShardsPageInput) => Promise<ListShardsPage<Shard>>,
  options: ListAllShardsOptions,
): Promise<Shard[]> {
  requireFunction('fetchPage', fetchPage);
  const maxPages = options.maxPages ?? 10_000;
  const first: ListShardsPageInput = {};
  if (options.streamARN !== undefined) first.StreamARN = options.streamARN;
  if (options.streamName !== undefined) first.StreamName = options.streamName;
  if (options.shardFilter !== undefined) first.ShardFilter = options.shardFilter;
  for (let restart = 0; ; restart += 1) {
    const shards = new Map<string, Shard>();
    let input: ListShardsPageInput = first;
    try {
      for (let page = 1; ; page += 1) {
        const output = await fetchPage(input);
        for (const shard of output.Shards ?? []) if (shard.ShardId !== undefined) shards.set(shard.ShardId, shard);
        if (output.NextToken === undefined || output.NextToken === '') return [...shards.values()];
        if (page >= maxPages) throw new Error(`ListShards returned more than ${maxPages} pages`);
        input = { NextToken: output.NextToken };
      }
    } catch (error) {
      if (restart === 0 && isExpiredNextToken(error)) continue;
      throw error;
    }
  }
}

function isExpiredNextToken(error: unknown): boolean {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 3; current = (current as { cause?: unknown }).cause, depth += 1) {
    if ((current as { name?: unknown; code?: unknown }).name === 'ExpiredNextTokenException' || (current as { code?: unknown }).code === 'ExpiredNextTokenException') return true;
  }
  return false;
}
