import { AwsRequestError, type Logger } from '@kinesis-toolkit/core';
import { PutFailedError } from './errors/PutFailedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import { networkError, sdkError } from '../test/FakeKinesisClient';
import { rec, startProducer, track } from '../test/producerHarness';

/** A logger that keeps what it is told, by level. */
function recordingLogger() {
  const lines: { level: string; message: string; context: Record<string, unknown> }[] = [];
  const at = (level: string) => (context: Record<string, unknown>, message: string) => lines.push({ level, message, context });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return { logger, lines, warnings: () => lines.filter((line) => line.level === 'warn' || line.level === 'error') };
}

/** User records per Kinesis record, over everything the fake stored. */
function aggregationRatio(fake: { allStored(): { entry: { userRecords: readonly unknown[] } }[] }): number {
  const stored = fake.allStored();
  return stored.reduce((sum, record) => sum + record.entry.userRecords.length, 0) / stored.length;
}

describe('KinesisProducer start-up: records wait for the first shard map', () => {
  it('waits for the first ListShards before sending, then aggregates per shard', async () => {
    let answerListShards!: () => void;
    const { clock, fake, producer } = await startProducer({
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(new Promise((resolve) => (answerListShards = resolve))),
    });
    const puts = ['a', 'a', 'a', 'b', 'b', 'c'].map((key, i) => track(producer.put(rec(key, `${key}${i}`))));
    await clock.advance(5000); // far past recordMaxBufferedTimeMs: still held (the ListShards deadline is 6 s)
    expect(fake.putRequests).toHaveLength(0);
    answerListShards();
    await clock.advance(200);
    expect(producer.shardMap?.size).toBe(1);
    // One shard: one aggregate of all six, rather than one Kinesis record per key.
    expect(fake.putRequests.flatMap((request) => request.entries).map((entry) => entry.userRecords.length)).toEqual([6]);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
  });

  // Regression test (fixed); the bug was: a failed first ListShards was retried only after
  // shardMapRefreshIntervalMs (60 s); meanwhile records were aggregated per partition key only
  // (2.5 user records per Kinesis record instead of ~100) and skipped the rate limiter.
  it('retries a first ListShards whose connection was reset within a second, and still aggregates per shard', async () => {
    const { clock, fake, producer } = await startProducer({
      waitForShardMap: false,
      fake: { shardCount: 2 },
      beforeStart: (fake) => fake.listShardsScript.push(networkError('ECONNRESET')),
    });
    const puts = Array.from({ length: 400 }, (_, i) => track(producer.put(rec(`key-${i % 160}`, `r${i}`))));
    await clock.advance(100); // the first retry comes within baseDelayMs (100 ms)
    expect(fake.listShardsRequests).toHaveLength(2);
    expect(producer.shardMap?.size).toBe(2);
    await clock.advance(200);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
    // Two shards, 400 records of 160 keys: one aggregate per shard, not one per key.
    expect(fake.allStored()).toHaveLength(2);
    expect(aggregationRatio(fake)).toBe(200);
    expect(fake.userRecords().every((record) => record.inRange)).toBe(true);
  });

  it('retries with core backoff while ListShards keeps failing, and sends once it answers', async () => {
    const { clock, fake, producer } = await startProducer({
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(...Array.from({ length: 6 }, () => sdkError('InternalFailure', 'oops', 'server', 500))),
    });
    const put = track(producer.put(rec('a')));
    // Jitter 0.5: waits of 50, 100, 200, 400, 800, 1600 ms.
    await clock.advance(3149);
    expect(fake.listShardsRequests).toHaveLength(6);
    expect(put.settled).toBe(false);
    await clock.advance(1);
    expect(fake.listShardsRequests).toHaveLength(7);
    await clock.advance(100);
    expect(put.value?.shardId).toBe('shardId-000000000000');
  });

  it('meters records held before the map like any others (rateLimitPercent applies)', async () => {
    const { clock, fake, producer } = await startProducer({
      rateLimitPercent: 1, // 10 records/s, a burst of 2
      aggregationEnabled: false,
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(networkError('ECONNRESET')),
    });
    for (let i = 0; i < 50; i++) void producer.put(rec(`k${i}`)).catch(() => undefined);
    await clock.advance(1000);
    expect(fake.allStored().length).toBeGreaterThan(0);
    expect(fake.allStored().length).toBeLessThanOrEqual(12);
  });

  it.each([
    ['ResourceNotFoundException', 'Stream test-stream under account 123456789012 not found.'],
    ['AccessDeniedException', 'User is not authorized to perform: kinesis:ListShards'],
  ])('rejects every held put at once with a typed PutFailedError when ListShards fails with %s', async (code, message) => {
    const { clock, fake, producer } = await startProducer({
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(sdkError(code, message)),
    });
    const puts = Array.from({ length: 5 }, (_, i) => track(producer.put(rec(`k${i}`))));
    await clock.advance(0);
    for (const put of puts) {
      expect(put.error).toBeInstanceOf(PutFailedError);
      const error = put.error as PutFailedError;
      expect(error).toMatchObject({ errorCode: code, retryable: false, attempts: [] });
      expect(error.message).toContain(`ListShards failed`);
      expect(error.cause).toBeInstanceOf(AwsRequestError);
      expect(error.cause).toMatchObject({ code, kind: 'fatal', operation: 'ListShards' });
    }
    expect(producer.outstandingRecords).toBe(0);
    expect(fake.putRequests).toHaveLength(0);

    // A later put lists the shards again (after the backoff); the stream may exist by then.
    const later = track(producer.put(rec('later')));
    await clock.advance(49);
    expect(fake.listShardsRequests).toHaveLength(1);
    await clock.advance(51);
    expect(fake.listShardsRequests).toHaveLength(2);
    await clock.advance(100);
    expect(later.value?.shardId).toBe('shardId-000000000000');
  });

  it('also rejects the puts that were waiting for room when ListShards failed for good', async () => {
    const { clock, producer } = await startProducer({
      maxOutstandingRecords: 2,
      waitForShardMap: false,
      fake: { latencyMs: 10 },
      beforeStart: (fake) => fake.listShardsScript.push(sdkError('ResourceNotFoundException')),
    });
    const puts = Array.from({ length: 7 }, (_, i) => track(producer.put(rec(`k${i}`))));
    await clock.advance(10);
    expect(puts.map((put) => (put.error as PutFailedError | undefined)?.errorCode)).toEqual(Array(7).fill('ResourceNotFoundException'));
    expect(producer.outstandingRecords).toBe(0);
  });

  it('expires held records at their TTL with the last ListShards failure as the cause', async () => {
    const { clock, producer } = await startProducer({
      recordTtlMs: 2000,
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(...Array.from({ length: 50 }, () => networkError('ECONNREFUSED'))),
    });
    const put = track(producer.put(rec('a')), clock);
    await clock.advance(5000);
    expect(put.error).toBeInstanceOf(RecordExpiredError);
    const error = put.error as RecordExpiredError;
    expect(error.attempts).toEqual([]);
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
    expect(error.message).toMatch(/never sent: no shard map/);
    expect(put.settledAt).toBe(2000);
    expect(producer.outstandingRecords).toBe(0);
  });

  it('flush() waits for held records rather than sending them unrouted', async () => {
    const { clock, fake, producer } = await startProducer({
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(networkError('ECONNRESET'), networkError('ECONNRESET')),
    });
    const puts = ['x', 'y', 'x', 'y'].map((key) => track(producer.put(rec(key))));
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(fake.putRequests).toHaveLength(0);
    await clock.advance(200);
    expect(flushed.settled).toBe(true);
    expect(puts.every((put) => put.value !== undefined)).toBe(true);
    expect(fake.putRequests.flatMap((request) => request.entries).map((entry) => entry.userRecords.length)).toEqual([4]);
  });
});

describe('KinesisProducer close() and shard map refreshes', () => {
  // Regression test (fixed); the bug was: close() aborted the ListShards under way, and the abort was
  // logged as "shard map refresh failed; keeping the previous map" after a run that had gone well.
  it('logs no warning when closed while the first ListShards is still in flight', async () => {
    const { logger, warnings } = recordingLogger();
    const { clock, producer } = await startProducer({ logger, waitForShardMap: false, fake: { latencyMs: 50 } });
    await producer.close();
    await clock.advance(10_000);
    expect(warnings()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('logs no warning after a successful run closed while a periodic refresh is in flight', async () => {
    const { logger, warnings } = recordingLogger();
    const { clock, fake, producer } = await startProducer({ logger, shardMapRefreshIntervalMs: 1000 });
    const put = track(producer.put(rec('a')));
    await clock.advance(100);
    expect(put.value).toBeDefined();
    fake.listShardsScript.push('hang');
    await clock.advance(900); // the periodic refresh starts, and hangs
    expect(fake.listShardsRequests).toHaveLength(2);
    await producer.close();
    await clock.advance(10_000);
    expect(warnings()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });
});
