import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  ListStreamsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
  SplitShardCommand,
  type PutRecordsRequestEntry,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { clientConfigFor, createKinesisClient, TEST_CREDENTIALS, TEST_REGION } from '../aws/clientConfig';
import { findFreePort } from '../net/findFreePort';
import { createStream } from '../helpers/createStream';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';
import type { Logger } from '@kinesis-toolkit/core';
import { ManualClock } from '@kinesis-toolkit/core';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { ShardLimitProxy } from './ShardLimitProxy';
import type { ShardLimitProxyOptions } from './ShardLimitProxyOptions';

const SHARD_0 = 'shardId-000000000000';
const SHARD_1 = 'shardId-000000000001';
const THROTTLED = 'ProvisionedThroughputExceededException';
/** Explicit hash keys at either end of the hash-key space: shard 0 and the last shard of an even split. */
const LOW_KEY = '0';
const HIGH_KEY = MAX_HASH_KEY.toString();

/** `count` entries whose data names them (`r<first>`, `r<first + 1>`, …). */
function entries(count: number, first = 0, extra: Partial<PutRecordsRequestEntry> = {}): PutRecordsRequestEntry[] {
  return Array.from({ length: count }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.from(`r${first + i}`), ...extra }));
}

/** An entry whose data + partition key ('k') add up to exactly `bytes`. */
function entryOfBytes(bytes: number, explicitHashKey?: string): PutRecordsRequestEntry {
  return { PartitionKey: 'k', Data: Buffer.alloc(bytes - 1, 7), ExplicitHashKey: explicitHashKey };
}

const isThrottled = (entry: PutRecordsResultEntry): boolean => entry.ErrorCode === THROTTLED;

