import { DescribeStreamSummaryCommand, ListShardsCommand, MergeShardsCommand, SplitShardCommand, type KinesisClient, type ListShardsCommandInput } from '@aws-sdk/client-kinesis';
import { waitFor } from '@kinesis-toolkit/testing';
import { RetryPolicy, callAws, listAllShards, type AwsClientLike, type ShardLink } from '@kinesis-toolkit/core';

/** Each Kinesis call of the resharder: a deadline per attempt, retried under core's policy. */
const REQUEST_TIMEOUT_MS = 10_000;

/** A shard as the demo needs it. */
export interface ShardInfo extends ShardLink {
  readonly startingHashKey: bigint;
  readonly endingHashKey: bigint;
  /** Whether it still takes writes (no ending sequence number). */
  readonly open: boolean;
}

/** Options of {@link Resharder}. */
export interface ResharderOptions {
  /** How long a split or merge may take to finish (stream ACTIVE, children listed). @defaultValue 120000 */
  readonly timeoutMs?: number;
  /** Pause between two looks at the stream. @defaultValue 200 */
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Splits and merges shards of a stream under load, waiting after each until the stream is ACTIVE
 * again and the new shards are listed — Kinesis refuses a reshard while another is in progress,
 * and a split's children must be ACTIVE before they can be merged.
 */
export class Resharder {
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #signal: AbortSignal | undefined;
  readonly #retry = new RetryPolicy({ maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 2_000 });

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly streamName: string,
    options: ResharderOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#pollMs = options.pollMs ?? 200;
    this.#signal = options.signal;
  }

  /** Every shard of the stream, open and closed (all pages, through core's `listAllShards`). */
  async listShards(): Promise<ShardInfo[]> {
    const shards = await listAllShards((input) => this.#send(new ListShardsCommand(input as ListShardsCommandInput)), { streamName: this.streamName });
    return shards.map((shard) => ({
      shardId: shard.ShardId!,
      parentShardId: shard.ParentShardId,
      adjacentParentShardId: shard.AdjacentParentShardId,
      startingHashKey: BigInt(shard.HashKeyRange!.StartingHashKey!),
      endingHashKey: BigInt(shard.HashKeyRange!.EndingHashKey!),
      open: shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
    }));
  }

  #send<C extends object>(command: C) {
    return callAws(this.kinesis as AwsClientLike, command, { service: 'Kinesis', timeoutMs: REQUEST_TIMEOUT_MS, retry: this.#retry, signal: this.#signal, context: { streamName: this.streamName } });
  }

  /** Splits the widest open shard at the middle of its hash range; resolves with the parent and its two children. */
  async split(): Promise<{ parent: string; children: string[] }> {
    await this.#waitActive('the stream to be ACTIVE before the split');
    const open = (await this.listShards()).filter((s) => s.open);
    const parent = pickWidest(open);
    const middle = (parent.startingHashKey + parent.endingHashKey + 1n) / 2n;
    await this.#send(new SplitShardCommand({ StreamName: this.streamName, ShardToSplit: parent.shardId, NewStartingHashKey: middle.toString() }));
    const children = await this.#waitForChildren((s) => s.parentShardId === parent.shardId && s.adjacentParentShardId === undefined, 2, `the children of ${parent.shardId}`);
    return { parent: parent.shardId, children };
  }

  /**
   * Merges two adjacent open shards, preferring a pair that leaves `avoid` alone (so the demo's
   * split and merge touch different parts of the hash space); resolves with the parents and child.
   */
  async merge(avoid: readonly string[] = []): Promise<{ parents: string[]; child: string }> {
    await this.#waitActive('the stream to be ACTIVE before the merge');
    const open = (await this.listShards()).filter((s) => s.open).sort((a, b) => (a.startingHashKey < b.startingHashKey ? -1 : 1));
    const pairs: [ShardInfo, ShardInfo][] = [];
    for (let i = 0; i + 1 < open.length; i++) if (open[i]!.endingHashKey + 1n === open[i + 1]!.startingHashKey) pairs.push([open[i]!, open[i + 1]!]);
    if (pairs.length === 0) throw new Error(`no two adjacent open shards to merge in ${this.streamName}`);
    const [lower, upper] = pairs.find(([a, b]) => !avoid.includes(a.shardId) && !avoid.includes(b.shardId)) ?? pairs[0]!;
    await this.#send(new MergeShardsCommand({ StreamName: this.streamName, ShardToMerge: lower.shardId, AdjacentShardToMerge: upper.shardId }));
    const parents = [lower.shardId, upper.shardId];
    const [child] = await this.#waitForChildren((s) => s.adjacentParentShardId !== undefined && parents.includes(s.parentShardId ?? '') && parents.includes(s.adjacentParentShardId), 1, `the merge of ${parents.join(' and ')}`);
    return { parents, child: child! };
  }

  async #waitActive(description: string): Promise<void> {
    await waitFor(
      async () => (await this.#send(new DescribeStreamSummaryCommand({ StreamName: this.streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE',
      { timeoutMs: this.#timeoutMs, intervalMs: this.#pollMs, description, signal: this.#signal },
    );
  }

  async #waitForChildren(isChild: (shard: ShardInfo) => boolean, count: number, description: string): Promise<string[]> {
    await this.#waitActive(`the stream to be ACTIVE after ${description}`);
    const children = await waitFor(
      async () => {
        const found = (await this.listShards()).filter((s) => s.open && isChild(s));
        return found.length === count && found.map((s) => s.shardId).sort();
      },
      { timeoutMs: this.#timeoutMs, intervalMs: this.#pollMs, description, signal: this.#signal },
    );
    return children;
  }
}

function pickWidest(open: readonly ShardInfo[]): ShardInfo {
  if (open.length === 0) throw new Error('no open shard to split');
  return open.reduce((best, s) => {
    const width = s.endingHashKey - s.startingHashKey;
    const bestWidth = best.endingHashKey - best.startingHashKey;
    return width > bestWidth || (width === bestWidth && s.shardId < best.shardId) ? s : best;
  });
}
