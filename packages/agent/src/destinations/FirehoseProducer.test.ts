import type { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { ManualClock } from '@kinesis-toolkit/core';
import { AgentError } from '../errors/AgentError';
import { FirehoseProducer } from './FirehoseProducer';

type Answer = (records: Buffer[], call: number) => { ErrorCode?: string; ErrorMessage?: string }[] | Error;

/** A FirehoseClient stand-in (no server): records each PutRecordBatch and answers as the test says. */
function fakeClient(answer: Answer) {
  const calls: Buffer[][] = [];
  const client = {
    send: async (command: PutRecordBatchCommand) => {
      const records = (command.input.Records ?? []).map((r) => Buffer.from(r.Data!));
      calls.push(records);
      const result = answer(records, calls.length);
      if (result instanceof Error) throw result;
      return { FailedPutCount: result.filter((r) => r.ErrorCode).length, RequestResponses: result.map((r, i) => (r.ErrorCode ? r : { RecordId: `id-${calls.length}-${i}` })) };
    },
  };
  return { client: client as unknown as FirehoseClient, calls };
}

const ok: Answer = (records) => records.map(() => ({}));
const settle = async (clock: ManualClock, ms = 0) => {
  await clock.advance(ms);
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('FirehoseProducer (fake client, manual clock)', () => {
  it('sends a batch when 500 records are buffered, and the rest after maxBufferedTimeMs', async () => {
    const clock = new ManualClock();
    const { client, calls } = fakeClient(ok);
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock, maxBufferedTimeMs: 1000 });
    const puts = Array.from({ length: 501 }, (_, i) => producer.put({ data: Buffer.from(`r${i}\n`) }));
    await settle(clock);
    expect(calls.map((c) => c.length)).toEqual([500]);
    await settle(clock, 999);
    expect(calls).toHaveLength(1);
    await settle(clock, 1);
    expect(calls.map((c) => c.length)).toEqual([500, 1]);
    await expect(Promise.all(puts)).resolves.toHaveLength(501);
  });

  it('never sends more than 4 MiB in one PutRecordBatch', async () => {
    const clock = new ManualClock();
    const { client, calls } = fakeClient(ok);
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock });
    const big = Buffer.alloc(1_000_000, 1);
    const puts = Array.from({ length: 9 }, () => producer.put({ data: big }));
    await producer.flush();
    await Promise.all(puts);
    expect(calls.map((c) => c.length)).toEqual([4, 4, 1]);
    for (const call of calls) expect(call.reduce((n, r) => n + r.length, 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
  });

  it('rejects a record over 1,000 KiB at put, without sending it', async () => {
    const { client, calls } = fakeClient(ok);
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock: new ManualClock() });
    const error = await producer.put({ data: Buffer.alloc(1_024_001) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({ code: 'RecordTooLarge', retryable: false });
    expect(calls).toEqual([]);
  });

  it('retries only the records Firehose failed with a retryable ErrorCode, after a backoff, until they are acknowledged', async () => {
    const clock = new ManualClock();
    const { client, calls } = fakeClient((records, call) => records.map((r) => (call === 1 && r.toString() === 'b' ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'slow down' } : {})));
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock, random: () => 0.5, retry: { baseDelayMs: 100, maxDelayMs: 1000 } });
    const puts = ['a', 'b', 'c'].map((text) => producer.put({ data: Buffer.from(text) }));
    const flushed = producer.flush();
    await settle(clock);
    expect(calls.map((c) => c.map(String))).toEqual([['a', 'b', 'c']]);
    await settle(clock, 50); // full jitter: 0.5 × 100 ms
    await flushed;
    expect(calls.map((c) => c.map(String))).toEqual([['a', 'b', 'c'], ['b']]);
    expect((await Promise.all(puts)).map((r) => r.attempts)).toEqual([1, 2, 1]);
  });

  it('fails a record at once for a fatal ErrorCode, and a retried record once its TTL passes', async () => {
    const clock = new ManualClock();
    const { client } = fakeClient((records) => records.map((r) => (r.toString() === 'bad' ? { ErrorCode: 'InvalidArgumentException' } : { ErrorCode: 'InternalFailure' })));
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock, recordTtlMs: 1000, random: () => 1 });
    const bad = producer.put({ data: Buffer.from('bad') }).catch((e: unknown) => e);
    const slow = producer.put({ data: Buffer.from('slow') }).catch((e: unknown) => e);
    void producer.flush();
    await settle(clock);
    expect(await bad).toMatchObject({ code: 'FirehoseRecordFailed', retryable: false, context: { errorCode: 'InvalidArgumentException' } });
    for (let i = 0; i < 20 && producer.outstanding > 0; i++) await settle(clock, 200);
    expect(await slow).toMatchObject({ code: 'RecordExpired' });
  });

  it('fails every record of a request refused for good (the delivery stream does not exist)', async () => {
    const clock = new ManualClock();
    const missing = Object.assign(new Error('Firehose d not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } });
    const { client, calls } = fakeClient(() => missing);
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock });
    const results = await Promise.all([producer.put({ data: Buffer.from('x') }), producer.put({ data: Buffer.from('y') }), producer.flush()].map((p) => p.catch((e: unknown) => e)));
    expect(results.slice(0, 2)).toEqual([expect.objectContaining({ code: 'FirehoseRecordFailed' }), expect.objectContaining({ code: 'FirehoseRecordFailed' })]);
    expect(calls).toHaveLength(1);
  });

  it('reports no capacity at maxOutstandingRecords and emits drain when a record settles', async () => {
    const clock = new ManualClock();
    const { client } = fakeClient(ok);
    const producer = new FirehoseProducer({ deliveryStreamName: 'd', client, clock, maxOutstandingRecords: 2 });
    const drained = jest.fn();
    producer.on('drain', drained);
    void producer.put({ data: Buffer.from('1') });
    void producer.put({ data: Buffer.from('2') });
    expect(producer.hasCapacity).toBe(false);
    await producer.flush();
    expect(producer.hasCapacity).toBe(true);
    expect(drained).toHaveBeenCalledTimes(1);
  });
});
