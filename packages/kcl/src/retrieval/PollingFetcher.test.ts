import { AwsRequestError, ManualClock } from '@kinesis-toolkit/core';
import { FakeKinesis, RecordingLogger, kinesisRecord, never, sdkError } from '../../test/FakeKinesis';
import { PollingFetcher, type FetcherSettings } from './PollingFetcher';

// PollingFetcher's own logic on a scripted client and a ManualClock (no server; the Worker
// integration tests read kinesalite).

function fetcherFor(kinesis: FakeKinesis, clock: ManualClock, extra: Partial<FetcherSettings> = {}, logger = new RecordingLogger()): PollingFetcher {
  return new PollingFetcher({
    api: kinesis.api(clock, { requestTimeoutMs: 1_000, logger }),
    shardId: 'shardId-0',
    start: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
    timestamp: undefined,
    maxRecords: 100,
    idleTimeBetweenReadsMs: 1_000,
    maxPrefetchedBatches: 2,
    clock,
    logger,
    random: () => 0.5,
    ...extra,
  });
}

const iterators = (kinesis: FakeKinesis) => kinesis.on('GetShardIterator', (input) => ({ ShardIterator: `it-${String(input['ShardIteratorType'])}-${String(input['StartingSequenceNumber'] ?? '')}` }));

