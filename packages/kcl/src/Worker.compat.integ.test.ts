import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand, PutRecordCommand, PutRecordsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { AggregateBuilder, aggregate, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import { InvalidCheckpointError } from './errors';
import type { ExtendedSequenceNumber } from './leases/Lease';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import { LeaseLostError, type MalformedLeaseError } from './leases/errors';
import type { WorkerEvents } from './lifecycle/WorkerEvents';
import type { ProcessRecordsInput } from './processor/RecordProcessor';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';
import { hashesInto, listShardRanges, partitionKeysIn, type ShardRange } from '../test/partitionKeys';

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

type Item = Record<string, AttributeValue>;

/** One KPL aggregate of exactly these records (never split, never sent as a plain record). */
function oneAggregate(records: UserRecordInput[]): Buffer {
  const builder = new AggregateBuilder({ unaggregatedSingleRecord: false });
  for (const record of records) if (!builder.tryAdd(record)) throw new Error('test data does not fit one aggregate');
  return builder.build().data;
}

/** Puts one Kinesis record routed by explicit hash key to `shard`; returns its sequence number. */
async function putTo(kinesis: KinesisClient, streamName: string, shard: ShardRange, data: Buffer, partitionKey = 'a', explicitHashKey = shard.startingHashKey): Promise<string> {
  const out = await kinesis.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: partitionKey, ExplicitHashKey: explicitHashKey, Data: data }));
  if (out.ShardId !== shard.shardId) throw new Error(`record meant for ${shard.shardId} landed on ${out.ShardId}`);
  return out.SequenceNumber!;
}

/** Creates the lease table as the Java KCL 2.x does (leaseKey S hash key, on-demand) and waits for ACTIVE. */
async function createJavaLeaseTable(tableName: string): Promise<void> {
  const dynamo = stack.dynamodb.client;
  await dynamo.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'leaseKey', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'leaseKey', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await waitFor(async () => (await dynamo.send(new DescribeTableCommand({ TableName: tableName }))).Table?.TableStatus === 'ACTIVE', {
    timeoutMs: 5000,
    description: `table ${tableName} to become ACTIVE`,
  });
}

const rawItem = async (tableName: string, leaseKey: string): Promise<Item | undefined> =>
  (await stack.dynamodb.client.send(new GetItemCommand({ TableName: tableName, Key: { leaseKey: { S: leaseKey } }, ConsistentRead: true }))).Item;

const ids = (records: readonly { data: Buffer }[]) => records.map((r) => r.data.toString('utf8'));

