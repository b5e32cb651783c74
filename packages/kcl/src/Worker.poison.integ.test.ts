import { createHash } from 'node:crypto';
import { PutRecordCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { aggregate, KPL_AGGREGATION_MAGIC } from '@kinesis-toolkit/aggregation';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { Worker } from './Worker';
import type { WorkerEvents } from './lifecycle/WorkerEvents';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';

// A poison record on a real stream: the KPL magic, 10,000 bytes of protobuf start-group tags
// (0x23: field 4, wire type 3 — groups nested 10,000 deep, never closed) and a correct MD5, so it
// passes the checksum and reaches the protobuf decoder. A recursive decoder overflows its stack on
// it: the shard's consumer dies, the lease is taken again and dies again, and not even the records
// before it are delivered. It must be delivered raw (a corrupt aggregate) in its place, the
// checkpoint must move past it, and the records after it must follow.

let stack: TestStack;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

const POISON_BODY = Buffer.alloc(10_000, 0x23);
const POISON = Buffer.concat([Buffer.from(KPL_AGGREGATION_MAGIC), POISON_BODY, createHash('md5').update(POISON_BODY).digest()]);

/** Puts one Kinesis record, ordered after the previous one; returns its sequence number. */
async function put(kinesis: KinesisClient, streamName: string, data: Uint8Array, partitionKey: string, after: string | undefined): Promise<string> {
  const out = await kinesis.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: partitionKey, Data: data, SequenceNumberForOrdering: after }));
  return out.SequenceNumber!;
}

/** An aggregate of user records `ids` (two or more), as a KPL producer would send it. */
function aggregateOf(ids: string[]): Buffer {
  const [only, ...rest] = aggregate(ids.map((id) => ({ partitionKey: `key-${id}`, data: Buffer.from(id) })));
  if (only === undefined || rest.length > 0 || !only.aggregated) throw new Error('expected one aggregate');
  return only.data;
}

describe('Worker on a shard holding a poison record (kinesalite, dynalite)', () => {
  it('delivers every record in order — the poison one raw, reported corrupt — checkpoints past it, and keeps the shard alive', async () => {
    const kinesis = stack.kinesis.client;
    const streamName = uniqueName('kcl-poison');
    const applicationName = uniqueName('app');
    await createStream(kinesis, streamName, 1);

    // Good records (aggregated and plain), the poison record, good records again.
    let last: string | undefined;
    last = await put(kinesis, streamName, aggregateOf(['good-0', 'good-1', 'good-2']), 'a', last);
    last = await put(kinesis, streamName, Buffer.from('good-3'), 'plain', last);
    const poisonSequenceNumber = (last = await put(kinesis, streamName, POISON, 'poison', last));
    last = await put(kinesis, streamName, Buffer.from('good-4'), 'plain', last);
    last = await put(kinesis, streamName, aggregateOf(['good-5', 'good-6']), 'a', last);
    const lastSequenceNumber = last;
    const expected = ['good-0', 'good-1', 'good-2', 'good-3', POISON.toString('latin1'), 'good-4', 'good-5', 'good-6'];

    const recorder = new Recorder();
    const corrupt: WorkerEvents['corruptRecord'][0][] = [];
    const shardErrors: unknown[] = [];
    const worker = new Worker({
      streamName,
      applicationName,
      workerId: 'w1',
      kinesisClient: kinesis,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(recorder, 'w1'),
    });
    worker.on('corruptRecord', (event) => corrupt.push(event));
    worker.on('shardError', (error) => shardErrors.push(error));
    await worker.start();
    try {
      await waitFor(() => recorder.records.length >= expected.length, { timeoutMs: 20_000, description: `all ${expected.length} records` });
    } finally {
      await worker.shutdown(); // the processor checkpoints at shutdown too
    }

    expect(recorder.records.map((r) => r.data.toString('latin1'))).toEqual(expected);
    const poison = recorder.records[4]!;
    expect(poison.data.equals(POISON)).toBe(true);
    expect(poison).toMatchObject({ sequenceNumber: poisonSequenceNumber, subSequenceNumber: 0, aggregated: false, partitionKey: 'poison' });
    expect(corrupt).toEqual([{ shardId: 'shardId-000000000000', sequenceNumber: poisonSequenceNumber, reason: expect.stringMatching(/truncated/) }]);
    expect(shardErrors).toEqual([]);
    expect(recorder.lifecycle.filter((event) => event.endsWith(':initialize'))).toHaveLength(1); // never re-taken after a crash

    // The checkpoint passed the poison record: a new worker of the application starts after the last record.
    const again = new Recorder();
    const second = new Worker({
      streamName,
      applicationName,
      workerId: 'w2',
      kinesisClient: kinesis,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      idleTimeBetweenReadsMs: 200,
      processorFactory: () => new RecordingProcessor(again, 'w2', { checkpointAtShutdown: false }),
    });
    await second.start();
    try {
      await waitFor(() => again.initialized.length >= 1, { timeoutMs: 15_000, description: 'the second worker to take the shard' });
    } finally {
      await second.shutdown();
    }
    expect(again.initialized[0]!.startingSequenceNumber).toEqual({ sequenceNumber: lastSequenceNumber, subSequenceNumber: 1 });
    expect(BigInt(lastSequenceNumber)).toBeGreaterThan(BigInt(poisonSequenceNumber));
  }, 60_000);
});
