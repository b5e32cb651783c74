import { join } from 'node:path';
import type { KinesisStreamHandler } from 'aws-lambda';
import { aggregate as theirAggregate } from 'aws-kinesis-agg';
import { aggregate, type UserRecord } from '@kinesis-toolkit/aggregation';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { readMarkdownTable } from '../../../../test/markdownTable';
import { RecordingLogger } from '../../test/FakeKinesis';
import { lambdaEvent, runMapping, sequenceNumbers, STREAM_ARN, type EventRecordInput } from '../../test/LambdaEvents';
import { ShardProcessingError } from '../errors';
import { KINESIS_HANDLER_DEFAULTS } from './KinesisHandlerOptions';
import { kinesisHandler } from './kinesisHandler';

// kinesisHandler against events in the exact shape Lambda sends (base64 data, kinesis.sequenceNumber,
// eventID, eventSourceARN…), and against a stand-in for the event-source mapping's retry loop that
// implements the rules of the Lambda developer guide (test/LambdaEvents.ts): no Lambda runs here.

const SHARD = 'shardId-000000000006';

/** Plain records p0, p1, … with the given sequence numbers. */
function plain(sequence: readonly string[], prefix = 'p'): EventRecordInput[] {
  return sequence.map((sequenceNumber, i) => ({ data: Buffer.from(`${prefix}${i}`), partitionKey: `key-${prefix}${i}`, sequenceNumber }));
}

/** One KPL aggregate (our aggregate()) of user records `${name}0…` as a Kinesis record. */
function ourAggregate(name: string, count: number, sequenceNumber: string): EventRecordInput {
  const [record, ...rest] = aggregate(Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${name}${i}`, data: Buffer.from(`${name}${i}`) })));
  expect(rest).toHaveLength(0);
  expect(record!.aggregated).toBe(true);
  return { data: record!.data, partitionKey: record!.partitionKey, sequenceNumber };
}

/** One aggregate built by aws-kinesis-agg (the awslabs Node library) of user records `${name}0…`. */
function theirAggregateOf(name: string, count: number, sequenceNumber: string): Promise<EventRecordInput> {
  const input = Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${name}${i}`, data: Buffer.from(`${name}${i}`) }));
  return new Promise((resolve, reject) => {
    const encoded: { partitionKey: string; data: Buffer }[] = [];
    theirAggregate(
      input,
      (record, done) => {
        encoded.push(record);
        done();
      },
      () => (encoded.length === 1 ? resolve({ data: encoded[0]!.data, partitionKey: encoded[0]!.partitionKey, sequenceNumber }) : reject(new Error(`${encoded.length} aggregates`))),
      (error) => reject(error),
    );
  });
}

/** An eachRecord that records what it is handed and fails the named records the first `times` times. */
function failing(names: readonly string[], times = 1) {
  const handed: string[] = [];
  const failuresLeft = new Map(names.map((name) => [name, times]));
  const eachRecord = async ({ record }: { record: UserRecord }) => {
    const name = record.data.toString();
    handed.push(name);
    const left = failuresLeft.get(name) ?? 0;
    if (left > 0) {
      failuresLeft.set(name, left - 1);
      throw new Error(`cannot store ${name}`);
    }
  };
  return { handed, eachRecord };
}

