import { AggregateBuilder, InvalidRecordError, RecordTooLargeError, type UserRecordInput } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { ProducerClosedError } from './errors/ProducerClosedError';
import { RecordExpiredError } from './errors/RecordExpiredError';
import type { ProducerMetric } from './events/ProducerEvents';
import { rec, startProducer, track } from '../test/producerHarness';

describe('KinesisProducer.put validation', () => {
  it.each<[string, unknown, string]>([
    ['an empty partition key', { partitionKey: '', data: Buffer.from('x') }, 'partitionKey'],
    ['a 257-character partition key', { partitionKey: 'k'.repeat(257), data: Buffer.from('x') }, 'partitionKey'],
    ['a numeric partition key', { partitionKey: 7, data: Buffer.from('x') }, 'partitionKey'],
    ['string data', { partitionKey: 'k', data: 'text' }, 'data'],
    ['a non-decimal explicit hash key', { partitionKey: 'k', data: Buffer.from('x'), explicitHashKey: '0x10' }, 'explicitHashKey'],
    ['an explicit hash key above 2^128 - 1', { partitionKey: 'k', data: Buffer.from('x'), explicitHashKey: (MAX_HASH_KEY + 1n).toString() }, 'explicitHashKey'],
    ['null', null, 'record'],
  ])('rejects %s with an InvalidRecordError naming the field, without throwing', async (_, record, field) => {
    const { producer } = await startProducer();
    let returned: Promise<unknown> | undefined;
    expect(() => (returned = producer.put(record as UserRecordInput))).not.toThrow();
    const error = await returned!.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRecordError);
    expect((error as InvalidRecordError).field).toBe(field);
    expect((error as InvalidRecordError).retryable).toBe(false);
    expect(producer.outstandingRecords).toBe(0);
  });

  it('rejects a record over maxRecordBytes (data plus key) with RecordTooLargeError', async () => {
    const { producer } = await startProducer({ maxRecordBytes: 100 });
    const error = await producer.put(rec('kk', 99)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RecordTooLargeError);
    expect(error).toMatchObject({ sizeBytes: 101, limitBytes: 100, field: 'record' });
  });

  it('accepts a record of exactly maxRecordBytes, and sends one over aggregationMaxBytes alone', async () => {
    const { clock, fake, producer } = await startProducer({ maxRecordBytes: 100_000 });
    const big = track(producer.put(rec('k', 100_000 - 1)));
    const small = track(producer.put(rec('j', 10)));
    await clock.advance(100);
    expect(big.error).toBeUndefined();
    expect(big.value?.aggregated).toBe(false);
    expect(small.error).toBeUndefined();
    expect(fake.putRequests.flatMap((request) => request.entries)).toHaveLength(2);
  });

  const maxBytes = 1000;
  const explicitHashKey = MAX_HASH_KEY.toString();
  /** A data length whose record passes the packer's `bytes + 64` check but cannot fit an aggregate. */
  const dataLength = (() => {
    for (let n = maxBytes; n > 0; n--) {
      const record = { partitionKey: 'k', data: Buffer.alloc(n), explicitHashKey };
      if (n + 1 + 64 <= maxBytes && new AggregateBuilder({ maxBytes }).sizeWith(record) > maxBytes) return n;
    }
    throw new Error('no such length');
  })();

  // Regression test (fixed); the bug was: RecordPacker sends a record alone only when `bytes + 64 > aggregationMaxBytes`,
  // but with a 39-digit explicit hash key an aggregate's overhead is ~76 bytes. A record in
  // between goes to AggregateBuilder.tryAdd(), which throws RecordTooLargeError out of the
  // dispatcher's timer callback: the put never settles (with the system clock: an uncaught
  // exception).
  it('sends a record with an explicit hash key that barely fits aggregationMaxBytes', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationMaxBytes: maxBytes });
    const put = track(producer.put({ partitionKey: 'k', data: Buffer.alloc(dataLength), explicitHashKey }));
    await expect(clock.advance(100)).resolves.toBeUndefined();
    expect(put.error).toBeUndefined();
    expect(put.settled).toBe(true);
    expect(fake.userRecords()).toHaveLength(1);
  });

  // Regression test (fixed), same cause as above: when a put fills a buffer, add() packs it synchronously, and the
  // RecordTooLargeError thrown by AggregateBuilder.tryAdd() escapes from put() itself.
  it('never throws from put() when a barely-fitting record with an explicit hash key fills a buffer', async () => {
    const { clock, producer } = await startProducer({ aggregationMaxBytes: maxBytes });
    void producer.put(rec('first', 100));
    let second: Promise<unknown> | undefined;
    expect(() => (second = producer.put({ partitionKey: 'k', data: Buffer.alloc(dataLength), explicitHashKey }))).not.toThrow();
    const settled = track(second!);
    await clock.advance(100).catch(() => undefined);
    expect(settled.error).toBeUndefined();
  });

  it('rejects put() after close() with ProducerClosedError, without throwing', async () => {
    const { producer } = await startProducer();
    await producer.close();
    let returned: Promise<unknown> | undefined;
    expect(() => (returned = producer.put(rec('a')))).not.toThrow();
    const error = await returned!.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProducerClosedError);
    expect((error as ProducerClosedError).context).toMatchObject({ streamName: 'test-stream' });
  });
});

