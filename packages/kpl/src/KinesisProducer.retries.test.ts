import { AwsRequestError } from '@kinesis-toolkit/core';
import { PutFailedError } from './errors/PutFailedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import { networkError, sdkError, shardIdOf, type FakeEntry } from '../test/FakeKinesisClient';
import { keysForShard, rec, startProducer, track } from '../test/producerHarness';

const THROTTLED = { errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard' };

/** Fails the first `times` entries that carry `data`, with `behaviour`. */
function failFirst(times: number, behaviour: { errorCode: string; errorMessage?: string }, data?: string) {
  let failed = 0;
  return (entry: FakeEntry) => {
    if (data !== undefined && !entry.userRecords.some((user) => user.data.toString() === data)) return undefined;
    return failed++ < times ? behaviour : undefined;
  };
}

describe('KinesisProducer retries', () => {
  it('retries a throttled entry after a full-jitter backoff and resolves with both attempts', async () => {
    const { clock, fake, producer } = await startProducer({ retry: { baseDelayMs: 100, maxDelayMs: 5000 }, random: () => 0.5 });
    fake.onEntry = failFirst(1, THROTTLED);
    const put = track(producer.put(rec('a')));
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(1);
    // First retry waits random × baseDelayMs = 50 ms.
    await clock.advance(49);
    expect(fake.putRequests).toHaveLength(1);
    await clock.advance(1);
    expect(fake.putRequests).toHaveLength(2);

    expect(put.error).toBeUndefined();
    expect(put.value!.attempts).toEqual([
      { startedAt: 100, durationMs: 0, errorCode: THROTTLED.errorCode, errorMessage: THROTTLED.errorMessage },
      { startedAt: 150, durationMs: 0 },
    ]);
  });

  it('doubles the backoff ceiling per retry and caps it at retry.maxDelayMs', async () => {
    const { clock, fake, producer } = await startProducer({ retry: { baseDelayMs: 1000, maxDelayMs: 1500 }, random: () => 0.99 });
    fake.onEntry = failFirst(4, THROTTLED);
    const put = track(producer.put(rec('a')));
    await clock.advance(10_000);
    const starts = put.value!.attempts.map((attempt) => attempt.startedAt);
    const gaps = starts.slice(1).map((start, i) => start - starts[i]!);
    expect(gaps).toEqual([990, 1485, 1485, 1485]);
  });

  it('uses the injected random for jitter, never waiting less than 1 ms', async () => {
    const { clock, fake, producer } = await startProducer({ random: () => 0 });
    fake.onEntry = failFirst(2, THROTTLED);
    const put = track(producer.put(rec('a')));
    await clock.advance(200);
    expect(put.value!.attempts.map((attempt) => attempt.startedAt)).toEqual([100, 101, 102]);
  });

  it('retries InternalFailure entries', async () => {
    const { clock, fake, producer } = await startProducer();
    fake.onEntry = failFirst(1, { errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' });
    const put = track(producer.put(rec('a')));
    await clock.advance(1000);
    expect(put.value!.attempts.map((attempt) => attempt.errorCode)).toEqual(['InternalFailure', undefined]);
  });

  it('retries only the failed entries of a request', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false });
    fake.onEntry = failFirst(1, THROTTLED, 'b');
    const puts = ['a', 'b', 'c'].map((key) => track(producer.put(rec(key))));
    await clock.advance(1000);
    expect(puts.map((put) => put.value!.attempts.length)).toEqual([1, 2, 1]);
    expect(fake.batchSizes()).toEqual([3, 1]);
  });

  it('fails a KMSDisabledException entry at once with a non-retryable PutFailedError', async () => {
    const { clock, fake, producer } = await startProducer();
    fake.onEntry = () => ({ errorCode: 'KMSDisabledException', errorMessage: 'key disabled' });
    const put = track(producer.put(rec('a')), clock);
    await clock.advance(10_000);
    expect(fake.putRequests).toHaveLength(1);
    expect(put.error).toBeInstanceOf(PutFailedError);
    const error = put.error as PutFailedError;
    expect(error.errorCode).toBe('KMSDisabledException');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toHaveLength(1);
    expect(error.context).toMatchObject({ streamName: 'test-stream', partitionKey: 'a' });
    expect(put.settledAt).toBe(100);
  });

  it('fails throttled records at once with failIfThrottled', async () => {
    const { clock, fake, producer } = await startProducer({ failIfThrottled: true });
    fake.onEntry = () => THROTTLED;
    const puts = [track(producer.put(rec('a'))), track(producer.put(rec('b')))];
    await clock.advance(10_000);
    expect(fake.putRequests).toHaveLength(1);
    for (const put of puts) {
      expect(put.error).toBeInstanceOf(PutFailedError);
      expect((put.error as PutFailedError).errorCode).toBe('ProvisionedThroughputExceededException');
      expect((put.error as PutFailedError).retryable).toBe(true);
      expect((put.error as PutFailedError).attempts).toHaveLength(1);
    }
  });

  it.each([
    ['an SDK TimeoutError', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }), 'TimeoutError'],
    ['a connection reset', networkError('ECONNRESET'), 'ECONNRESET'],
    ['a 500 InternalFailure', sdkError('InternalFailure', 'oops', 'server', 500), 'InternalFailure'],
    ['a 503 ServiceUnavailable', sdkError('ServiceUnavailable', 'busy', 'server', 503), 'ServiceUnavailable'],
  ])('retries a whole request that fails with %s', async (_, error, code) => {
    const { clock, fake, producer } = await startProducer();
    fake.putRecordsScript.push(error);
    const put = track(producer.put(rec('a')));
    await clock.advance(1000);
    expect(fake.putRequests).toHaveLength(2);
    expect(put.error).toBeUndefined();
    expect(put.value!.attempts.map((attempt) => attempt.errorCode)).toEqual([code, undefined]);
  });

  it('rejects every record of a request that fails with ResourceNotFoundException', async () => {
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 2 } });
    fake.onPutRecords = () => sdkError('ResourceNotFoundException', 'Stream test-stream not found');
    const keys = [...keysForShard(fake, shardIdOf(0), 3, 'p'), ...keysForShard(fake, shardIdOf(1), 3, 'q')];
    const puts = keys.map((key) => track(producer.put(rec(key))));
    await clock.advance(10_000);
    for (const put of puts) {
      expect(put.error).toBeInstanceOf(PutFailedError);
      const error = put.error as PutFailedError;
      expect(error.errorCode).toBe('ResourceNotFoundException');
      expect(error.retryable).toBe(false);
      expect(error.attempts).toHaveLength(1);
      // The cause is core's AwsRequestError, whose own cause is the SDK's error, untouched.
      expect(error.cause).toBeInstanceOf(AwsRequestError);
      expect(error.cause).toMatchObject({ code: 'ResourceNotFoundException', kind: 'fatal', operation: 'PutRecords' });
      expect(((error.cause as AwsRequestError).cause as Error).name).toBe('ResourceNotFoundException');
    }
    expect(producer.outstandingRecords).toBe(0);
  });

  it('treats an unknown 4xx client error as fatal and a 429 as throttling', async () => {
    const { clock, fake, producer } = await startProducer({ failIfThrottled: true });
    fake.putRecordsScript.push(sdkError('SomethingNewException'), sdkError('Whatever', 'slow down', 'client', 429));
    const first = track(producer.put(rec('a')));
    await clock.advance(100);
    const second = track(producer.put(rec('b')));
    await clock.advance(100);
    expect((first.error as PutFailedError).retryable).toBe(false);
    expect((second.error as PutFailedError).errorCode).toBe('Whatever');
    expect((second.error as PutFailedError).retryable).toBe(true);
  });

  it('aborts a request not answered within requestTimeoutMs and retries it', async () => {
    const { clock, fake, producer } = await startProducer({ requestTimeoutMs: 1000 });
    fake.putRecordsScript.push('hang');
    const put = track(producer.put(rec('a')));
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(1);
    await clock.advance(999);
    expect(fake.putRequests[0]!.abortSignal?.aborted).toBe(false);
    await clock.advance(1);
    expect(fake.putRequests[0]!.abortSignal?.aborted).toBe(true);
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(2);
    expect(put.error).toBeUndefined();
    expect(put.value!.attempts[0]).toMatchObject({ startedAt: 100, durationMs: 1000, errorCode: 'DEADLINE_EXCEEDED' });
    expect(put.value!.attempts[1]).toEqual({ startedAt: 1150, durationMs: 0 });
  });

  it('fails a record that keeps failing with RecordExpiredError at its TTL, listing every attempt', async () => {
    const { clock, fake, producer } = await startProducer({ recordTtlMs: 1000, fake: { latencyMs: 5 } });
    fake.onEntry = () => ({ errorCode: 'InternalFailure', errorMessage: 'still broken' });
    const putAt = clock.now();
    const put = track(producer.put(rec('a')), clock);
    await clock.advance(5000);

    expect(put.error).toBeInstanceOf(RecordExpiredError);
    const error = put.error as RecordExpiredError;
    expect(error.attempts).toHaveLength(fake.putRequests.length);
    expect(error.attempts.length).toBeGreaterThanOrEqual(4);
    expect(error.attempts.every((attempt) => attempt.errorCode === 'InternalFailure' && attempt.durationMs === 5)).toBe(true);
    expect(error.attempts.map((attempt) => attempt.startedAt)).toEqual(fake.putRequests.map((request) => request.receivedAt));
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('InternalFailure');
    // Settled at the TTL, give or take the last request's latency.
    expect(put.settledAt! - putAt).toBeGreaterThanOrEqual(1000);
    expect(put.settledAt! - putAt).toBeLessThanOrEqual(1005);
    expect(producer.outstandingRecords).toBe(0);
  });

  it('expires a record the rate limiter never let out, with no attempts', async () => {
    // 1% of a shard: 10 records/s. With aggregation off and 40 records, most wait in the bucket.
    const { clock, producer } = await startProducer({ aggregationEnabled: false, rateLimitPercent: 1, recordTtlMs: 500 });
    const puts = Array.from({ length: 40 }, (_, i) => track(producer.put(rec(`k${i}`)), clock));
    await clock.advance(2000);
    const expired = puts.filter((put) => put.error instanceof RecordExpiredError);
    expect(expired.length).toBeGreaterThan(20);
    for (const put of expired) {
      expect((put.error as RecordExpiredError).attempts).toEqual([]);
      expect(put.settledAt).toBeLessThanOrEqual(510);
    }
    expect(puts.every((put) => put.settled)).toBe(true);
  });

  // Regression test (fixed); the bug was: only records waiting on a token bucket are checked for expiry; a record waiting in
  // the Collector for a free request slot (all maxConcurrentRequests in flight) is sent whenever a
  // slot frees, here 4 s after its TTL, and resolves as if in time.
  it('expires a record that waited past its TTL for a free request slot', async () => {
    const { clock, fake, producer } = await startProducer({ maxConcurrentRequests: 1, requestTimeoutMs: 5000, recordTtlMs: 1000 });
    fake.putRecordsScript.push('hang');
    void producer.put(rec('first')).catch(() => undefined);
    await clock.advance(100);
    expect(fake.putRequests).toHaveLength(1);
    const waiting = track(producer.put(rec('second')), clock);
    const putAt = clock.now();
    await clock.advance(6000);
    expect({ error: waiting.error?.name, resolvedWith: waiting.value?.attempts }).toEqual({ error: 'RecordExpiredError', resolvedWith: undefined });
    expect(waiting.settledAt! - putAt).toBeLessThanOrEqual(1100);
  });

  it('with preserveOrder, a record waiting behind its key\'s record that is out still expires at its own TTL', async () => {
    const { clock, fake, producer } = await startProducer({ preserveOrder: true, requestTimeoutMs: 5000, recordTtlMs: 1000 });
    fake.putRecordsScript.push('hang');
    const first = track(producer.put(rec('k', 'first')), clock);
    await clock.advance(200);
    expect(fake.putRequests).toHaveLength(1);
    // Same key: it may not leave before 'first' is answered, which takes until the request's deadline.
    const second = track(producer.put(rec('k', 'second')), clock);
    const other = track(producer.put(rec('other', 'other')), clock);
    await clock.advance(1500);
    expect(second.error).toBeInstanceOf(RecordExpiredError);
    expect((second.error as RecordExpiredError).attempts).toEqual([]);
    expect(second.settledAt).toBe(1200);
    expect(other.value?.attempts).toHaveLength(1);
    expect(first.settled).toBe(false);
    await clock.advance(5000);
    expect(first.error).toBeInstanceOf(RecordExpiredError);
    expect(fake.userRecords().map((record) => record.data)).toEqual(['other']);
  });

  // Regression test (fixed); the bug was: the last retry is capped to expiresAt − now − 1, so once a record fails at
  // expiresAt − 1 the next delay is 0, and it is re-sent again and again within that millisecond
  // (bounded only by the shard's token bucket: ~1,500 requests at t = 999) instead of expiring.
  it('does not retry in a tight loop in the last millisecond before the TTL', async () => {
    const { clock, fake, producer } = await startProducer({ recordTtlMs: 1000 });
    fake.onEntry = () => ({ errorCode: 'InternalFailure' });
    // Safety net so that the test stays bounded even if the producer loops.
    fake.onPutRecords = (request) => (request.index >= 2000 ? 'hang' : undefined);
    const put = track(producer.put(rec('a')), clock);
    await clock.advance(8000);
    expect(put.error).toBeInstanceOf(RecordExpiredError);
    expect(fake.putRequests.length).toBeLessThan(20);
  });
});
