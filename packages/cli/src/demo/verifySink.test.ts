import type { DeliveredRow } from './DemoRecord';
import { ShardLineage } from '@kinesis-toolkit/core';
import { verifySink } from './verifySink';

const flat = new ShardLineage([{ shardId: 'shard-0' }, { shardId: 'shard-1' }]);

/** A row of key `key` with counter `n` at position (shard, seq, sub). */
function row(key: string, n: number, shardId: string, sequenceNumber: string, subSequenceNumber = 0): DeliveredRow {
  return { runId: 'r', source: key.split(':')[0]!, key, n, producedAt: 1000, shardId, sequenceNumber, subSequenceNumber, emittedAt: 2000 };
}

/** Produced: a:0..2 and b:0..1, delivered in order on two shards. */
const produced = new Set(['a:1#0', 'a:1#1', 'a:1#2', 'b:1#0', 'b:1#1']);
const good = (): DeliveredRow[] => [
  row('a:1', 0, 'shard-0', '100', 0),
  row('a:1', 1, 'shard-0', '100', 1),
  row('b:1', 0, 'shard-1', '90'),
  row('a:1', 2, 'shard-0', '105'),
  row('b:1', 1, 'shard-1', '95'),
];

describe('verifySink', () => {
  it('passes when every acknowledged record is there once, in order', () => {
    const result = verifySink('s3', produced, good(), flat);
    expect(result).toMatchObject({ rows: 5, produced: 5, delivered: 5, lost: 0, unexpected: 0, duplicates: 0, orderViolations: 0, passed: true, failures: [] });
  });

  it('catches a lost record and names it', () => {
    const rows = good().filter((r) => !(r.key === 'b:1' && r.n === 0));
    const result = verifySink('postgres', produced, rows, flat);
    expect(result).toMatchObject({ delivered: 4, lost: 1, passed: false });
    expect(result.samples.lost).toEqual(['b:1#0']);
    expect(result.failures).toEqual(['1 acknowledged records missing (e.g. b:1#0)']);
  });

  it('counts a redelivered row as a duplicate: allowed in S3, a failure where the sink dedupes', () => {
    const rows = [...good(), row('a:1', 1, 'shard-0', '100', 1)];
    const s3 = verifySink('s3', produced, rows, flat);
    expect(s3).toMatchObject({ rows: 6, delivered: 5, lost: 0, duplicates: 1, redelivered: 1, reproduced: 0, orderViolations: 0, passed: true });
    const postgres = verifySink('postgres', produced, rows, flat, { idempotent: true });
    expect(postgres.passed).toBe(false);
    expect(postgres.failures[0]).toMatch(/^1 stream positions held twice .* a:1#1 at shard-0\/100\/1/);
  });

  it('counts a record at a second stream position (a producer retry that landed) as reproduced, not as lost or out of order', () => {
    const rows = [...good(), row('a:1', 2, 'shard-0', '106')];
    const result = verifySink('postgres', produced, rows, flat, { idempotent: true });
    expect(result).toMatchObject({ duplicates: 1, redelivered: 0, reproduced: 1, orderViolations: 0, passed: true });
  });

  it('catches a per-key order violation within a shard', () => {
    // a:1 n=2 is before n=1 in the stream.
    const rows = [row('a:1', 0, 'shard-0', '100', 0), row('a:1', 2, 'shard-0', '100', 1), row('a:1', 1, 'shard-0', '105'), ...good().filter((r) => r.key === 'b:1')];
    const result = verifySink('s3', produced, rows, flat);
    expect(result).toMatchObject({ lost: 0, orderViolations: 1, passed: false });
    expect(result.samples.order[0]).toBe('a:1: n=1 (shard-0 105.0) after n=2 (shard-0 100.1)');
  });

  it('orders across a reshard by lineage, not by comparing sequence numbers of different shards', () => {
    const lineage = new ShardLineage([{ shardId: 'parent' }, { shardId: 'child', parentShardId: 'parent' }]);
    const ids = new Set(['k:1#0', 'k:1#1', 'k:1#2']);
    // The child's sequence numbers are smaller than the parent's: still in order.
    const inOrder = [row('k:1', 0, 'parent', '900'), row('k:1', 1, 'parent', '901'), row('k:1', 2, 'child', '5')];
    expect(verifySink('s3', ids, inOrder, lineage)).toMatchObject({ orderViolations: 0, passed: true });
    // n=1 only in the child after n=2 in the parent: a violation.
    const reordered = [row('k:1', 0, 'parent', '900'), row('k:1', 2, 'parent', '901'), row('k:1', 1, 'child', '5')];
    expect(verifySink('s3', ids, reordered, lineage)).toMatchObject({ orderViolations: 1, passed: false });
  });

  it('reports records nobody acknowledged', () => {
    const result = verifySink('s3', produced, [...good(), row('z:9', 0, 'shard-1', '99')], flat);
    expect(result).toMatchObject({ unexpected: 1, passed: false });
    expect(result.samples.unexpected).toEqual(['z:9#0']);
  });

  it('treats an empty sink as losing everything', () => {
    expect(verifySink('s3', produced, [], flat)).toMatchObject({ rows: 0, delivered: 0, lost: 5, passed: false });
  });
});