describe('KinesisProducer.flush and close', () => {
  it('flush() sends at once, without waiting for deadlines, and resolves when earlier puts have settled', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000 });
    const puts = ['a', 'b', 'c'].map((key) => track(producer.put(rec(key))));
    const start = clock.now();
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(flushed.settled).toBe(true);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
    expect(fake.putRequests.map((request) => request.receivedAt)).toEqual([start]);
    expect(producer.outstandingRecords).toBe(0);
  });

  it('flush() waits for retries of earlier puts', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000 });
    let throttled = false;
    fake.onEntry = () => (throttled ? undefined : ((throttled = true), { errorCode: 'ProvisionedThroughputExceededException' }));
    const put = track(producer.put(rec('a')));
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(flushed.settled).toBe(false);
    await clock.advance(50); // random 0.5 × 100 ms
    expect(put.value?.attempts).toHaveLength(2);
    expect(flushed.settled).toBe(true);
  });

  it('flush() does not wait for puts made after it', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000 });
    fake.onPutRecords = (request) => (request.entries.some((entry) => entry.partitionKey === 'later') ? 'hold' : undefined);
    const before = track(producer.put(rec('before')));
    const flushed = track(producer.flush());
    const later = track(producer.put(rec('later')));
    await clock.advance(10);
    expect(before.settled).toBe(true);
    expect(flushed.settled).toBe(true);
    expect(later.settled).toBe(false);
  });

  it('flush() resolves at once when nothing is outstanding', async () => {
    const { clock, producer } = await startProducer();
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(flushed.settled).toBe(true);
  });

  it('flush() also covers puts still waiting for room', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000, maxOutstandingRecords: 1 });
    const puts = ['a', 'b', 'c'].map((key) => track(producer.put(rec(key))));
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(flushed.settled).toBe(true);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
    expect(fake.putRequests).toHaveLength(3);
  });

  it('flush() settles with failures too: it never rejects', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000 });
    fake.onEntry = () => ({ errorCode: 'AccessDeniedException' });
    const put = track(producer.put(rec('a')));
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(put.error?.name).toBe('PutFailedError');
    expect(flushed.settled && flushed.error === undefined).toBe(true);
  });

  it('close() flushes, is idempotent, and leaves no timers behind', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000 });
    const destroy = jest.spyOn(fake, 'destroy');
    const put = track(producer.put(rec('a')));
    const first = producer.close();
    const second = producer.close();
    expect(second).toBe(first);
    const closed = track(first);
    await clock.advance(0);
    expect(closed.settled).toBe(true);
    expect(put.value?.shardId).toBeDefined();
    await expect(producer.close()).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
    // The client was the caller's: not ours to destroy.
    expect(destroy).not.toHaveBeenCalled();
  });

  // Regression test (fixed); the bug was: Dispatcher.stop() does not abort a ListShards in flight, so its
  // requestTimeoutMs abort timer (6 s by default; with the system clock, a ref'd Node timer)
  // outlives close() and keeps the process alive.
  it('close() leaves no timers behind while ListShards never answers (the held record expires at its TTL)', async () => {
    const { clock, producer } = await startProducer({
      recordTtlMs: 20_000,
      waitForShardMap: false,
      beforeStart: (fake) => fake.listShardsScript.push(...Array.from({ length: 100 }, () => 'hang' as const)),
    });
    const put = track(producer.put(rec('a')));
    const closed = track(producer.close());
    await clock.advance(19_999);
    expect(put.settled || closed.settled).toBe(false);
    await clock.advance(1);
    expect(put.error).toBeInstanceOf(RecordExpiredError);
    expect(closed.settled).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('close() rejects puts made while it is flushing', async () => {
    const { clock, fake, producer } = await startProducer();
    fake.onPutRecords = () => 'hold';
    void producer.put(rec('a'));
    const closed = track(producer.close());
    const late = track(producer.put(rec('b')));
    await clock.advance(0);
    expect(late.error).toBeInstanceOf(ProducerClosedError);
    expect(closed.settled).toBe(false);
    fake.held[0]!.answer();
    await clock.advance(0);
    expect(closed.settled).toBe(true);
  });
});

