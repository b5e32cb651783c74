import { GetRecordsCommand, GetShardIteratorCommand, type _Record } from '@aws-sdk/client-kinesis';
import { aggregate } from '@kinesis-toolkit/aggregation';
import { ManualClock } from '@kinesis-toolkit/core';
import type { StreamShard } from './listStreamShards';
import { StreamTailSampler } from './StreamTailSampler';

const T0 = 1_700_000_000_000;
const shard = (shardId: string, open = true): StreamShard => ({ shardId, parentShardId: undefined, adjacentParentShardId: undefined, startingHashKey: '0', endingHashKey: '1', open });
const record = (sequenceNumber: string, atMs: number, data: Uint8Array = Buffer.from('0123456789'), partitionKey = 'k'): _Record => ({
  SequenceNumber: sequenceNumber,
  ApproximateArrivalTimestamp: new Date(atMs),
  Data: data,
  PartitionKey: partitionKey,
});

/**
 * A fake Kinesis client (not Kinesis): GetShardIterator hands out `it-<shard>-<n>` and remembers
 * how it was asked; GetRecords answers from a queue per shard.
 */
function fakeKinesis() {
  const iteratorRequests: Record<string, unknown>[] = [];
  const answers = new Map<string, ({ Records: _Record[]; MillisBehindLatest?: number; NextShardIterator?: string | null } | Error)[]>();
  let issued = 0;
  const client = {
    async send(command: unknown): Promise<unknown> {
      if (command instanceof GetShardIteratorCommand) {
        iteratorRequests.push({ ...command.input });
        return { ShardIterator: `it-${command.input.ShardId}-${++issued}` };
      }
      if (command instanceof GetRecordsCommand) {
        const shardId = /^it-(.+)-\d+$/.exec(command.input.ShardIterator!)![1]!;
        const next = answers.get(shardId)?.shift() ?? { Records: [], MillisBehindLatest: 0 };
        if (next instanceof Error) throw next;
        return { ...next, NextShardIterator: next.NextShardIterator === null ? undefined : `it-${shardId}-${++issued}` };
      }
      throw new Error(`unexpected ${String(command)}`);
    },
  };
  const answer = (shardId: string, ...replies: Parameters<typeof answers.set>[1]) => answers.set(shardId, [...(answers.get(shardId) ?? []), ...replies]);
  return { client, iteratorRequests, answer };
}

const signal = new AbortController().signal;

describe('StreamTailSampler (fake Kinesis client, not Kinesis)', () => {
  it('reads the shards open at the start from LATEST, skips closed ones, and counts records by arrival time', async () => {
    const clock = new ManualClock(T0);
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock });
    kinesis.answer('a', { Records: [record('1', T0 - 100), record('2', T0 - 50)], MillisBehindLatest: 0 });
    const sample = await sampler.sample([shard('a'), shard('old', false)], signal);
    expect(kinesis.iteratorRequests).toEqual([{ StreamName: 'st', ShardId: 'a', ShardIteratorType: 'LATEST' }]);
    expect(sample.observations).toEqual([
      { shardId: 'a', atMs: T0 - 100, records: 1, userRecords: 1, bytes: 10 },
      { shardId: 'a', atMs: T0 - 50, records: 1, userRecords: 1, bytes: 10 },
    ]);
    expect(sample.coverage).toEqual([{ shardId: 'a', fromMs: T0, untilMs: T0 }]);
    expect(sample.problems).toEqual([]);
  });

  it('counts the user records in a KPL aggregate', async () => {
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock: new ManualClock(T0) });
    const [agg] = aggregate(['x', 'y', 'z'].map((key) => ({ partitionKey: key, data: Buffer.from(key) })));
    kinesis.answer('a', { Records: [record('1', T0, agg!.data, agg!.partitionKey)] });
    const { observations } = await sampler.sample([shard('a')], signal);
    expect(observations).toEqual([{ shardId: 'a', atMs: T0, records: 1, userRecords: 3, bytes: agg!.data.length }]);
  });

  it('keeps its iterator between samples and covers up to what the answer reached (MillisBehindLatest)', async () => {
    const clock = new ManualClock(T0);
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock });
    await sampler.sample([shard('a')], signal);
    await clock.advance(5_000);
    kinesis.answer('a', { Records: [record('7', T0 + 1_000)], MillisBehindLatest: 2_000 });
    const { coverage } = await sampler.sample([shard('a')], signal);
    expect(kinesis.iteratorRequests).toHaveLength(1);
    expect(coverage).toEqual([{ shardId: 'a', fromMs: T0, untilMs: T0 + 3_000 }]);
  });

  it('reads a shard listed after the start (a split or merge child) from TRIM_HORIZON, covered from the start', async () => {
    const clock = new ManualClock(T0);
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock });
    await sampler.sample([shard('a')], signal);
    await clock.advance(5_000);
    const { coverage } = await sampler.sample([shard('a', false), shard('child')], signal);
    expect(kinesis.iteratorRequests[1]).toEqual({ StreamName: 'st', ShardId: 'child', ShardIteratorType: 'TRIM_HORIZON' });
    expect(coverage.find((span) => span.shardId === 'child')).toEqual({ shardId: 'child', fromMs: T0, untilMs: T0 + 5_000 });
  });

  it('stops reading a shard whose iterator ran out (it ended)', async () => {
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock: new ManualClock(T0) });
    kinesis.answer('a', { Records: [record('9', T0)], NextShardIterator: null });
    await sampler.sample([shard('a')], signal);
    const again = await sampler.sample([shard('a', false)], signal);
    expect(again.coverage).toEqual([]);
    expect(kinesis.iteratorRequests).toHaveLength(1);
  });

  it('after an expired iterator, starts again after the last record it counted, in the same sample', async () => {
    const clock = new ManualClock(T0);
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock });
    kinesis.answer('a', { Records: [record('41', T0)] }, Object.assign(new Error('Iterator expired'), { name: 'ExpiredIteratorException' }), { Records: [record('42', T0 + 1)] });
    await sampler.sample([shard('a')], signal);
    const again = await sampler.sample([shard('a')], signal);
    expect(kinesis.iteratorRequests[1]).toEqual({ StreamName: 'st', ShardId: 'a', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: '41' });
    expect(again).toMatchObject({ observations: [{ atMs: T0 + 1 }], problems: [] });
  });

  it('reports any other failure as a problem naming the shard and the AWS code, and tries again next time', async () => {
    const kinesis = fakeKinesis();
    const sampler = new StreamTailSampler(kinesis.client, { streamName: 'st', clock: new ManualClock(T0) });
    kinesis.answer('a', Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' }));
    kinesis.answer('b', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const failed = await sampler.sample([shard('a'), shard('b')], signal);
    expect(failed.problems).toEqual([expect.stringMatching(/^throughput of a: .*ResourceNotFoundException/), expect.stringMatching(/^throughput of b: .*AccessDeniedException/)]);
    expect(failed.coverage).toEqual([]);
    // a is gone; b is read again with the iterator it has.
    const again = await sampler.sample([shard('a'), shard('b')], signal);
    expect(again.coverage.map((span) => span.shardId)).toEqual(['b']);
    expect(kinesis.iteratorRequests).toHaveLength(2);
  });
});
