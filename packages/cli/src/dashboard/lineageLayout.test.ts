import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { layoutLineage } from './lineageLayout';
import type { StreamShard } from './listStreamShards';

const SPACE = MAX_HASH_KEY + 1n;
const shard = (id: number, from: bigint, to: bigint, extra: Partial<StreamShard> = {}): StreamShard => ({
  shardId: `shardId-${String(id).padStart(12, '0')}`,
  parentShardId: undefined,
  adjacentParentShardId: undefined,
  startingHashKey: from.toString(),
  endingHashKey: (to - 1n).toString(),
  open: true,
  ...extra,
});

describe('layoutLineage', () => {
  // Four shards over quarters; shard 0 split into 4 and 5; shards 2 and 3 merged into 6; then 4 and 5 merged into 7.
  const q = SPACE / 4n;
  const shards = [
    shard(6, 2n * q, SPACE, { parentShardId: 'shardId-000000000002', adjacentParentShardId: 'shardId-000000000003' }),
    shard(0, 0n, q, { open: false }),
    shard(1, q, 2n * q),
    shard(2, 2n * q, 3n * q, { open: false }),
    shard(3, 3n * q, SPACE, { open: false }),
    shard(4, 0n, q / 2n, { parentShardId: 'shardId-000000000000', open: false }),
    shard(5, q / 2n, q, { parentShardId: 'shardId-000000000000', open: false }),
    shard(7, 0n, q, { parentShardId: 'shardId-000000000004', adjacentParentShardId: 'shardId-000000000005' }),
  ];
  const layout = layoutLineage(shards);
  const node = (id: number) => layout.nodes.find((n) => n.shardId === `shardId-${String(id).padStart(12, '0')}`)!;

  it('puts each shard in the column of its generation: a split or a merge is one column to the right', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((id) => node(id).generation)).toEqual([0, 0, 0, 0, 1, 1, 1, 2]);
    expect(layout.columns).toBe(3);
  });

  it('orders parents before children, then by hash range', () => {
    expect(layout.nodes.map((n) => Number(n.shardId.slice(-3)))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('places each shard by its hash range as fractions of the hash space', () => {
    expect(node(0)).toMatchObject({ top: 0, height: 0.25 });
    expect(node(1)).toMatchObject({ top: 0.25, height: 0.25 });
    expect(node(5)).toMatchObject({ top: 0.125, height: 0.125 });
    expect(node(6)).toMatchObject({ top: 0.5, height: 0.5 });
    // The open shards cover the whole space exactly once.
    const open = layout.nodes.filter((n) => n.open);
    expect(open.map((n) => n.shardId.slice(-1))).toEqual(['1', '6', '7']);
    expect(open.reduce((sum, n) => sum + n.height, 0)).toBeCloseTo(1, 9);
  });

  it('links parents to children: two children after a split, one child with two parents after a merge', () => {
    expect(node(0).childShardIds).toEqual(['shardId-000000000004', 'shardId-000000000005']);
    expect(node(6).parentShardIds).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    expect(layout.edges).toEqual(
      expect.arrayContaining([
        { from: 'shardId-000000000000', to: 'shardId-000000000004' },
        { from: 'shardId-000000000000', to: 'shardId-000000000005' },
        { from: 'shardId-000000000002', to: 'shardId-000000000006' },
        { from: 'shardId-000000000003', to: 'shardId-000000000006' },
        { from: 'shardId-000000000004', to: 'shardId-000000000007' },
        { from: 'shardId-000000000005', to: 'shardId-000000000007' },
      ]),
    );
    expect(layout.edges).toHaveLength(6);
  });

  it('names a parent that left retention but draws no edge to it, and starts its child at generation 0', () => {
    const child = layoutLineage([shard(9, 0n, SPACE, { parentShardId: 'shardId-000000000008' })]);
    expect(child.nodes[0]).toMatchObject({ generation: 0, parentShardIds: ['shardId-000000000008'], top: 0, height: 1 });
    expect(child.edges).toEqual([]);
  });

  it('lays out nothing for no shards', () => {
    expect(layoutLineage([])).toEqual({ nodes: [], edges: [], columns: 0 });
  });
});
