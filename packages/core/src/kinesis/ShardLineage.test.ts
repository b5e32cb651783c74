import { ShardLineage } from './ShardLineage';

// 4 original shards; 0 split into 4 and 5; 2 and 3 merged into 6; 5 and 6 … not adjacent, so 6 split into 7, 8.
const lineage = new ShardLineage([
  { shardId: 's0' },
  { shardId: 's1' },
  { shardId: 's2' },
  { shardId: 's3' },
  { shardId: 's4', parentShardId: 's0' },
  { shardId: 's5', parentShardId: 's0' },
  { shardId: 's6', parentShardId: 's2', adjacentParentShardId: 's3' },
  { shardId: 's7', parentShardId: 's6' },
]);

describe('ShardLineage', () => {
  it('gives originals generation 0 and each child one more than its parents', () => {
    expect(['s0', 's1', 's2', 's3'].map((s) => lineage.generationOf(s))).toEqual([0, 0, 0, 0]);
    expect(lineage.generationOf('s4')).toBe(1);
    expect(lineage.generationOf('s6')).toBe(1);
    expect(lineage.generationOf('s7')).toBe(2);
  });

  it('treats unknown shards and parents that are no longer listed as originals', () => {
    expect(lineage.generationOf('nope')).toBe(0);
    expect(new ShardLineage([{ shardId: 'c', parentShardId: 'expired' }]).generationOf('c')).toBe(0);
  });

  it('knows ancestors through merges', () => {
    expect(lineage.isAncestor('s3', 's7')).toBe(true);
    expect(lineage.isAncestor('s2', 's6')).toBe(true);
    expect(lineage.isAncestor('s0', 's6')).toBe(false);
    expect(lineage.isAncestor('s7', 's6')).toBe(false);
    expect(lineage.parentsOf('s6')).toEqual(['s2', 's3']);
  });

  it('does not loop on a cyclic listing', () => {
    const cyclic = new ShardLineage([
      { shardId: 'a', parentShardId: 'b' },
      { shardId: 'b', parentShardId: 'a' },
    ]);
    expect(Number.isFinite(cyclic.generationOf('a'))).toBe(true);
    expect(cyclic.isAncestor('a', 'a')).toBe(true);
  });
});