describe('Worker taking over a lease table written by a Java KCL 2.x application', () => {
  const DEAD_JAVA_WORKER = 'ip-10-0-0-17.ec2.internal:6b1d4a8e-3f7c-4d0a-9d1e-2a4c5e6f7a8b';
  const streamName = uniqueName('kcl-java');
  const tableName = uniqueName('kcl-java-app');
  const recorder = new Recorder();
  const events = {
    leaseTaken: [] as WorkerEvents['leaseTaken'][0][],
    malformedLease: [] as MalformedLeaseError[],
    corruptRecord: [] as WorkerEvents['corruptRecord'][0][],
    recordsOutOfRange: [] as WorkerEvents['recordsOutOfRange'][0][],
    processorError: [] as unknown[],
    shardError: [] as unknown[],
  };
  const checkpoints = new Map<string, ExtendedSequenceNumber>();
  const expected = new Map<string, string[]>();
  let shards: ShardRange[] = [];
  let corrupt: { sequenceNumber: string; data: Buffer };
  let outOfRange: { sequenceNumber: string; inside: string[]; outside: string[] };
  const whileRunning = new Map<string, Item | undefined>();
  let worker: Worker | undefined;

  beforeAll(async () => {
    const kinesis = stack.kinesis.client;
    await createStream(kinesis, streamName, 2);
    const [, r1] = (await listShardRanges(kinesis, streamName)) as [ShardRange, ShardRange];

    // Before a split of shard 1: records the Java application read to the end (SHARD_END).
    const k1 = partitionKeysIn(r1, 3, 'one');
    await putTo(kinesis, streamName, r1, oneAggregate(['pre-0', 'pre-1', 'pre-2'].map((id, i) => ({ partitionKey: k1[i]!, data: Buffer.from(id) }))));
    const middle = (BigInt(r1.startingHashKey) + BigInt(r1.endingHashKey) + 1n) / 2n;
    await kinesis.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: r1.shardId, NewStartingHashKey: middle.toString() }));
    await waitFor(async () => (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', {
      timeoutMs: 10_000,
      description: 'the stream to be ACTIVE after the split',
    });
    shards = await listShardRanges(kinesis, streamName);
    expect(shards.map((s) => [s.shardId, s.closed])).toEqual([
      ['shardId-000000000000', false],
      ['shardId-000000000001', true],
      ['shardId-000000000002', false],
      ['shardId-000000000003', false],
    ]);
    const [s0, s1, s2, s3] = shards as [ShardRange, ShardRange, ShardRange, ShardRange];

    // Shard 0: aggregates, a plain record, a corrupt aggregate, an aggregate with sub-records of other shards.
    const k0 = partitionKeysIn(s0, 4, 'zero');
    const agg = (shardKeys: string[], names: string[]) => oneAggregate(names.map((id, i) => ({ partitionKey: shardKeys[i % shardKeys.length]!, data: Buffer.from(id) })));
    const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);
    await putTo(kinesis, streamName, s0, agg(k0, range('s0-', 0, 4)));
    const s0a1 = await putTo(kinesis, streamName, s0, agg(k0, range('s0-', 4, 9)));
    await putTo(kinesis, streamName, s0, Buffer.from('s0-9'), k0[0]!);
    await putTo(kinesis, streamName, s0, agg(k0, range('s0-', 10, 14)));
    const corruptData = Buffer.from(agg(k0, ['bad-0', 'bad-1', 'bad-2']));
    corruptData[corruptData.length - 1] ^= 0xff; // magic and protobuf intact, MD5 wrong
    corrupt = { data: corruptData, sequenceNumber: await putTo(kinesis, streamName, s0, corruptData) };
    const elsewhere = partitionKeysIn({ startingHashKey: s2.startingHashKey, endingHashKey: s3.endingHashKey }, 2, 'elsewhere');
    const mixed: UserRecordInput[] = [
      { partitionKey: k0[1]!, data: Buffer.from('oor-in-0') },
      { partitionKey: elsewhere[0]!, data: Buffer.from('oor-out-0') },
      { partitionKey: k0[2]!, data: Buffer.from('oor-in-1') },
      { partitionKey: elsewhere[1]!, data: Buffer.from('oor-out-1') },
    ];
    // Explicit hash key 0 routes the whole aggregate to shard 0, whatever its sub-records' keys say.
    outOfRange = { sequenceNumber: await putTo(kinesis, streamName, s0, oneAggregate(mixed), 'a', '0'), inside: ['oor-in-0', 'oor-in-1'], outside: ['oor-out-0', 'oor-out-1'] };
    expect(elsewhere.every((key) => !hashesInto(key, s0))).toBe(true);
    await putTo(kinesis, streamName, s0, agg(k0, range('s0-', 14, 17)));
    // Java checkpointed s0-6: sub-record 2 of the second aggregate.
    checkpoints.set(s0.shardId, { sequenceNumber: s0a1, subSequenceNumber: 2 });
    expected.set(s0.shardId, [...range('s0-', 7, 14), corruptData.toString('utf8'), 'oor-in-0', 'oor-in-1', ...range('s0-', 14, 17)]);

    // Shard 2 (a child): checkpoint at the last sub-record of an aggregate.
    const k2 = partitionKeysIn(s2, 3, 'two');
    const s2a0 = await putTo(kinesis, streamName, s2, agg(k2, range('s2-', 0, 3)));
    await putTo(kinesis, streamName, s2, agg(k2, range('s2-', 3, 7)));
    await putTo(kinesis, streamName, s2, agg(k2, range('s2-', 7, 9)));
    checkpoints.set(s2.shardId, { sequenceNumber: s2a0, subSequenceNumber: 2 });
    expected.set(s2.shardId, range('s2-', 3, 9));

    // Shard 3 (a child): checkpoint on a plain record (sub-sequence 0), then aggregates.
    const k3 = partitionKeysIn(s3, 3, 'three');
    const s3p = await putTo(kinesis, streamName, s3, Buffer.from('s3-0'), k3[0]!);
    await putTo(kinesis, streamName, s3, agg(k3, range('s3-', 1, 5)));
    await putTo(kinesis, streamName, s3, agg(k3, range('s3-', 5, 8)));
    checkpoints.set(s3.shardId, { sequenceNumber: s3p, subSequenceNumber: 0 });
    expected.set(s3.shardId, range('s3-', 1, 8));

    // The lease table, item by item, as the Java KCL 2.x DynamoDBLeaseSerializer writes it.
    await createJavaLeaseTable(tableName);
    const javaLease = (shard: ShardRange, counter: number, checkpoint: ExtendedSequenceNumber, extra: Item = {}): Item => ({
      leaseKey: { S: shard.shardId },
      leaseOwner: { S: DEAD_JAVA_WORKER },
      leaseCounter: { N: String(counter) },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      checkpoint: { S: checkpoint.sequenceNumber },
      checkpointSubSequenceNumber: { N: String(checkpoint.subSequenceNumber) },
      startingHashKey: { S: shard.startingHashKey },
      endingHashKey: { S: shard.endingHashKey },
      ...extra,
    });
    const items: Item[] = [
      javaLease(s0, 1234, checkpoints.get(s0.shardId)!),
      javaLease(s1, 87, { sequenceNumber: 'SHARD_END', subSequenceNumber: 0 }, { childShardIds: { SS: [s2.shardId, s3.shardId] } }),
      javaLease(s2, 56, checkpoints.get(s2.shardId)!, { parentShardId: { SS: [s1.shardId] } }),
      javaLease(s3, 9, checkpoints.get(s3.shardId)!, { parentShardId: { SS: [s1.shardId] }, ownerSwitchesSinceCheckpoint: { N: '2' } }),
      // Malformed items (not shards of this stream): each must be reported by its leaseKey and skipped.
      { leaseKey: { S: 'shardId-000000000091' }, leaseOwner: { S: DEAD_JAVA_WORKER }, leaseCounter: { N: '3' }, checkpointSubSequenceNumber: { N: '0' } },
      { leaseKey: { S: 'shardId-000000000092' }, leaseOwner: { S: DEAD_JAVA_WORKER }, leaseCounter: { S: 'seven' }, checkpoint: { S: 'TRIM_HORIZON' } },
      { leaseKey: { S: 'shardId-000000000093' }, leaseOwner: { S: DEAD_JAVA_WORKER }, leaseCounter: { N: '2.5' }, checkpoint: { S: 'TRIM_HORIZON' } },
      { leaseKey: { S: 'shardId-000000000094' }, leaseOwner: { S: DEAD_JAVA_WORKER }, leaseCounter: { N: '4' }, checkpoint: { N: '12345' } },
      { leaseKey: { S: 'shardId-000000000095' }, leaseCounter: { N: '4' }, checkpoint: { S: 'LATEST' }, parentShardId: { S: s1.shardId } },
    ];
    for (const item of items) await stack.dynamodb.client.send(new PutItemCommand({ TableName: tableName, Item: item }));

    worker = new Worker({
      streamName,
      applicationName: tableName,
      workerId: 'node-worker',
      kinesisClient: kinesis,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 1000,
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(recorder, 'node-worker'),
    });
    worker.on('leaseTaken', (e) => events.leaseTaken.push(e));
    worker.on('malformedLease', (e) => events.malformedLease.push(e));
    worker.on('corruptRecord', (e) => events.corruptRecord.push(e));
    worker.on('recordsOutOfRange', (e) => events.recordsOutOfRange.push(e));
    worker.on('processorError', (e) => events.processorError.push(e));
    worker.on('shardError', (e) => events.shardError.push(e));
    await worker.start();
    const total = [...expected.values()].reduce((n, list) => n + list.length, 0);
    await waitFor(() => recorder.records.length >= total, {
      timeoutMs: 15_000,
      description: `${total} records on shards 0, 2 and 3 (got ${recorder.records.length})`,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; delivered per shard: ${JSON.stringify(Object.fromEntries(recorder.dataByShard()))}; events: ${JSON.stringify(events)}`);
    });
    // The last batch's checkpoint may still be in flight: wait until the table shows it, then look at the items.
    const lastDelivered = (shardId: string) => recorder.records.filter((r) => r.shardId === shardId).pop()!;
    await waitFor(
      async () => {
        for (const shardId of expected.keys()) whileRunning.set(shardId, await rawItem(tableName, shardId));
        return [...expected.keys()].every((shardId) => whileRunning.get(shardId)?.checkpoint?.S === lastDelivered(shardId).sequenceNumber);
      },
      { timeoutMs: 5000, description: 'the last checkpoints in the lease table' },
    );
    await worker.shutdown();
  }, 45_000);

  afterAll(() => worker?.shutdown());

  it('resumes every shard exactly after the Java checkpoint: nothing before it, everything after it, once', () => {
    for (const [shardId, checkpoint] of checkpoints) {
      const init = recorder.initialized.find((i) => i.shardId === shardId);
      expect({ shardId, startingSequenceNumber: init?.startingSequenceNumber }).toEqual({ shardId, startingSequenceNumber: checkpoint });
    }
    const delivered = Object.fromEntries(recorder.dataByShard());
    expect(delivered).toEqual(Object.fromEntries(expected));
    // The first record of shard 0 is sub-record 3 of the aggregate Java checkpointed at sub-record 2.
    const first = recorder.records.find((r) => r.shardId === 'shardId-000000000000')!;
    expect({ sequenceNumber: first.sequenceNumber, subSequenceNumber: first.subSequenceNumber }).toEqual({
      sequenceNumber: checkpoints.get('shardId-000000000000')!.sequenceNumber,
      subSequenceNumber: 3,
    });
  });

  it('takes the dead Java worker’s unfinished leases, and leaves its finished parent alone', () => {
    const taken = events.leaseTaken.map((e) => `${e.shardId}<-${e.previousOwner}`).sort();
    expect(taken).toEqual(['shardId-000000000000', 'shardId-000000000002', 'shardId-000000000003'].map((s) => `${s}<-${DEAD_JAVA_WORKER}`));
    expect(recorder.records.filter((r) => r.shardId === 'shardId-000000000001')).toEqual([]);
  });

  it('reports each malformed item as a malformedLease event naming its leaseKey, once', () => {
    const reported = events.malformedLease;
    const byKey = Object.fromEntries(reported.map((e) => [String(e.context.leaseKey), e.message]));
    expect(reported).toHaveLength(5);
    expect(Object.keys(byKey).sort()).toEqual(['91', '92', '93', '94', '95'].map((n) => `shardId-0000000000${n}`));
    expect(byKey['shardId-000000000091']).toMatch(/"shardId-000000000091".*checkpoint is missing/);
    expect(byKey['shardId-000000000092']).toMatch(/"shardId-000000000092".*leaseCounter is of type S, expected N/);
    expect(byKey['shardId-000000000093']).toMatch(/"shardId-000000000093".*leaseCounter is "2\.5"/);
    expect(byKey['shardId-000000000094']).toMatch(/"shardId-000000000094".*checkpoint is of type N, expected S/);
    expect(byKey['shardId-000000000095']).toMatch(/"shardId-000000000095".*parentShardId is of type S, expected SS/);
  });

  it('delivers a corrupt aggregate (magic, bad MD5) as one raw record, with a corruptRecord event', () => {
    expect(events.corruptRecord.map((e) => ({ shardId: e.shardId, sequenceNumber: e.sequenceNumber, md5: /MD5/.test(e.reason) }))).toEqual([
      { shardId: 'shardId-000000000000', sequenceNumber: corrupt.sequenceNumber, md5: true },
    ]);
    const raw = recorder.records.filter((r) => r.sequenceNumber === corrupt.sequenceNumber);
    expect(raw).toHaveLength(1);
    expect(raw[0]!.data.equals(corrupt.data)).toBe(true);
    expect({ subSequenceNumber: raw[0]!.subSequenceNumber, aggregated: raw[0]!.aggregated }).toEqual({ subSequenceNumber: 0, aggregated: false });
  });

  it('reports sub-records hashing outside the shard in a recordsOutOfRange event and delivers the others', () => {
    const reported = events.recordsOutOfRange;
    expect(reported.map((e) => ({ shardId: e.shardId, records: e.records.map((r) => [ids([r])[0], r.sequenceNumber, r.subSequenceNumber]) }))).toEqual([
      {
        shardId: 'shardId-000000000000',
        records: [
          ['oor-out-0', outOfRange.sequenceNumber, 1],
          ['oor-out-1', outOfRange.sequenceNumber, 3],
        ],
      },
    ]);
    const delivered = recorder.records.filter((r) => r.sequenceNumber === outOfRange.sequenceNumber);
    expect(delivered.map((r) => [ids([r])[0], r.subSequenceNumber])).toEqual([
      ['oor-in-0', 0],
      ['oor-in-1', 2],
    ]);
    expect(events.processorError).toEqual([]);
    expect(events.shardError).toEqual([]);
  });

  it('writes its checkpoints back in the Java KCL 2.x item format, keeping the Java attributes', () => {
    for (const shardId of expected.keys()) {
      const item = whileRunning.get(shardId)!;
      const last = recorder.records.filter((r) => r.shardId === shardId).pop()!;
      const shard = shards.find((s) => s.shardId === shardId)!;
      expect(item).toEqual({
        leaseKey: { S: shardId },
        leaseOwner: { S: 'node-worker' },
        leaseCounter: { N: expect.stringMatching(/^[0-9]+$/) },
        ownerSwitchesSinceCheckpoint: { N: '0' },
        checkpoint: { S: last.sequenceNumber },
        checkpointSubSequenceNumber: { N: String(last.subSequenceNumber) },
        startingHashKey: { S: shard.startingHashKey },
        endingHashKey: { S: shard.endingHashKey },
        ...(shardId === 'shardId-000000000000' ? {} : { parentShardId: { SS: ['shardId-000000000001'] } }),
      });
    }
  });
});

describe('Worker resuming at a Java checkpoint on a corrupt record or inside an aggregate with out-of-range sub-records', () => {
  it('reports corruptRecord and recordsOutOfRange only for records after the checkpoint, as it delivers them', async () => {
    const kinesis = stack.kinesis.client;
    const streamName = uniqueName('kcl-java-events');
    const tableName = uniqueName('kcl-java-events-app');
    await createStream(kinesis, streamName, 2);
    const [s0, s1] = (await listShardRanges(kinesis, streamName)) as [ShardRange, ShardRange];
    const k0 = partitionKeysIn(s0, 2, 'zero');
    const k1 = partitionKeysIn(s1, 2, 'one');

    // Shard 0: a corrupt aggregate, then a plain record. The Java application checkpointed the corrupt record itself.
    const corruptData = oneAggregate([
      { partitionKey: k0[0]!, data: Buffer.from('bad-0') },
      { partitionKey: k0[1]!, data: Buffer.from('bad-1') },
    ]);
    corruptData[corruptData.length - 1] ^= 0xff;
    const corruptSeq = await putTo(kinesis, streamName, s0, corruptData);
    await putTo(kinesis, streamName, s0, Buffer.from('after-0'), k0[0]!);
    // Shard 1: an aggregate routed there whose sub-records 1 and 3 hash to shard 0; Java checkpointed sub-record 2.
    const mixedSeq = await putTo(
      kinesis,
      streamName,
      s1,
      oneAggregate([
        { partitionKey: k1[0]!, data: Buffer.from('in-0') },
        { partitionKey: k0[0]!, data: Buffer.from('out-1') },
        { partitionKey: k1[1]!, data: Buffer.from('in-2') },
        { partitionKey: k0[1]!, data: Buffer.from('out-3') },
      ]),
    );
    await putTo(kinesis, streamName, s1, Buffer.from('after-1'), k1[0]!);

    await createJavaLeaseTable(tableName);
    const item = (shard: ShardRange, checkpoint: string, sub: number): Item => ({
      leaseKey: { S: shard.shardId },
      leaseOwner: { S: 'java-worker-gone' },
      leaseCounter: { N: '40' },
      ownerSwitchesSinceCheckpoint: { N: '0' },
      checkpoint: { S: checkpoint },
      checkpointSubSequenceNumber: { N: String(sub) },
      startingHashKey: { S: shard.startingHashKey },
      endingHashKey: { S: shard.endingHashKey },
    });
    await stack.dynamodb.client.send(new PutItemCommand({ TableName: tableName, Item: item(s0, corruptSeq, 0) }));
    await stack.dynamodb.client.send(new PutItemCommand({ TableName: tableName, Item: item(s1, mixedSeq, 2) }));

    const recorder = new Recorder();
    const corruptEvents: WorkerEvents['corruptRecord'][0][] = [];
    const outOfRangeEvents: WorkerEvents['recordsOutOfRange'][0][] = [];
    const worker = new Worker({
      streamName,
      applicationName: tableName,
      workerId: 'node-worker',
      kinesisClient: kinesis,
      dynamoClient: stack.dynamodb.client,
      failoverTimeMs: 500,
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(recorder, 'node-worker'),
    });
    worker.on('corruptRecord', (e) => corruptEvents.push(e));
    worker.on('recordsOutOfRange', (e) => outOfRangeEvents.push(e));
    try {
      await worker.start();
      await waitFor(() => recorder.records.length >= 2, { timeoutMs: 10_000, description: 'after-0 and after-1' });
    } finally {
      await worker.shutdown();
    }
    expect(Object.fromEntries(recorder.dataByShard())).toEqual({ [s0.shardId]: ['after-0'], [s1.shardId]: ['after-1'] });
    expect({
      // The corrupt record is at the checkpoint: handled before, not delivered now, so not reported now.
      corruptRecord: corruptEvents.map((e) => `${e.shardId} ${e.sequenceNumber}`),
      // Only the out-of-range sub-record after the checkpoint (3) is news; sub-record 1 was behind it.
      recordsOutOfRange: outOfRangeEvents.map((e) => ({ shardId: e.shardId, records: e.records.map((r) => `${r.data.toString()}/${r.subSequenceNumber}`) })),
    }).toEqual({
      corruptRecord: [],
      recordsOutOfRange: [{ shardId: s1.shardId, records: ['out-3/3'] }],
    });
  }, 20_000);
});

describe('Worker fencing', () => {
  it('a worker whose lease was taken cannot checkpoint: LeaseLostError, leaseLost(), the checkpoint in the table unchanged', async () => {
    const kinesis = stack.kinesis.client;
    const streamName = uniqueName('kcl-fence');
    const tableName = uniqueName('kcl-fence-app');
    await createStream(kinesis, streamName, 1);
    const put = async (from: number, count: number) => {
      const users = Array.from({ length: count }, (_, i) => ({ partitionKey: 'fence', data: Buffer.from(`f${from + i}`) }));
      const entries = aggregate(users);
      const out = await kinesis.send(
        new PutRecordsCommand({ StreamName: streamName, Records: entries.map((e) => ({ PartitionKey: e.partitionKey, ExplicitHashKey: e.explicitHashKey, Data: e.data })) }),
      );
      expect(out.FailedRecordCount ?? 0).toBe(0);
    };
    await put(0, 5);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batches: string[][] = [];
    const checkpointErrors: unknown[] = [];
    const lifecycle: string[] = [];
    let firstCheckpoint: ExtendedSequenceNumber | undefined;
    const worker = new Worker({
      streamName,
      applicationName: tableName,
      workerId: 'fenced',
      kinesisClient: kinesis,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: 10_000, // no renewal or expiry gets in the way within the test
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => ({
        processRecords: async ({ records, checkpointer }: ProcessRecordsInput) => {
          batches.push(ids(records));
          if (batches.length === 1) {
            await checkpointer.checkpoint();
            firstCheckpoint = { sequenceNumber: records.at(-1)!.sequenceNumber, subSequenceNumber: records.at(-1)!.subSequenceNumber };
            return;
          }
          await gate; // the lease is taken from us while we "work" on this batch
          try {
            await checkpointer.checkpoint();
            lifecycle.push('checkpoint succeeded');
          } catch (error) {
            checkpointErrors.push(error);
          }
        },
        leaseLost: () => void lifecycle.push('leaseLost'),
        shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
        shutdownRequested: () => void lifecycle.push('shutdownRequested'),
      }),
    });
    const lostEvents: string[] = [];
    worker.on('leaseLost', (e) => lostEvents.push(e.shardId));
    try {
      await worker.start();
      await waitFor(() => firstCheckpoint !== undefined, { timeoutMs: 10_000, description: 'the first batch checkpointed' });
      await put(5, 5);
      await waitFor(() => batches.length === 2, { timeoutMs: 10_000, description: 'the second batch delivered' });

      // Another worker takes the lease (a conditional write on the counter, as any KCL does).
      const store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName });
      const shardId = 'shardId-000000000000';
      const stolen = await waitFor(
        async () => {
          const lease = (await store.getLease(shardId))!;
          return store.takeLease(lease, 'thief'); // rejects (and is retried) if a renewal moved the counter meanwhile
        },
        { timeoutMs: 5000, description: 'the test to take the lease' },
      );
      expect(stolen.checkpoint).toEqual(firstCheckpoint);
      release();

      await waitFor(() => checkpointErrors.length > 0 && lifecycle.includes('leaseLost'), {
        timeoutMs: 5000,
        description: `the checkpoint to fail and leaseLost() to be called (errors: ${checkpointErrors.length}, lifecycle: ${lifecycle.join(', ')})`,
      });
      expect(checkpointErrors).toHaveLength(1);
      expect(checkpointErrors[0]).toBeInstanceOf(LeaseLostError);
      expect(checkpointErrors[0]).not.toBeInstanceOf(InvalidCheckpointError);
      expect(lostEvents).toEqual([shardId]);
      expect(worker.heldShards).toEqual([]);

      await worker.shutdown();
      expect(lifecycle).toEqual(['leaseLost']); // no successful checkpoint, no shutdownRequested on a lost lease
      const after = (await store.getLease(shardId))!;
      expect({ owner: after.leaseOwner, counter: after.leaseCounter, checkpoint: after.checkpoint }).toEqual({
        owner: 'thief',
        counter: stolen.leaseCounter,
        checkpoint: firstCheckpoint,
      });
      expect(batches).toEqual([['f0', 'f1', 'f2', 'f3', 'f4'], ['f5', 'f6', 'f7', 'f8', 'f9']]);
    } finally {
      release();
      await worker.shutdown();
    }
  }, 30_000);
});
