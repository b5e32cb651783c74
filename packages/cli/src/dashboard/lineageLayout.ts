import { MAX_HASH_KEY, ShardLineage } from '@kinesis-toolkit/core';
import type { StreamShard } from './listStreamShards';

/** One shard placed in the lineage picture. */
export interface LineageNode {
  readonly shardId: string;
  readonly open: boolean;
  /** 0 for a shard with no listed parent; 1 + its parents' generation otherwise: the picture's column. */
  readonly generation: number;
  /** Where its hash range starts, as a fraction of the whole hash space (0 = hash key 0). */
  readonly top: number;
  /** How much of the hash space it covers (a fraction; a stream's open shards add up to 1). */
  readonly height: number;
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  /** Listed or not (a parent past retention is still named). */
  readonly parentShardIds: readonly string[];
  /** The listed shards it split or merged into. */
  readonly childShardIds: readonly string[];
}

/** The shard lineage as the page draws it: a column per generation, hash space top to bottom. */
export interface LineageLayout {
  /** Parents before children (by generation), then by starting hash key. */
  readonly nodes: readonly LineageNode[];
  /** Parent → child, for the listed parents. */
  readonly edges: readonly { readonly from: string; readonly to: string }[];
  /** Columns in the picture: the highest generation + 1 (0 for no shards). */
  readonly columns: number;
}

const HASH_SPACE = MAX_HASH_KEY + 1n;
/** Fractions with 9 decimals: a pixel is far coarser; a bigint division keeps 2^128 exact. */
const SCALE = 1_000_000_000n;

function fraction(value: bigint): number {
  return Number((value * SCALE) / HASH_SPACE) / Number(SCALE);
}

/**
 * Lays the stream's shards out from what ListShards says (core's `ShardLineage` for parents,
 * children and generations): each shard's column is its generation, its vertical place and size
 * its hash range. A split shows as one box becoming two beside it, a merge as two becoming one.
 */
export function layoutLineage(shards: readonly StreamShard[]): LineageLayout {
  const lineage = new ShardLineage(shards);
  const byId = new Map(shards.map((shard) => [shard.shardId, shard]));
  const nodes = shards.map((shard): LineageNode => {
    const start = BigInt(shard.startingHashKey);
    const end = BigInt(shard.endingHashKey);
    return {
      shardId: shard.shardId,
      open: shard.open,
      generation: lineage.generationOf(shard.shardId),
      top: fraction(start),
      height: fraction(end - start + 1n),
      startingHashKey: shard.startingHashKey,
      endingHashKey: shard.endingHashKey,
      parentShardIds: lineage.parentsOf(shard.shardId),
      childShardIds: [...lineage.childrenOf(shard.shardId)].sort(),
    };
  });
  nodes.sort((a, b) => a.generation - b.generation || compareBig(a.startingHashKey, b.startingHashKey) || (a.shardId < b.shardId ? -1 : 1));
  const edges = nodes.flatMap((node) => node.parentShardIds.filter((parent) => byId.has(parent)).map((parent) => ({ from: parent, to: node.shardId })));
  const columns = nodes.length === 0 ? 0 : Math.max(...nodes.map((node) => node.generation)) + 1;
  return { nodes, edges, columns };
}

function compareBig(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
