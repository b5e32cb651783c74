import { InvalidArgumentError } from '../../errors/InvalidArgumentError';
import { enabledDimensionSets, kplDimensionSets } from './dimensionSets';

describe('kplDimensionSets (the KPL granularity)', () => {
  it('SHARD publishes a shard series under the metric name alone, per stream and per shard', () => {
    expect(kplDimensionSets('SHARD')(['StreamName', 'ShardId'])).toEqual([[], ['StreamName'], ['StreamName', 'ShardId']]);
  });

  it('STREAM and GLOBAL drop the finer levels', () => {
    expect(kplDimensionSets('STREAM')(['StreamName', 'ShardId'])).toEqual([[], ['StreamName']]);
    expect(kplDimensionSets('GLOBAL')(['StreamName', 'ShardId'])).toEqual([[]]);
  });

  it('ErrorsByCode carries ErrorCode above the stream, at the global level', () => {
    expect(kplDimensionSets('SHARD')(['ErrorCode', 'StreamName', 'ShardId'])).toEqual([[], ['ErrorCode'], ['ErrorCode', 'StreamName'], ['ErrorCode', 'StreamName', 'ShardId']]);
    expect(kplDimensionSets('GLOBAL')(['ErrorCode', 'StreamName', 'ShardId'])).toEqual([[], ['ErrorCode']]);
  });

  it('two streams of two shards each make seven distinct published metrics at SHARD (the KPL docs example)', () => {
    const sets = kplDimensionSets('SHARD');
    const published = new Set<string>();
    for (const stream of ['A', 'B']) {
      for (const shard of ['0', '1']) {
        const values: Record<string, string> = { StreamName: stream, ShardId: shard };
        for (const set of sets(['StreamName', 'ShardId'])) published.add(JSON.stringify(set.map((name) => [name, values[name]])));
      }
    }
    expect(published.size).toBe(7);
  });

  it('rejects an unknown granularity', () => {
    expect(() => kplDimensionSets('PARTITION' as never)).toThrow(InvalidArgumentError);
  });
});

describe('enabledDimensionSets (the KCL enabled dimensions)', () => {
  it('keeps Operation always and the enabled dimensions only', () => {
    expect(enabledDimensionSets(['ShardId'])(['Operation', 'ShardId', 'WorkerIdentifier'])).toEqual([['Operation', 'ShardId']]);
    expect(enabledDimensionSets([])(['Operation', 'WorkerIdentifier'])).toEqual([['Operation']]);
    expect(enabledDimensionSets('ALL')(['Operation', 'WorkerIdentifier'])).toEqual([['Operation', 'WorkerIdentifier']]);
  });
});
