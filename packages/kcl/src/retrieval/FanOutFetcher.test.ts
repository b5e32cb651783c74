import type { SubscribeToShardEventStream } from '@aws-sdk/client-kinesis';
import { ManualClock, classifyAwsError } from '@kinesis-toolkit/core';
import { FakeKinesis, RecordingLogger, ScriptedEventStream, kinesisRecord, never, sdkError } from '../../test/FakeKinesis';
import { FanOutFetcher } from './FanOutFetcher';

// FanOutFetcher's own logic on a scripted client whose SubscribeToShard answers with event streams
// the test feeds, on a ManualClock (no server; Worker.fanout.integ.test.ts runs on kinesis-mock).

interface Harness {
  readonly clock: ManualClock;
  readonly kinesis: FakeKinesis;
  readonly streams: ScriptedEventStream[];
  readonly logger: RecordingLogger;
  readonly fetcher: FanOutFetcher;
}

function harness(script: (index: number, signal: AbortSignal | undefined) => unknown = () => undefined): Harness {
  const clock = new ManualClock();
  const kinesis = new FakeKinesis();
  const streams: ScriptedEventStream[] = [];
  kinesis.on('SubscribeToShard', (_input, signal) => {
    const scripted = script(streams.length, signal);
    if (scripted !== undefined) return scripted;
    const stream = new ScriptedEventStream();
    streams.push(stream);
    return { EventStream: stream };
  });
  const logger = new RecordingLogger();
  const fetcher = new FanOutFetcher({
    api: kinesis.api(clock, { requestTimeoutMs: 1_000, logger }),
    shardId: 'shardId-0',
    start: { sequenceNumber: 'TRIM_HORIZON', subSequenceNumber: 0 },
    timestamp: undefined,
    maxRecords: 10_000,
    idleTimeBetweenReadsMs: 1_000,
    maxPrefetchedBatches: 2,
    clock,
    logger,
    random: () => 0.5,
    consumerARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/stream/consumer/app:1',
    subscriptionIdleTimeoutMs: 30_000,
  });
  return { clock, kinesis, streams, logger, fetcher };
}

const event = (sequenceNumbers: string[], continuation: string, millisBehindLatest = 1_000): SubscribeToShardEventStream => ({
  SubscribeToShardEvent: { Records: sequenceNumbers.map((n) => kinesisRecord(n)), ContinuationSequenceNumber: continuation, MillisBehindLatest: millisBehindLatest },
});

const positions = (kinesis: FakeKinesis) => kinesis.callsOf('SubscribeToShard').map((call) => call.input['StartingPosition']);

