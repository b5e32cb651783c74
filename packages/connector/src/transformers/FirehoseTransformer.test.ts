import { ManualClock } from '@kinesis-toolkit/testing';
import { FakeCheckpointer, ScriptedEmitter, ScriptedFailureSink, at, record } from '../../test/pipelineFakes';
import { createPipeline } from '../pipeline/createPipeline';
import { firehoseTransformer, type FirehoseResultRecord, type FirehoseTransformationEvent } from './FirehoseTransformer';
import { lambdaPartitionKeysOf } from './lambdaPartitionKeys';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const context = { streamName: 'orders', shardId: 'shardId-000000000007' };

describe('FirehoseTransformer', () => {
  it('calls the function once per batch with Firehose-shaped records', async () => {
    const events: FirehoseTransformationEvent[] = [];
    const transformer = firehoseTransformer(
      (event) => {
        events.push(event);
        return { records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok' as const, data: r.data })) };
      },
      { region: 'eu-west-1' },
    );
    const input = [record(1, 'one'), record(2, 'two', 3)];
    const outcomes = await transformer.transformBatch(input, context);
    expect(outcomes).toEqual([{ items: [Buffer.from('one')] }, { items: [Buffer.from('two')] }]);
    expect(events).toHaveLength(1);
    const [first, second] = events[0]!.records;
    expect(events[0]!.region).toBe('eu-west-1');
    expect(events[0]!.invocationId).toContain(context.shardId);
    expect(first).toEqual({
      recordId: `${input[0]!.sequenceNumber}.0`,
      data: b64('one'),
      approximateArrivalTimestamp: input[0]!.approximateArrivalTimestamp!.getTime(),
      kinesisRecordMetadata: {
        shardId: context.shardId,
        partitionKey: input[0]!.partitionKey,
        approximateArrivalTimestamp: input[0]!.approximateArrivalTimestamp!.getTime(),
        sequenceNumber: input[0]!.sequenceNumber,
        subsequenceNumber: 0,
      },
    });
    expect(second!.kinesisRecordMetadata.subsequenceNumber).toBe(3);
    expect(new Set([first!.recordId, second!.recordId]).size).toBe(2);
  });

  it('maps Ok, Dropped, ProcessingFailed, missing, duplicated, mismatched and malformed results; a plain array answer works too', async () => {
    const input = [1, 2, 3, 4, 5, 6, 7].map((n) => record(n, `r${n}`));
    const transformer = firehoseTransformer(({ records }) => {
      const [ok, dropped, failed, , duplicated, mismatched, malformed] = records;
      const results: FirehoseResultRecord[] = [
        { recordId: ok!.recordId, result: 'Ok', data: b64('OK!') },
        { recordId: dropped!.recordId, result: 'Dropped' },
        { recordId: failed!.recordId, result: 'ProcessingFailed', data: failed!.data },
        // records[3]: no result at all
        { recordId: duplicated!.recordId, result: 'Ok', data: b64('a') },
        { recordId: duplicated!.recordId, result: 'Ok', data: b64('b') },
        { recordId: `${mismatched!.recordId}-x`, result: 'Ok', data: b64('c') },
        { recordId: malformed!.recordId, result: 'Ok', data: 'not base64!' },
      ];
      return results;
    });
    const outcomes = await transformer.transformBatch(input, context);
    const codes = outcomes.map((o) => ('error' in o ? (o.error as { code?: string }).code : o.items.map(String)));
    expect(codes).toEqual([['OK!'], [], 'ProcessingFailed', 'MissingRecordId', 'DuplicatedRecordId', 'MissingRecordId', 'InvalidResult']);
  });

  it('fails every record of a call that throws or answers with no list', async () => {
    const input = [record(1), record(2)];
    const throwing = await firehoseTransformer(() => {
      throw new Error('lambda down');
    }).transformBatch(input, context);
    expect(throwing.map((o) => 'error' in o && o.error.message)).toEqual([expect.stringMatching(/lambda down/), expect.stringMatching(/lambda down/)]);
    const wrong = await firehoseTransformer(() => ({ nope: true }) as never).transformBatch(input, context);
    expect(wrong.map((o) => 'error' in o && (o.error as { code?: string }).code)).toEqual(['InvalidResult', 'InvalidResult']);
  });

  it('keeps metadata.partitionKeys of an Ok result beside its item (for !{partitionKeyFromLambda:…})', async () => {
    const transformer = firehoseTransformer((event) => ({
      records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok' as const, data: r.data, metadata: { partitionKeys: { customer: 'c9' } } })),
    }));
    const [item] = await transformer.toItem(record(1, 'x'));
    expect(lambdaPartitionKeysOf(item)).toEqual({ customer: 'c9' });
    const [plain] = await firehoseTransformer((event) => event.records.map((r) => ({ recordId: r.recordId, result: 'Ok' as const, data: r.data }))).toItem(record(2, 'y'));
    expect(lambdaPartitionKeysOf(plain)).toBeUndefined();
  });

  it('toItem transforms one record on its own and throws its error', async () => {
    const transformer = firehoseTransformer(async ({ records }) => ({
      records: records.map((r) => ({ recordId: r.recordId, result: r.data === b64('bad') ? ('ProcessingFailed' as const) : ('Ok' as const), data: r.data })),
    }));
    expect(await transformer.toItem(record(1, 'good'))).toEqual([Buffer.from('good')]);
    await expect(transformer.toItem(record(2, 'bad'))).rejects.toMatchObject({ code: 'ProcessingFailed' });
  });

  it('in a pipeline: Ok is emitted, Dropped is done, failures are dead-lettered, and the checkpoint covers all of them', async () => {
    const emitter = new ScriptedEmitter<Buffer>();
    const sink = new ScriptedFailureSink();
    const checkpointer = new FakeCheckpointer();
    const calls: number[] = [];
    const pipeline = createPipeline({
      transformer: firehoseTransformer(({ records }) => {
        calls.push(records.length);
        return records
          .filter((r) => Buffer.from(r.data, 'base64').toString() !== 'lost')
          .map((r) => {
            const text = Buffer.from(r.data, 'base64').toString();
            const result = text === 'drop' ? 'Dropped' : text === 'fail' ? 'ProcessingFailed' : 'Ok';
            return { recordId: r.recordId, result, data: b64(text.toUpperCase()) } as const;
          });
      }),
      emitter,
      failureSink: sink,
      clock: new ManualClock(),
    });
    const processor = pipeline('shard-1');
    await processor.processRecords(checkpointer.input(['a', 'drop', 'fail', 'lost', 'b'].map((text, i) => record(i + 1, text))));
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    expect(calls).toEqual([5]);
    expect(emitter.written.map(String)).toEqual(['A', 'B']);
    expect(sink.records.map((r) => [Buffer.from(r.rawData, 'base64').toString(), r.errorCode, r.attemptsMade])).toEqual([
      ['fail', 'ProcessingFailed', 0],
      ['lost', 'MissingRecordId', 0],
    ]);
    expect(checkpointer.checkpoints).toEqual([at(5)]);
  });
});