describe('ShardLimitProxy in front of kinesalite, with the real SDK client', () => {
  let stack: TestStack;
  let accountId: string;
  const started: { proxy: ShardLimitProxy; client: KinesisClient }[] = [];

  beforeAll(async () => {
    stack = getTestStack();
    const summary = await createStream(stack.kinesis.client, uniqueName('account-probe'), 1);
    accountId = /:(\d{12}):stream\//.exec(summary.StreamARN!)![1]!;
  });
  afterEach(async () => {
    for (const { proxy, client } of started.splice(0)) {
      client.destroy();
      await proxy.stop();
    }
  });
  afterAll(() => stack.destroy());

  /**
   * A proxy on a clock that stands still unless the test moves it, and an SDK client without
   * retries: on the test matrix's wire protocol (KT_WIRE_PROTOCOL), on CBOR through
   * @kinesis-toolkit/wire, or on the SDK's own JSON whatever the matrix says.
   */
  async function startProxy(
    options: Partial<ShardLimitProxyOptions> = {},
    wire: 'matrix' | 'cbor' | 'json' = 'matrix',
  ): Promise<{ proxy: ShardLimitProxy; kinesis: KinesisClient; clock: ManualClock }> {
    const clock = new ManualClock();
    const proxy = await ShardLimitProxy.start({ target: stack.kinesis.endpoint, clock, ...options });
    const client = wire === 'json' ? new KinesisClient(clientConfigFor(proxy.endpoint, { maxAttempts: 1 })) : createKinesisClient(proxy.endpoint, { maxAttempts: 1 });
    if (wire === 'cbor') {
      useWireProtocol(client, { wireProtocol: 'cbor' }).on('fallback', (event) => {
        throw new Error(`the proxy refused CBOR: ${event.reason}`);
      });
    }
    started.push({ proxy, client });
    return { proxy, kinesis: client, clock };
  }

  async function newStream(shardCount = 1): Promise<string> {
    const streamName = uniqueName('limited');
    await createStream(stack.kinesis.client, streamName, shardCount);
    return streamName;
  }

  /** Every record of one shard, read from kinesalite directly. */
  async function readShard(streamName: string, shardId = SHARD_0): Promise<string[]> {
    const kinesis = stack.kinesis.client;
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    return Records.map((record) => Buffer.from(record.Data!).toString());
  }

  const throttleMessage = (streamName: string, shardId = SHARD_0): string =>
    `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${accountId}.`;

  it('accepts exactly 1,000 of 1,200 records a second on one shard, answers the rest in place, and stores the 1,000', async () => {
    const { proxy, kinesis } = await startProxy();
    const StreamName = await newStream();
    const put = (first: number) => kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(400, first) }));

    const first = await put(0);
    const second = await put(400);
    const third = await put(800);

    expect([first.FailedRecordCount, second.FailedRecordCount, third.FailedRecordCount]).toEqual([0, 0, 200]);
    const results = third.Records!;
    expect(results.slice(0, 200).every((entry) => entry.ShardId === SHARD_0 && entry.SequenceNumber !== undefined)).toBe(true);
    expect(results.slice(200).every(isThrottled)).toBe(true);
    expect(results[200]).toEqual({ ErrorCode: THROTTLED, ErrorMessage: throttleMessage(StreamName) });
    expect(proxy.stats.total).toMatchObject({ recordsAccepted: 1000, recordsThrottled: 200 });
    expect(proxy.stats.streams[StreamName]?.[SHARD_0]?.recordsAccepted).toBe(1000);

    const stored = await readShard(StreamName);
    expect(stored).toEqual(Array.from({ length: 1000 }, (_, i) => `r${i}`));
  });

  it('limits a default KinesisClient (HTTP/2, through its front) as it limits an HTTP/1.1 one', async () => {
    const { proxy } = await startProxy({ scale: 0.05 }); // 50 records/s
    const http2 = new KinesisClient({ endpoint: proxy.endpoint, region: TEST_REGION, credentials: { ...TEST_CREDENTIALS }, maxAttempts: 1 });
    try {
      const streamName = await newStream();
      const { FailedRecordCount, Records = [] } = await http2.send(new PutRecordsCommand({ StreamName: streamName, Records: entries(60) }));
      expect(FailedRecordCount).toBe(10);
      expect(Records.slice(50).every(isThrottled)).toBe(true);
      expect(proxy.stats.streams[streamName]?.[SHARD_0]).toMatchObject({ recordsAccepted: 50, recordsThrottled: 10 });
    } finally {
      http2.destroy();
    }
  });

  it('answers a PutRecords whose entries are all throttled by itself (kinesalite would refuse an empty one)', async () => {
    const { kinesis } = await startProxy({ scale: 0.01 }); // 10 records/s
    const StreamName = await newStream();
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(10) }));
    const { FailedRecordCount, Records } = await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(3, 10) }));
    expect(FailedRecordCount).toBe(3);
    expect(Records!.every(isThrottled)).toBe(true);
    expect(await readShard(StreamName)).toHaveLength(10);
  });

  it('limits bytes (data + partition key) per shard, entry by entry', async () => {
    const { proxy, kinesis } = await startProxy({ scale: 0.05 }); // 52,428.8 bytes/s
    const StreamName = await newStream();
    const Records = [...Array.from({ length: 6 }, () => entryOfBytes(10_000)), entryOfBytes(2_000)];
    const { FailedRecordCount, Records: results } = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
    // 5 × 10,000 fit; the 6th would make 60,000; the 2,000-byte 7th still fits (52,000).
    expect(results!.map(isThrottled)).toEqual([false, false, false, false, false, true, false]);
    expect(FailedRecordCount).toBe(1);
    expect(proxy.stats.total).toMatchObject({ recordsAccepted: 6, bytesAccepted: 52_000, recordsThrottled: 1, bytesThrottled: 10_000 });
  });

  it('gives every shard its own budget, routing records by explicit hash key', async () => {
    const { proxy, kinesis } = await startProxy({ scale: 0.01 }); // 10 records/s per shard
    const StreamName = await newStream(2);
    // 20 records for shard 0 and 10 for shard 1, interleaved: every third one goes high.
    const Records = Array.from({ length: 30 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.from(`r${i}`), ExplicitHashKey: i % 3 === 2 ? HIGH_KEY : LOW_KEY }));
    const { FailedRecordCount, Records: results } = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));

    expect(FailedRecordCount).toBe(10);
    const low = results!.filter((_, i) => i % 3 !== 2);
    const high = results!.filter((_, i) => i % 3 === 2);
    expect(low.slice(0, 10).every((entry) => entry.ShardId === SHARD_0)).toBe(true);
    expect(low.slice(10)).toEqual(Array(10).fill({ ErrorCode: THROTTLED, ErrorMessage: throttleMessage(StreamName, SHARD_0) }));
    expect(high.every((entry) => entry.ShardId === SHARD_1)).toBe(true);
    expect(proxy.stats.streams[StreamName]).toEqual({
      [SHARD_0]: expect.objectContaining({ recordsAccepted: 10, recordsThrottled: 10 }),
      [SHARD_1]: expect.objectContaining({ recordsAccepted: 10, recordsThrottled: 0 }),
    });
    expect(await readShard(StreamName, SHARD_1)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i * 3 + 2}`));
  });

  it('refills as the clock moves, up to one second of burst', async () => {
    const { kinesis, clock } = await startProxy({ scale: 0.01 }); // 10 records/s
    const StreamName = await newStream();
    const accepted = async (count: number): Promise<number> => {
      const { FailedRecordCount } = await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(count) }));
      return count - FailedRecordCount!;
    };
    expect(await accepted(15)).toBe(10);
    expect(await accepted(5)).toBe(0);
    await clock.advance(300);
    expect(await accepted(5)).toBe(3);
    await clock.advance(60_000); // a long pause still buys only one second's worth
    expect(await accepted(15)).toBe(10);
  });

  it.each(['matrix', 'cbor'] as const)('fails a throttled PutRecord with HTTP 400, which the SDK raises as ProvisionedThroughputExceededException (client: %s)', async (wire) => {
    const { kinesis, clock } = await startProxy({ scale: 0.001 }, wire); // 1 record/s
    const StreamName = await newStream();
    const putRecord = () => kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'k', Data: Buffer.from('hello') }));

    await expect(putRecord()).resolves.toMatchObject({ ShardId: SHARD_0 });
    const error = await putRecord().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(error).toMatchObject({
      name: THROTTLED,
      message: throttleMessage(StreamName),
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await clock.advance(1_000);
    await expect(putRecord()).resolves.toMatchObject({ ShardId: SHARD_0 });
  });

  it.each(['matrix', 'cbor'] as const)('throttles the 6th GetRecords call of a second on a shard, following NextShardIterator (client: %s)', async (wire) => {
    const { proxy, kinesis, clock } = await startProxy({}, wire);
    const StreamName = await newStream();
    let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD_0, ShardIteratorType: 'TRIM_HORIZON' }));
    for (let call = 1; call <= 5; call++) {
      ({ NextShardIterator: ShardIterator } = await kinesis.send(new GetRecordsCommand({ ShardIterator })));
    }
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator }))).rejects.toMatchObject({
      name: THROTTLED,
      message: `Rate exceeded for Shard - ${accountId}/${StreamName}/${SHARD_0}`,
      $metadata: { httpStatusCode: 400 },
    });
    await clock.advance(200); // one call's worth
    await expect(kinesis.send(new GetRecordsCommand({ ShardIterator }))).resolves.toHaveProperty('Records');
    expect(proxy.stats.streams[StreamName]?.[SHARD_0]).toMatchObject({ getRecordsCalls: 6, getRecordsThrottled: 1 });
  });

  it('charges the bytes GetRecords returned afterwards, and refuses reads until the debt is repaid', async () => {
    const { proxy, kinesis, clock } = await startProxy({ readBytesPerSecond: 20_000 });
    const StreamName = await newStream();
    // Written to kinesalite directly: 30,000 bytes, more than one second of reads.
    await stack.kinesis.client.send(new PutRecordsCommand({ StreamName, Records: [entryOfBytes(10_000), entryOfBytes(10_000), entryOfBytes(10_000)] }));
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD_0, ShardIteratorType: 'TRIM_HORIZON' }));
    const { Records, NextShardIterator } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(Records).toHaveLength(3);
    const next = () => kinesis.send(new GetRecordsCommand({ ShardIterator: NextShardIterator }));

    await expect(next()).rejects.toMatchObject({ name: THROTTLED }); // 20,000 - 30,000 = -10,000
    await clock.advance(500); // back to 0: nothing to spend yet
    await expect(next()).rejects.toMatchObject({ name: THROTTLED });
    await clock.advance(1);
    await expect(next()).resolves.toMatchObject({ Records: [] });
    expect(proxy.stats.total).toMatchObject({ bytesRead: 30_000, getRecordsCalls: 2, getRecordsThrottled: 2 });
  });

  it('rejects a PutRecords over 500 entries or 10 MiB whole, as AWS does', async () => {
    const { proxy, kinesis } = await startProxy();
    const StreamName = await newStream();

    await expect(kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(501) }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/),
      $metadata: { httpStatusCode: 400 },
    });
    // 21 × 512 KiB: each record is legal, the request (10.5 MiB) is not.
    const big = Array.from({ length: 21 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.alloc(512 * 1024) }));
    await expect(kinesis.send(new PutRecordsCommand({ StreamName, Records: big }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: 'Records size exceeds 10 MB limit',
      $metadata: { httpStatusCode: 400 },
    });
    expect(proxy.stats.requestsRejected).toBe(2);
    expect(proxy.stats.total.recordsAccepted).toBe(0);
    expect(await readShard(StreamName)).toEqual([]);
  });

  it('passes every other operation through untouched, and sees the SDK speak AWS JSON 1.1', async () => {
    const seen: { operation?: unknown; contentType?: unknown }[] = [];
    const logger: Logger = { debug: (context) => seen.push({ ...context }), info: () => {}, warn: () => {}, error: () => {}, child: () => logger };
    const { proxy, kinesis } = await startProxy({ logger }, 'json');
    const StreamName = uniqueName('passed');

    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 2 }));
    const summary = await waitFor(
      async () => {
        const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
        return StreamDescriptionSummary?.StreamStatus === 'ACTIVE' && StreamDescriptionSummary;
      },
      { description: `${StreamName} to become ACTIVE` },
    );
    expect(summary).toMatchObject({ StreamName, OpenShardCount: 2 });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(Shards?.map((shard) => shard.ShardId)).toEqual([SHARD_0, SHARD_1]);
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(1) }));

    expect(proxy.stats.requestsPassedThrough).toBeGreaterThanOrEqual(3);
    expect(proxy.stats.total.recordsAccepted).toBe(1);
    expect(seen).toContainEqual({ operation: 'CreateStream', contentType: 'application/x-amz-json-1.1' });
    expect(seen).toContainEqual({ operation: 'PutRecords', contentType: 'application/x-amz-json-1.1' });
  });

  it('knows a stream named by its ARN', async () => {
    const { kinesis } = await startProxy({ scale: 0.001 }); // 1 record/s
    const StreamName = await newStream();
    const { StreamDescriptionSummary } = await stack.kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName }));
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(1) }));
    // kinesalite itself does not take StreamARN; an all-throttled request never reaches it.
    const { Records } = await kinesis.send(new PutRecordsCommand({ StreamARN: StreamDescriptionSummary!.StreamARN, Records: entries(2) }));
    expect(Records).toEqual(Array(2).fill({ ErrorCode: THROTTLED, ErrorMessage: throttleMessage(StreamName) }));
  });

  it('notices a reshard from the shard ids kinesalite returns, and reloads shards when asked', async () => {
    const { proxy, kinesis } = await startProxy();
    const StreamName = await newStream();
    const putLow = () => kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(1, 0, { ExplicitHashKey: LOW_KEY }) }));
    const split = async (ShardToSplit: string, NewStartingHashKey: string): Promise<void> => {
      await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit, NewStartingHashKey }));
      await createStreamActive(StreamName);
    };
    const acceptedOn = (shardId: string) => proxy.stats.streams[StreamName]?.[shardId]?.recordsAccepted;

    await putLow(); // loads the map: one open shard
    await split(SHARD_0, (1n << 127n).toString()); // children 1 (low half) and 2
    const { Records } = await putLow();
    expect(Records?.[0]?.ShardId).toBe(SHARD_1); // kinesalite knows; the proxy charged the parent, and forgot its map
    await putLow();
    expect([acceptedOn(SHARD_0), acceptedOn(SHARD_1)]).toEqual([2, 1]);

    await split(SHARD_1, (1n << 126n).toString()); // children 3 (lowest quarter) and 4
    proxy.refreshShards(StreamName);
    await putLow();
    expect(acceptedOn('shardId-000000000003')).toBe(1);
  });

  async function createStreamActive(StreamName: string): Promise<void> {
    await waitFor(
      async () => {
        const { StreamDescriptionSummary } = await stack.kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName }));
        return StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
      },
      { description: `${StreamName} to be ACTIVE again` },
    );
  }

  it('changes scale on the fly and resets budgets and counters', async () => {
    const { proxy, kinesis } = await startProxy({ scale: 0.01 }); // 10 records/s
    const StreamName = await newStream();
    const accepted = async (count: number): Promise<number> => {
      const { FailedRecordCount } = await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(count) }));
      return count - FailedRecordCount!;
    };
    expect(await accepted(10)).toBe(10);
    proxy.setScale(0.02); // capacity 20, the level stays where it was (0)
    expect(proxy.limits.writeRecordsPerSecond).toBe(20);
    expect(await accepted(1)).toBe(0);
    proxy.reset();
    expect(proxy.stats.total.recordsAccepted).toBe(0);
    expect(await accepted(25)).toBe(20);
    expect(() => proxy.setScale(0)).toThrow(new TypeError('scale: expected a number > 0, got 0'));
  });

  it('answers 500 InternalFailure, which the SDK retries, when the target is down', async () => {
    const { kinesis } = await startProxy({ target: `http://127.0.0.1:${await findFreePort()}` });
    for (const call of [
      () => kinesis.send(new ListStreamsCommand({})), // streamed through
      () => kinesis.send(new PutRecordCommand({ StreamName: 's', PartitionKey: 'k', Data: Buffer.from('x') })), // read first
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    }
  });
  describe('in CBOR (the AWS SDK for Java, @kinesis-toolkit/wire): the same limits, answered in CBOR', () => {
    it('throttles PutRecords entries past the shard budget, writes the rest byte for byte', async () => {
      const { proxy, kinesis } = await startProxy({ scale: 0.05 }, 'cbor'); // 50 records/s
      const StreamName = await newStream();
      const result = await kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(60) }));
      expect(result.FailedRecordCount).toBe(10);
      expect(result.Records!.slice(50).every(isThrottled)).toBe(true);
      expect(result.Records![50]).toEqual({ ErrorCode: THROTTLED, ErrorMessage: throttleMessage(StreamName) });
      expect(result.Records!.slice(0, 50).every((entry) => entry.ShardId === SHARD_0 && entry.ErrorCode === undefined)).toBe(true);
      expect(await readShard(StreamName)).toEqual(entries(50).map((entry) => Buffer.from(entry.Data!).toString()));
      expect(proxy.stats.streams[StreamName]?.[SHARD_0]).toMatchObject({ recordsAccepted: 50, recordsThrottled: 10 });
    });

    it('rejects a PutRecords over 500 entries whole', async () => {
      const { kinesis } = await startProxy({}, 'cbor');
      const StreamName = await newStream();
      await expect(kinesis.send(new PutRecordsCommand({ StreamName, Records: entries(501) }))).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    });
  });
});