describe('FanOutFetcher', () => {
  it('resubscribes after the last continuation when a subscription runs its course (five minutes): nothing skipped, nothing twice', async () => {
    const { clock, kinesis, streams, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push(event(['1', '2'], '2'));
    expect((await fetcher.next())?.records.map((r) => r.SequenceNumber)).toEqual(['1', '2']);
    streams[0]!.end();
    await clock.advance(0);
    expect(streams).toHaveLength(2);
    streams[1]!.push(event(['3'], '3'));
    expect((await fetcher.next())?.records.map((r) => r.SequenceNumber)).toEqual(['3']);
    expect(positions(kinesis)).toEqual([{ Type: 'TRIM_HORIZON' }, { Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '2' }]);
    fetcher.stop();
  });

  it('continues from the last continuation even when the events carried no records', async () => {
    const { clock, kinesis, streams, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push(event([], '17', 0));
    await clock.advance(0);
    streams[0]!.end();
    await clock.advance(0);
    expect(positions(kinesis)[1]).toEqual({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '17' });
    fetcher.stop();
  });

  it('on a retryable error pushed down the stream, resubscribes after a backoff from where it was', async () => {
    const { clock, kinesis, streams, logger, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push(event(['5'], '5'));
    await fetcher.next();
    streams[0]!.push({ InternalFailureException: Object.assign(new Error('internal'), { name: 'InternalFailureException' }) } as SubscribeToShardEventStream);
    await clock.advance(0);
    expect(streams).toHaveLength(1);
    // Backoff: 0.5 × 200 ms for the first failure.
    await clock.advance(100);
    expect(streams).toHaveLength(2);
    expect(positions(kinesis)[1]).toEqual({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '5' });
    expect(logger.at('warn')[0]?.context).toMatchObject({ code: 'InternalFailureException', consecutiveFailures: 1 });
    fetcher.stop();
  });

  it('ends on a fatal error pushed down the stream: next() rejects with it, and nothing resubscribes', async () => {
    const { clock, streams, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push({ ResourceNotFoundException: Object.assign(new Error('Stream not found'), { name: 'ResourceNotFoundException' }) } as SubscribeToShardEventStream);
    const error = await fetcher.next().catch((e: unknown) => e);
    expect(classifyAwsError(error)).toMatchObject({ kind: 'fatal', code: 'ResourceNotFoundException' });
    await clock.advance(60_000);
    expect(streams).toHaveLength(1);
  });

  it('abandons a subscription that delivers no event for subscriptionIdleTimeoutMs, aborting it, and opens another', async () => {
    const { clock, kinesis, streams, logger, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push(event(['1'], '1'));
    await fetcher.next();
    await clock.advance(29_999);
    expect(streams).toHaveLength(1);
    await clock.advance(1);
    expect(kinesis.callsOf('SubscribeToShard')[0]?.signal?.aborted).toBe(true);
    await clock.advance(100);
    expect(streams).toHaveLength(2);
    expect(positions(kinesis)[1]).toEqual({ Type: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: '1' });
    expect(logger.at('warn')[0]?.context).toMatchObject({ code: 'DEADLINE_EXCEEDED', consecutiveFailures: 1 });
    fetcher.stop();
  });

  it('abandons a SubscribeToShard that is not answered within requestTimeoutMs', async () => {
    const { clock, kinesis, fetcher } = harness((index, signal) => (index === 0 && kinesis.callsOf('SubscribeToShard').length === 1 ? never(signal) : undefined));
    await clock.advance(1_000);
    expect(kinesis.callsOf('SubscribeToShard')[0]?.signal?.aborted).toBe(true);
    await clock.advance(100);
    expect(kinesis.callsOf('SubscribeToShard')).toHaveLength(2);
    fetcher.stop();
  });

  it('retries ResourceInUseException (the previous subscription is still closing) and throttling, quietly at first', async () => {
    let opens = 0;
    const { clock, kinesis, logger, streams, fetcher } = harness(() => {
      opens++;
      if (opens === 1) return Promise.reject(sdkError('ResourceInUseException'));
      if (opens === 2) return Promise.reject(sdkError('LimitExceededException'));
      return undefined;
    });
    await clock.advance(1_000);
    expect(kinesis.callsOf('SubscribeToShard')).toHaveLength(3);
    expect(streams).toHaveLength(1);
    expect(logger.at('debug').map((line) => line.context['code'])).toEqual(['ResourceInUseException', 'LimitExceededException']);
    fetcher.stop();
  });

  it('fails at once on a fatal answer to SubscribeToShard itself', async () => {
    const { clock, fetcher } = harness(() => Promise.reject(sdkError('AccessDeniedException')));
    const error = await fetcher.next().catch((e: unknown) => e);
    expect(classifyAwsError(error).code).toBe('AccessDeniedException');
    await clock.advance(0);
  });

  it('counts a subscription that ends without a single event as a failure (no hot loop)', async () => {
    const { clock, streams, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.end();
    await clock.advance(0);
    expect(streams).toHaveLength(1);
    await clock.advance(100);
    expect(streams).toHaveLength(2);
    fetcher.stop();
  });

  it("hands over the shard's end with its child shards and closes", async () => {
    const { clock, streams, fetcher } = harness();
    await clock.advance(0);
    streams[0]!.push({ SubscribeToShardEvent: { Records: [kinesisRecord('9')], ContinuationSequenceNumber: undefined, MillisBehindLatest: 0, ChildShards: [{ ShardId: 'shardId-2', ParentShards: ['shardId-0'], HashKeyRange: undefined }] } } as unknown as SubscribeToShardEventStream);
    expect(await fetcher.next()).toMatchObject({ shardEnded: true, childShards: [{ ShardId: 'shardId-2' }] });
    expect(await fetcher.next()).toBeUndefined();
  });

  it('does not read the stream past maxPrefetchedBatches events waiting for the processor', async () => {
    const { clock, streams, fetcher } = harness();
    await clock.advance(0);
    for (let i = 1; i <= 4; i++) streams[0]!.push(event([String(i)], String(i)));
    await clock.advance(10_000);
    // Two events wait for the processor: the stream is not read further (HTTP/2 flow control holds the service back).
    expect(streams[0]!.reads).toBe(2);
    expect((await fetcher.next())?.records[0]?.SequenceNumber).toBe('1');
    await clock.advance(0);
    expect(streams[0]!.reads).toBe(3);
    fetcher.stop();
  });
});
