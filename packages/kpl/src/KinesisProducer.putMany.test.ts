import { InvalidRecordError } from '@kinesis-toolkit/aggregation';
import { ProducerClosedError } from './errors/ProducerClosedError';
import { PutFailedError } from './errors/PutFailedError';
import { keysForShard, rec, startProducer, track } from '../test/producerHarness';
import { sdkError, shardIdOf } from '../test/FakeKinesisClient';

describe('KinesisProducer.putMany', () => {
  it('settles each record as put() would, outcomes at their input indexes: one aggregate, sub-sequence numbers in order', async () => {
    const { clock, fake, producer } = await startProducer({ fake: { shardCount: 2 } });
    const keys = keysForShard(fake, shardIdOf(1), 3);
    const many = track(producer.putMany(keys.map((key) => rec(key))));
    await clock.advance(100);
    expect(many.settled).toBe(true);
    const outcomes = many.value!;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    const results = outcomes.map((outcome) => (outcome as PromiseFulfilledResult<{ shardId: string; sequenceNumber: string; subSequenceNumber: number; aggregated: boolean }>).value);
    expect(results.map((result) => result.subSequenceNumber)).toEqual([0, 1, 2]);
    expect(new Set(results.map((result) => result.sequenceNumber)).size).toBe(1);
    expect(results.every((result) => result.shardId === shardIdOf(1) && result.aggregated)).toBe(true);
    expect(fake.userRecords(shardIdOf(1)).map((record) => record.partitionKey)).toEqual(keys);
    expect(producer.outstandingRecords).toBe(0);
  });

  it('gives a bad record its InvalidRecordError at its index and still sends the others', async () => {
    const { clock, fake, producer } = await startProducer();
    const many = track(producer.putMany([rec('a'), { partitionKey: '', data: Buffer.from('x') }, rec('c')]));
    await clock.advance(100);
    const [first, bad, last] = many.value!;
    expect(first!.status).toBe('fulfilled');
    expect(last!.status).toBe('fulfilled');
    expect(bad!.status).toBe('rejected');
    expect((bad as PromiseRejectedResult).reason).toBeInstanceOf(InvalidRecordError);
    expect(((bad as PromiseRejectedResult).reason as InvalidRecordError).field).toBe('partitionKey');
    expect(fake.userRecords().map((record) => record.partitionKey).sort()).toEqual(['a', 'c']);
  });

  it('reports a PutRecords failure in the outcomes and never rejects', async () => {
    const { clock, fake, producer } = await startProducer();
    fake.onPutRecords = () => sdkError('ResourceNotFoundException', 'Stream test-stream not found');
    const many = track(producer.putMany([rec('a'), rec('b')]));
    await clock.advance(10_000);
    expect(many.error).toBeUndefined();
    for (const outcome of many.value!) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(PutFailedError);
    }
    expect(producer.outstandingRecords).toBe(0);
  });

  it('after close() gives every record ProducerClosedError, without throwing or rejecting', async () => {
    const { producer } = await startProducer();
    await producer.close();
    let returned: ReturnType<typeof producer.putMany> | undefined;
    expect(() => (returned = producer.putMany([rec('a'), rec('b')]))).not.toThrow();
    const outcomes = await returned!;
    expect(outcomes.map((outcome) => (outcome as PromiseRejectedResult).reason)).toEqual([expect.any(ProducerClosedError), expect.any(ProducerClosedError)]);
  });

  it('lets records beyond maxOutstandingRecords wait for room, as puts do, and flush() covers them', async () => {
    const { clock, fake, producer } = await startProducer({ recordMaxBufferedTimeMs: 60_000, maxOutstandingRecords: 2 });
    const many = track(producer.putMany(['a', 'b', 'c', 'd', 'e'].map((key) => rec(key))));
    expect(producer.outstandingRecords).toBe(2);
    expect(producer.hasCapacity).toBe(false);
    const flushed = track(producer.flush());
    await clock.advance(0);
    expect(flushed.settled).toBe(true);
    expect(many.value!.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(fake.userRecords()).toHaveLength(5);
  });

  it('resolves at once with no outcomes for no records', async () => {
    const { producer } = await startProducer();
    await expect(producer.putMany([])).resolves.toEqual([]);
    expect(producer.outstandingRecords).toBe(0);
  });
});
