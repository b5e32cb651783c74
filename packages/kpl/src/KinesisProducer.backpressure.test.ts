import { PutFailedError } from './errors/PutFailedError';
import type { PutResult } from './PutResult';
import type { UserRecordInput } from '@kinesis-toolkit/aggregation';
import { rec, startProducer, track } from '../test/producerHarness';

/** One turn of the event loop, without moving the clock. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KinesisProducer backpressure', () => {
  it("emits 'drain' when room returns after an admission took the last of it (no put ever waited)", async () => {
    const { clock, fake, producer } = await startProducer({ maxOutstandingRecords: 2, aggregationEnabled: false });
    fake.onPutRecords = () => 'hold';
    let drains = 0;
    producer.on('drain', () => drains++);
    track(producer.put(rec('a')));
    track(producer.put(rec('b')));
    expect(producer.hasCapacity).toBe(false);
    await clock.advance(1000);
    while (fake.held.length > 0) fake.held[0]!.answer();
    await clock.advance(0);
    expect(producer.outstandingRecords).toBe(0);
    expect(producer.hasCapacity).toBe(true);
    expect(drains).toBe(1);
  });

  it('holds the (N+1)th put, unadmitted, until one of the N outstanding records settles', async () => {
    const { clock, fake, producer } = await startProducer({ maxOutstandingRecords: 2, aggregationEnabled: false, collectionMaxCount: 1 });
    fake.onPutRecords = () => 'hold';
    const drains: number[] = [];
    producer.on('drain', () => drains.push(clock.now()));

    const first = track(producer.put(rec('a')));
    expect(producer.hasCapacity).toBe(true);
    const second = track(producer.put(rec('b')));
    expect(producer.outstandingRecords).toBe(2);
    expect(producer.hasCapacity).toBe(false);

    const third = track(producer.put(rec('c')));
    expect(producer.outstandingRecords).toBe(2);
    await clock.advance(1000);
    // Only the two admitted records were ever sent.
    expect(fake.putRequests.flatMap((request) => request.entries.map((entry) => entry.partitionKey))).toEqual(['a', 'b']);
    expect(third.settled).toBe(false);

    fake.held[0]!.answer();
    await clock.advance(0);
    expect(first.settled).toBe(true);
    // c took a's place: still at the bound, so no drain yet.
    expect(producer.outstandingRecords).toBe(2);
    expect(producer.hasCapacity).toBe(false);
    expect(drains).toEqual([]);

    fake.held[0]!.answer();
    await clock.advance(0);
    expect(second.settled).toBe(true);
    expect(producer.outstandingRecords).toBe(1);
    expect(producer.hasCapacity).toBe(true);
    expect(drains).toHaveLength(1);

    await clock.advance(100);
    fake.held[0]!.answer();
    await clock.advance(0);
    expect(third.value?.shardId).toBeDefined();
    expect(producer.outstandingRecords).toBe(0);
    expect(drains).toHaveLength(1);
  });

  it('admits waiting puts in FIFO order', async () => {
    const { clock, fake, producer } = await startProducer({ maxOutstandingRecords: 1, aggregationEnabled: false });
    const puts = ['a', 'b', 'c', 'd'].map((key) => track(producer.put(rec(key))));
    await clock.advance(1000);
    expect(puts.every((put) => put.settled && put.error === undefined)).toBe(true);
    expect(fake.putRequests.map((request) => request.entries[0]!.partitionKey)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('bounds outstanding bytes the same way', async () => {
    const { clock, fake, producer } = await startProducer({ maxOutstandingBytes: 100, aggregationEnabled: false });
    const drains: number[] = [];
    producer.on('drain', () => drains.push(clock.now()));
    const first = track(producer.put(rec('a', 59))); // 60 bytes with its key
    expect(producer.outstandingBytes).toBe(60);
    const second = track(producer.put(rec('b', 59)));
    expect(producer.outstandingBytes).toBe(60);
    expect(producer.outstandingRecords).toBe(1);
    expect(producer.hasCapacity).toBe(false);

    await clock.advance(100);
    expect(first.settled).toBe(true);
    expect(producer.outstandingBytes).toBe(60);
    expect(drains).toEqual([100]);
    await clock.advance(100);
    expect(second.settled).toBe(true);
    expect(producer.outstandingBytes).toBe(0);
    expect(fake.putRequests).toHaveLength(2);
  });

  it('admits a record larger than maxOutstandingBytes when nothing else is outstanding', async () => {
    const { clock, producer } = await startProducer({ maxOutstandingBytes: 10 });
    const put = track(producer.put(rec('a', 100)));
    expect(producer.outstandingRecords).toBe(1);
    await clock.advance(100);
    expect(put.error).toBeUndefined();
  });

  // Regression test (fixed); the bug was: hasCapacity checks #hasRoom(0), so at exactly maxOutstandingBytes it says true,
  // yet any put (at least one byte: partition keys are non-empty) waits.
  it('reports no capacity when outstanding bytes are exactly at the bound', async () => {
    const { producer } = await startProducer({ maxOutstandingBytes: 10 });
    void producer.put(rec('a', 9)); // exactly 10 bytes
    expect(producer.outstandingBytes).toBe(10);
    const capacity = producer.hasCapacity;
    void producer.put(rec('b', 0)); // 1 byte
    expect(producer.outstandingRecords).toBe(1); // it waits…
    expect(capacity).toBe(false); // …so there was no capacity
  });
});

describe('KinesisProducer.createWriteStream', () => {
  it('returns false from write() when full, emits drain later, and end() finishes after every record settled', async () => {
    const { clock, fake, producer } = await startProducer({ maxOutstandingRecords: 2, aggregationEnabled: false });
    fake.onPutRecords = () => 'hold';
    const stream = producer.createWriteStream({ highWaterMark: 2 });
    const drains: number[] = [];
    stream.on('drain', () => drains.push(clock.now()));

    const writes: boolean[] = [];
    for (const key of ['a', 'b', 'c', 'd']) {
      writes.push(stream.write(rec(key)));
      await tick();
    }
    // a and b are admitted; c waits for room inside _write, d waits in the stream's buffer.
    expect(writes).toEqual([true, true, true, false]);
    expect(producer.outstandingRecords).toBe(2);

    const answerAll = async () => {
      await clock.advance(100);
      while (fake.held.length > 0) fake.held[0]!.answer();
      await clock.advance(0);
    };
    for (let i = 0; i < 10 && drains.length === 0; i++) await answerAll();
    expect(drains).toHaveLength(1);

    let finished = false;
    stream.end(() => (finished = true));
    for (let i = 0; i < 10 && !finished; i++) await answerAll();
    expect(finished).toBe(true);
    expect(producer.outstandingRecords).toBe(0);
    expect(fake.userRecords().map((record) => record.partitionKey).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('destroys the stream with the error of a failing record', async () => {
    const { clock, fake, producer } = await startProducer();
    fake.onEntry = (entry) => (entry.userRecords.some((user) => user.partitionKey === 'bad') ? { errorCode: 'KMSDisabledException' } : undefined);
    const stream = producer.createWriteStream();
    const errors: Error[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.write(rec('good'));
    stream.write(rec('bad'));
    await clock.advance(100);
    await tick();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PutFailedError);
    expect(stream.destroyed).toBe(true);
  });

  it('reports failures to onSettled instead, and keeps the stream going', async () => {
    const { clock, fake, producer } = await startProducer({ aggregationEnabled: false });
    fake.onEntry = (entry) => (entry.partitionKey === 'bad' ? { errorCode: 'KMSDisabledException' } : undefined);
    const settled: Array<[string, string | undefined, PutResult | undefined]> = [];
    const stream = producer.createWriteStream({
      onSettled: (record: UserRecordInput, error, result) => settled.push([record.partitionKey, error?.name, result]),
    });
    const errors: Error[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.write(rec('good'));
    stream.write(rec('bad'));
    let finished = false;
    stream.end(() => (finished = true));
    await clock.advance(100);
    await tick();
    expect(errors).toEqual([]);
    expect(finished).toBe(true);
    expect(settled.map(([key, error]) => [key, error])).toEqual([
      ['good', undefined],
      ['bad', 'PutFailedError'],
    ]);
    expect(settled[0]![2]?.shardId).toBeDefined();
  });

  it('destroys the stream with an InvalidRecordError for a malformed record written to it', async () => {
    const { clock, producer } = await startProducer();
    const stream = producer.createWriteStream();
    const errors: Error[] = [];
    stream.on('error', (error) => errors.push(error));
    stream.write({ partitionKey: '', data: Buffer.from('x') });
    await clock.advance(0);
    expect(errors.map((error) => error.name)).toEqual(['InvalidRecordError']);
  });
});
