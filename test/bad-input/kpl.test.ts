/**
 * Bad input to @kinesis-toolkit/kpl: producer options and records. Options are refused by the
 * constructor; a bad record's put() rejects with an error naming the field — every put()
 * settles, at once, and the producer goes on with the good ones.
 *
 * @jest-environment ./test/bad-input/support/trackingEnvironment.js
 */
import { KinesisProducer, type ProducerOptions } from '@kinesis-toolkit/kpl';
import { describeOutcome, expectTypedError, failOnUnhandledRejections, outcomeOf } from './support/badInput';
import { fakeKinesisClient } from './support/fakeKinesis';

failOnUnhandledRejections();

const valid = (): ProducerOptions => ({ streamName: 'orders', kinesisClient: fakeKinesisClient() as never });
const data = Buffer.from('payload');

describe('kpl: producer options', () => {
  it.each([
    ['no streamName nor streamARN', { streamName: undefined }, 'streamName'],
    ['streamName 5', { streamName: 5 }, 'streamName'],
    ['kinesisClient: {}', { kinesisClient: {} }, 'kinesisClient'],
    ['random: 5', { random: 5 }, 'random'],
    ['recordTtlMs NaN', { recordTtlMs: Number.NaN }, 'recordTtlMs'],
    ['recordTtlMs -1', { recordTtlMs: -1 }, 'recordTtlMs'],
    ['an unknown option (recordTTLMs), with a suggestion', { recordTTLMs: 1000 }, 'recordTtlMs'],
    ["rateLimitPercent 'fast'", { rateLimitPercent: 'fast' }, 'rateLimitPercent'],
    ['aggregationMaxCount 0', { aggregationMaxCount: 0 }, 'aggregationMaxCount'],
    ['maxOutstandingRecords 0', { maxOutstandingRecords: 0 }, 'maxOutstandingRecords'],
    ['retry.baseDelayMs -1', { retry: { baseDelayMs: -1 } }, 'baseDelayMs'],
    ['an unknown retry option (maxAttempt), with a suggestion', { retry: { maxAttempt: 3 } }, 'retry'],
    ["logger: 'console'", { logger: 'console' }, 'logger'],
    ['clock: {}', { clock: {} }, 'clock'],
    ['options null', null, 'options'],
  ])('new KinesisProducer({ %s })', async (_, overrides, field) => {
    const options = overrides === null ? null : { ...valid(), ...overrides };
    await expectTypedError(() => new KinesisProducer(options as never), field);
  });
});

describe('kpl: put() of a bad record rejects naming the field, and settles', () => {
  let producer: KinesisProducer;
  beforeEach(() => {
    producer = new KinesisProducer(valid());
  });
  afterEach(async () => {
    const closed = await outcomeOf(() => producer.close());
    if (closed.kind !== 'resolved') throw new Error(`close() did not finish: ${describeOutcome(closed)}`);
  });

  it.each([
    ['null', null, 'record'],
    ["partitionKey ''", { partitionKey: '', data }, 'partitionKey'],
    ['partitionKey 5', { partitionKey: 5, data }, 'partitionKey'],
    ['partitionKey of 257 characters', { partitionKey: 'k'.repeat(257), data }, 'partitionKey'],
    ["data 'text' (a string)", { partitionKey: 'k', data: 'text' }, 'data'],
    ['data missing', { partitionKey: 'k' }, 'data'],
    ["explicitHashKey '0123' (the service rejects it)", { partitionKey: 'k', data, explicitHashKey: '0123' }, 'explicitHashKey'],
    ['explicitHashKey zero-padded to 50 digits', { partitionKey: 'k', data, explicitHashKey: '9'.padStart(50, '0') }, 'explicitHashKey'],
    ['explicitHashKey 2^128', { partitionKey: 'k', data, explicitHashKey: (2n ** 128n).toString() }, 'explicitHashKey'],
    ['data of 1 MiB + 1 byte', { partitionKey: 'k', data: Buffer.alloc(1024 * 1024 + 1) }, 'record'],
  ])('put(%s)', async (_, record, field) => {
    await expectTypedError(() => producer.put(record as never), field);
    // A good record after the bad one still goes through: the bad one broke nothing.
    expect(await outcomeOf(() => producer.put({ partitionKey: 'k', data }))).toMatchObject({ kind: 'resolved' });
  });

  it('put() after close() rejects with a typed error saying the producer is closed', async () => {
    await producer.close();
    await expectTypedError(() => producer.put({ partitionKey: 'k', data }), 'closed');
  });

  it('100 puts mixing good and bad records all settle, bad ones rejected and good ones resolved', async () => {
    const puts = Array.from({ length: 100 }, (_, i) => producer.put(i % 3 === 0 ? ({ partitionKey: '', data } as never) : { partitionKey: `k${i}`, data }));
    const outcomes = await Promise.all(puts.map((put) => outcomeOf(() => put)));
    expect(outcomes.filter((outcome) => outcome.kind === 'hung')).toHaveLength(0);
    expect(outcomes.filter((outcome) => outcome.kind === 'rejected')).toHaveLength(34);
    expect(outcomes.filter((outcome) => outcome.kind === 'resolved')).toHaveLength(66);
  });
});