describe('KinesisProducer metrics', () => {
  const byName = (metrics: ProducerMetric[], name: string) => metrics.filter((metric) => metric.name === name);

  it('emits the KPL metrics for a throttled-then-successful aggregate', async () => {
    const { clock, fake, producer, metrics } = await startProducer({ collectMetrics: true, fake: { latencyMs: 5 } });
    let throttled = false;
    fake.onEntry = () => (throttled ? undefined : ((throttled = true), { errorCode: 'ProvisionedThroughputExceededException' }));
    const start = clock.now();
    const puts = ['a', 'b', 'c'].map((key) => producer.put(rec(key)));
    await clock.advance(1000);
    await Promise.all(puts);
    const shardId = (await puts[0]!).shardId;

    expect(byName(metrics, 'UserRecordsPut').map((metric) => [metric.value, metric.shardId])).toEqual([
      [1, shardId],
      [1, shardId],
      [1, shardId],
    ]);
    expect(byName(metrics, 'KinesisRecordsPut').map((metric) => metric.value)).toEqual([0, 1]);
    expect(byName(metrics, 'UserRecordsPerKinesisRecord').map((metric) => metric.value)).toEqual([3, 3]);
    expect(byName(metrics, 'KinesisRecordsPerPutRecordsRequest').map((metric) => metric.value)).toEqual([1, 1]);
    expect(byName(metrics, 'RetriesPerRecord').map((metric) => metric.value)).toEqual([1, 1, 1]);
    expect(byName(metrics, 'ErrorsByCode').map((metric) => [metric.value, metric.errorCode])).toEqual([[1, 'ProvisionedThroughputExceededException']]);
    expect(byName(metrics, 'RequestTime').map((metric) => [metric.value, metric.unit])).toEqual([
      [5, 'Milliseconds'],
      [5, 'Milliseconds'],
    ]);
    // Per record and attempt: 100 ms buffered, then the 50 ms backoff.
    expect(byName(metrics, 'BufferingTime').map((metric) => metric.value)).toEqual([100, 50, 100, 50, 100, 50]);
    expect(byName(metrics, 'UserRecordExpired')).toEqual([]);
    for (const metric of metrics) {
      expect(metric.unit).toBe(metric.name === 'RequestTime' || metric.name === 'BufferingTime' ? 'Milliseconds' : 'Count');
      expect(metric.timestamp).toBeGreaterThanOrEqual(start);
    }
  });

  it('counts expired records and request errors by code', async () => {
    const { clock, fake, producer, metrics } = await startProducer({ collectMetrics: true, recordTtlMs: 300, fake: { latencyMs: 2 } });
    fake.onPutRecords = () => Object.assign(new Error('reset'), { code: 'ECONNRESET' });
    const put = track(producer.put(rec('a')));
    await clock.advance(1000);
    expect(put.error).toBeInstanceOf(RecordExpiredError);
    expect(byName(metrics, 'UserRecordExpired').map((metric) => metric.value)).toEqual([1]);
    expect(byName(metrics, 'UserRecordsPut').map((metric) => metric.value)).toEqual([0]);
    const errors = byName(metrics, 'ErrorsByCode');
    expect(errors.length).toBe(fake.putRequests.length);
    expect(errors.every((metric) => metric.errorCode === 'ECONNRESET')).toBe(true);
  });

  it('emits nothing while nobody listens, and starts when someone does', async () => {
    const { clock, producer } = await startProducer();
    const seen: ProducerMetric[] = [];
    void producer.put(rec('a'));
    await clock.advance(100);
    expect(producer.listenerCount('metric')).toBe(0);
    producer.on('metric', (metric) => seen.push(metric));
    void producer.put(rec('b'));
    await clock.advance(100);
    expect(seen.some((metric) => metric.name === 'UserRecordsPut')).toBe(true);
  });
});