describe('PollingFetcher', () => {
  it('reads ahead by maxPrefetchedBatches only, 200 ms apart while behind and idleTimeBetweenReadsMs once caught up', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    let n = 0;
    kinesis.on('GetRecords', () => {
      n++;
      return { Records: [kinesisRecord(String(n))], NextShardIterator: `next-${n}`, MillisBehindLatest: n < 3 ? 5_000 : 0 };
    });
    const fetcher = fetcherFor(kinesis, clock);
    await clock.advance(0);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(1);
    await clock.advance(200);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(2);
    // Two batches wait and nobody takes them: no third call, however long.
    await clock.advance(10_000);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(2);
    expect((await fetcher.next())?.records[0]?.SequenceNumber).toBe('1');
    await clock.advance(0);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(3);
    await fetcher.next();
    await fetcher.next();
    // The third answer was caught up (MillisBehindLatest 0): the next call waits the idle time.
    await clock.advance(999);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(3);
    await clock.advance(1);
    expect(kinesis.callsOf('GetRecords')).toHaveLength(4);
    expect(kinesis.callsOf('GetRecords').map((call) => call.input['ShardIterator'])).toEqual(['it-TRIM_HORIZON-', 'next-1', 'next-2', 'next-3']);
    fetcher.stop();
  });

  it('abandons a GetRecords that gets no answer within requestTimeoutMs (its request aborted) and calls again with the same iterator', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    let calls = 0;
    kinesis.on('GetRecords', (_input, signal) => (++calls === 1 ? never(signal) : { Records: [kinesisRecord('7')], NextShardIterator: 'next', MillisBehindLatest: 0 }));
    const logger = new RecordingLogger();
    const fetcher = fetcherFor(kinesis, clock, {}, logger);
    const batch = fetcher.next();
    await clock.advance(1_000);
    expect(kinesis.callsOf('GetRecords')[0]?.signal?.aborted).toBe(true);
    await clock.advance(200);
    expect((await batch)?.records[0]?.SequenceNumber).toBe('7');
    expect(kinesis.callsOf('GetRecords').map((call) => call.input['ShardIterator'])).toEqual(['it-TRIM_HORIZON-', 'it-TRIM_HORIZON-']);
    expect(logger.at('warn')[0]?.context).toMatchObject({ shardId: 'shardId-0', code: 'DEADLINE_EXCEEDED', consecutiveFailures: 1 });
    fetcher.stop();
  });

  it('backs off from throttling with full jitter (never under 200 ms), logging at debug, then at warn with the count', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    kinesis.on('GetRecords', () => Promise.reject(sdkError('ProvisionedThroughputExceededException')));
    const logger = new RecordingLogger();
    const fetcher = fetcherFor(kinesis, clock, { random: () => 0.5 }, logger);
    await clock.advance(0);
    // Waits: max(200, 0.5 × min(10 000, 200 × 2^(n−1))) = 200, 200, 400, 800, 1600, 3200 ms.
    const times: number[] = [];
    for (let step = 0; step < 7_000; step += 100) {
      const before = kinesis.callsOf('GetRecords').length;
      await clock.advance(100);
      if (kinesis.callsOf('GetRecords').length > before) times.push(clock.now());
    }
    expect(times.slice(0, 5)).toEqual([200, 400, 800, 1600, 3200]);
    expect(logger.at('debug').map((line) => line.context['consecutiveFailures'])).toEqual([1, 2, 3, 4]);
    expect(logger.at('warn')[0]?.context).toMatchObject({ code: 'ProvisionedThroughputExceededException', consecutiveFailures: 5 });
    expect(logger.at('warn')[0]?.message).toBe('GetRecords failed 5 time(s) in a row; trying again after a pause');
    fetcher.stop();
  });

  it('gets a new iterator after the last record fetched when the iterator expired', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    let calls = 0;
    kinesis.on('GetRecords', () => {
      calls++;
      if (calls === 1) return { Records: [kinesisRecord('41'), kinesisRecord('42')], NextShardIterator: 'next', MillisBehindLatest: 0 };
      if (calls === 2) return Promise.reject(sdkError('ExpiredIteratorException'));
      return { Records: [kinesisRecord('43')], NextShardIterator: 'next', MillisBehindLatest: 0 };
    });
    const fetcher = fetcherFor(kinesis, clock);
    await fetcher.next();
    await clock.advance(1_000);
    await clock.advance(200);
    expect((await fetcher.next())?.records[0]?.SequenceNumber).toBe('43');
    expect(kinesis.callsOf('GetShardIterator').map((call) => [call.input['ShardIteratorType'], call.input['StartingSequenceNumber']])).toEqual([
      ['TRIM_HORIZON', undefined],
      ['AFTER_SEQUENCE_NUMBER', '42'],
    ]);
    fetcher.stop();
  });

  it('ends on a fatal answer: the batches fetched before it are handed out, then next() rejects with the AwsRequestError', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    let calls = 0;
    kinesis.on('GetRecords', () => (++calls === 1 ? { Records: [kinesisRecord('1')], NextShardIterator: 'next', MillisBehindLatest: 0 } : Promise.reject(sdkError('AccessDeniedException'))));
    const fetcher = fetcherFor(kinesis, clock);
    await clock.advance(1_000);
    expect((await fetcher.next())?.records).toHaveLength(1);
    const error = await fetcher.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'AccessDeniedException', operation: 'GetRecords', context: { shardId: 'shardId-0', streamName: 'stream' } });
    await clock.advance(60_000);
    expect(calls).toBe(2); // no retry loop behind it
  });

  it("hands over a closed shard's last batch with its child shards, then ends", async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    kinesis.on('GetRecords', () => ({ Records: [kinesisRecord('9')], NextShardIterator: undefined, ChildShards: [{ ShardId: 'shardId-2', ParentShards: ['shardId-0'], HashKeyRange: undefined }] }));
    const fetcher = fetcherFor(kinesis, clock);
    const last = await fetcher.next();
    expect(last).toMatchObject({ shardEnded: true, childShards: [{ ShardId: 'shardId-2' }] });
    expect(await fetcher.next()).toBeUndefined();
  });

  it('stop() aborts the call in flight and ends next()', async () => {
    const clock = new ManualClock();
    const kinesis = iterators(new FakeKinesis());
    kinesis.on('GetRecords', (_input, signal) => never(signal));
    const fetcher = fetcherFor(kinesis, clock);
    const waiting = fetcher.next();
    await clock.advance(0);
    fetcher.stop();
    expect(await waiting).toBeUndefined();
    expect(kinesis.callsOf('GetRecords')[0]?.signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });
});
