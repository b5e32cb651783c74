import { requireArray, requireObject, requireString } from '../validation/validators';

/** A shard as ListShards describes it, reduced to what lineage needs. */
export interface ShardLink {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  readonly adjacentParentShardId?: string | undefined;
}

/** The fields of an SDK `Shard` that lineage reads. */
export interface SdkShardLink {
  readonly ShardId?: string | undefined;
  readonly ParentShardId?: string | undefined;
  readonly AdjacentParentShardId?: string | undefined;
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
  readonly #children = new Map<string, string[]>();
  readonly #generation = new Map<string, number>();

  constructor(shards: readonly ShardLink[]) {
    requireArray('shards', shards, (name, shard) => requireString(`${name}.shardId`, requireObject(name, shard)['shardId']));
    for (const shard of shards) {
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => p !== undefined && p !== '');
      this.#parents.set(shard.shardId, parents);
      for (const parent of parents) {
        const children = this.#children.get(parent) ?? [];
        children.push(shard.shardId);
        this.#children.set(parent, children);
      }
    }
  }

  /** Builds the lineage from SDK `Shard` objects (ListShards or DescribeStream output). */
  static fromSdkShards(shards: readonly SdkShardLink[]): ShardLineage {
    return new ShardLineage(
      shards
        .filter((shard) => typeof shard.ShardId === 'string')
        .map((shard) => ({ shardId: shard.ShardId as string, parentShardId: shard.ParentShardId, adjacentParentShardId: shard.AdjacentParentShardId })),
    );
  }

  /** Whether the shard was in the listing. */
  has(shardId: string): boolean {
    return this.#parents.has(shardId);
  }

  /** The listed shards whose parent (or adjacent parent) is `shardId`: two after a split, one after a merge. */
  childrenOf(shardId: string): readonly string[] {
    return this.#children.get(shardId) ?? [];
  }

  /**
   * Every listed shard, parents before children (by generation, then shard id): the order in which
   * a reader must finish shards to see each key's records in stream order.
   */
  parentsFirst(): string[] {
    return this.shardIds.sort((a, b) => this.generationOf(a) - this.generationOf(b) || (a < b ? -1 : a > b ? 1 : 0));
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
