/** A shard as ListShards describes it, reduced to what lineage needs. */
export interface ShardLink {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  readonly adjacentParentShardId?: string | undefined;
}

/**
 * The family tree of a stream's shards (splits and merges). A partition key's records live, over
 * time, in a chain of shards that each contain its hash key — an original shard, then the split
 * child or merge child that took that hash key over, and so on — and Kinesis delivers a parent's
 * records before its children's. So the stream order of a key's records is (generation of the
 * shard, then sequence number): {@link ShardLineage.generationOf} gives the first part.
 */
export class ShardLineage {
  readonly #parents = new Map<string, string[]>();
  readonly #generation = new Map<string, number>();

  constructor(shards: readonly ShardLink[]) {
    for (const shard of shards) {
      this.#parents.set(
        shard.shardId,
        [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined && p !== ''),
      );
    }
  }

  /** Every shard it was built from. */
  get shardIds(): string[] {
    return [...this.#parents.keys()].sort();
  }

  /** The shard's parents (none for an original shard; two for a merge child). */
  parentsOf(shardId: string): readonly string[] {
    return this.#parents.get(shardId) ?? [];
  }

  /**
   * 0 for a shard with no known parent (an original shard, a shard not in the listing, or one
   * whose parents have aged out of the stream), else 1 + its oldest-lineage parent's generation.
   */
  generationOf(shardId: string): number {
    const known = this.#generation.get(shardId);
    if (known !== undefined) return known;
    const parents = this.parentsOf(shardId).filter((p) => this.#parents.has(p));
    // A cycle cannot come from Kinesis; guard anyway so bad input cannot recurse forever.
    this.#generation.set(shardId, 0);
    const generation = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => this.generationOf(p)));
    this.#generation.set(shardId, generation);
    return generation;
  }

  /** Whether `ancestor` is a parent, grandparent, … of `shardId`. */
  isAncestor(ancestor: string, shardId: string): boolean {
    const seen = new Set<string>();
    const stack = [...this.parentsOf(shardId)];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.parentsOf(next));
    }
    return false;
  }
}