describe('kinesisHandler', () => {
  it('is a KinesisStreamHandler of @types/aws-lambda, and hands plain records over with the shard and stream', async () => {
    const seen: { shardId: string; eventSourceARN: string | undefined; data: string; sequenceNumber: string; subSequenceNumber: number }[] = [];
    const handler: KinesisStreamHandler = kinesisHandler({
      eachRecord: ({ shardId, eventSourceARN, record }) => void seen.push({ shardId, eventSourceARN, data: record.data.toString(), sequenceNumber: record.sequenceNumber, subSequenceNumber: record.subSequenceNumber }),
    });
    const sequence = sequenceNumbers(2);
    const response = await (handler as unknown as (event: unknown) => Promise<unknown>)(lambdaEvent(plain(sequence), SHARD));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(seen).toEqual(plain(sequence).map((record, i) => ({ shardId: SHARD, eventSourceARN: STREAM_ARN, data: `p${i}`, sequenceNumber: record.sequenceNumber, subSequenceNumber: 0 })));
  });

  it('answers an event without records with no failures', async () => {
    const handler = kinesisHandler({ eachBatch: () => undefined });
    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
  });

  it('plain records: reports the first failing record, stops there, and (as Lambda retries from it) nothing before it comes again', async () => {
    const records = plain(sequenceNumbers(6));
    const { handed, eachRecord } = failing(['p2', 'p4']);
    const handler = kinesisHandler({ eachRecord });
    const first = await handler(lambdaEvent(records, SHARD));
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: records[2]!.sequenceNumber }] });
    expect(handed).toEqual(['p0', 'p1', 'p2']);

    handed.length = 0;
    const invocations = await runMapping(records, handler, { batchSize: 6 });
    expect(invocations.map((i) => [i.outcome, i.firstSequenceNumber])).toEqual([
      ['partial', records[0]!.sequenceNumber],
      ['success', records[4]!.sequenceNumber],
    ]);
    // p2 had used its failure above; p4 fails once here: the retry starts at p4.
    expect(handed).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p4', 'p5']);
  });

  it.each([
    ['our aggregate()', (name: string, count: number, sequenceNumber: string) => Promise.resolve(ourAggregate(name, count, sequenceNumber))],
    ['aws-kinesis-agg', theirAggregateOf],
  ])('a failing user record inside an aggregate (%s): reports the aggregate’s sequence number; its earlier sub-records come again, nothing before it', async (_builder, build) => {
    const [s0, s1, s2] = sequenceNumbers(3);
    const records = [plain([s0!], 'p')[0]!, await build('u', 5, s1!), plain([s2!], 'q')[0]!];
    const { handed, eachRecord } = failing(['u3']);
    const handler = kinesisHandler({ eachRecord });

    const response = await handler(lambdaEvent(records, SHARD));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: s1 }] });
    expect(handed).toEqual(['p0', 'u0', 'u1', 'u2', 'u3']);

    handed.length = 0;
    const seen: UserRecord[] = [];
    const invocations = await runMapping(records, kinesisHandler({ eachRecord: (input) => (seen.push(input.record), eachRecord(input)) }), { batchSize: 3 });
    expect(invocations.map((i) => i.outcome)).toEqual(['success']);
    // The sub-records carry their aggregate's sequence number and their index.
    expect(seen.filter((record) => record.aggregated).map((record) => [record.sequenceNumber, record.subSequenceNumber])).toEqual([0, 1, 2, 3, 4].map((i) => [s1, i]));

    // Through the mapping from the start: u0–u2 are handed over twice (the aggregate is retried whole).
    handed.length = 0;
    const again = failing(['u3']);
    const mapped = await runMapping(records, kinesisHandler({ eachRecord: again.eachRecord }), { batchSize: 3 });
    expect(mapped.map((i) => [i.outcome, i.firstSequenceNumber])).toEqual([
      ['partial', s0],
      ['success', s1],
    ]);
    expect(again.handed).toEqual(['p0', 'u0', 'u1', 'u2', 'u3', 'u0', 'u1', 'u2', 'u3', 'u4', 'q0']);
  });

  it('eachBatch: a throw reports the event’s first record, so the whole batch comes again', async () => {
    const [s0, s1] = sequenceNumbers(2);
    const records = [ourAggregate('u', 3, s0!), plain([s1!], 'p')[0]!];
    const batches: string[][] = [];
    let fail = true;
    const handler = kinesisHandler({
      eachBatch: ({ records: userRecords, shardId, eventSourceARN }) => {
        expect({ shardId, eventSourceARN }).toEqual({ shardId: SHARD, eventSourceARN: STREAM_ARN });
        batches.push(userRecords.map((record) => record.data.toString()));
        if (fail) {
          fail = false;
          throw new Error('bulk write failed');
        }
      },
    });
    const invocations = await runMapping(records, handler, { batchSize: 10, shardId: SHARD });
    expect(invocations.map((i) => [i.outcome, i.response])).toEqual([
      ['partial', { batchItemFailures: [{ itemIdentifier: s0 }] }],
      ['success', { batchItemFailures: [] }],
    ]);
    expect(batches).toEqual([
      ['u0', 'u1', 'u2', 'p0'],
      ['u0', 'u1', 'u2', 'p0'],
    ]);
  });

  it('with reportBatchItemFailures false throws a ShardProcessingError (Lambda retries the whole batch) and logs where it stopped', async () => {
    const logger = new RecordingLogger();
    const [s0, s1] = sequenceNumbers(2);
    const handler = kinesisHandler({ reportBatchItemFailures: false, logger, eachRecord: failing(['u1']).eachRecord });
    const error = await handler(lambdaEvent([ourAggregate('u', 2, s0!), plain([s1!])[0]!], SHARD)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShardProcessingError);
    expect((error as ShardProcessingError).message).toBe(`${SHARD}: eachRecord failed: cannot store u1`);
    expect(logger.at('error').map((line) => line.context)).toEqual([{ shardId: SHARD, sequenceNumber: s0, subSequenceNumber: 1, reportBatchItemFailures: false }]);
  });

  it('hands a record with the aggregation magic but a bad MD5 over as it is, and logs it', async () => {
    const logger = new RecordingLogger();
    const [s0] = sequenceNumbers(1);
    const good = ourAggregate('u', 2, s0!);
    const corrupt = Buffer.from(good.data);
    corrupt[corrupt.length - 1] ^= 0xff;
    const handed: UserRecord[] = [];
    const handler = kinesisHandler({ logger, eachRecord: ({ record }) => void handed.push(record) });
    expect(await handler(lambdaEvent([{ ...good, data: corrupt }], SHARD))).toEqual({ batchItemFailures: [] });
    expect(handed).toHaveLength(1);
    expect(handed[0]!.data.equals(corrupt)).toBe(true);
    expect(logger.at('warn').map((line) => line.context.sequenceNumber)).toEqual([s0]);
  });

  it('checks its options when it is made, and the event when it is called', async () => {
    expect(() => kinesisHandler({})).toThrow('eachRecord | eachBatch: expected exactly one of them (the function records are handed to), got "neither"');
    expect(() => kinesisHandler({ eachRecord: () => undefined, eachBatch: () => undefined })).toThrow(InvalidArgumentError);
    expect(() => kinesisHandler({ eachRecord: () => undefined, reportBatchItemFailure: false } as never)).toThrow('reportBatchItemFailure: expected no such option — did you mean "reportBatchItemFailures"?, got false');
    expect(() => kinesisHandler({ eachBatch: () => undefined, reportBatchItemFailures: 'yes' } as never)).toThrow('reportBatchItemFailures: expected true or false, got "yes"');
    await expect(kinesisHandler({ eachBatch: () => undefined })({} as never)).rejects.toThrow('event.Records: expected an array (a Kinesis event from a Lambda event-source mapping), got undefined');
  });

  it('the README table of its options matches KINESIS_HANDLER_DEFAULTS', () => {
    const rows = readMarkdownTable(join(__dirname, '../../README.md'), '`kinesisHandler` options');
    const documented = Object.fromEntries(rows.filter((row) => row.default !== '—').map((row) => [row.option, row.default]));
    const described: Record<string, string> = { logger: 'no-op' };
    expect(documented).toEqual(Object.fromEntries(Object.entries(KINESIS_HANDLER_DEFAULTS).map(([key, value]) => [key, described[key] ?? String(value)])));
    expect(rows.map((row) => row.option)).toEqual(['eachRecord', 'eachBatch', 'reportBatchItemFailures', 'logger']);
  });
});
