import { ManualClock } from '@kinesis-toolkit/testing';
import { JsonTransformer } from '../transformers/JsonTransformer';
import { StringTransformer } from '../transformers/StringTransformer';
import { FakeCheckpointer, ScriptedEmitter, ScriptedFailureSink, at, deferred, record, records, settle } from '../../test/pipelineFakes';
import { createPipeline, type Pipeline } from './createPipeline';
import type { PipelineProcessor } from './PipelineProcessor';
import type { PipelineEvents } from './PipelineEvents';
import type { PipelineOptions } from './PipelineOptions';

interface Setup<T> {
  clock: ManualClock;
  emitter: ScriptedEmitter<string>;
  sink: ScriptedFailureSink;
  checkpointer: FakeCheckpointer;
  pipeline: Pipeline<T, string>;
  processor: PipelineProcessor<T, string>;
  seen: { [K in keyof PipelineEvents]?: PipelineEvents[K][0][] };
}

function setup<T = string>(options: Partial<PipelineOptions<T, string>> = {}, withSink = true): Setup<T> {
  const clock = new ManualClock();
  const emitter = new ScriptedEmitter<string>();
  const sink = new ScriptedFailureSink();
  const checkpointer = new FakeCheckpointer();
  const pipeline = createPipeline<T, string>({
    transformer: new StringTransformer() as never,
    emitter,
    failureSink: withSink ? sink : undefined,
    clock,
    random: () => 0.5,
    wallClock: () => 1_800_000_000_000,
    buffer: { maxRecords: 4 },
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    ...options,
  });
  const seen: Setup<T>['seen'] = {};
  for (const name of ['emitFailed', 'retriesExhausted', 'deadLettered', 'failureSinkFailed', 'transformFailed', 'checkpointed', 'checkpointFailed', 'flushed'] as const) {
    pipeline.on(name, ((event: unknown) => ((seen[name] ??= []) as unknown[]).push(event)) as never);
  }
  return { clock, emitter, sink, checkpointer, pipeline, processor: pipeline('shard-1'), seen };
}

describe('PipelineProcessor retries and failure handling', () => {
  it('retries a failing sink with backoff and loses nothing when it recovers within the attempts', async () => {
    const { clock, emitter, checkpointer, processor, seen } = setup();
    emitter.throwTimes = 2;
    const work = processor.processRecords(checkpointer.input(records(1, 4)));
    await clock.advance(0);
    expect(emitter.batches).toHaveLength(1);
    expect(checkpointer.checkpoints).toEqual([]);
    await clock.advance(49); // full jitter at 0.5: the first retry waits 50 ms
    expect(emitter.batches).toHaveLength(1);
    await clock.advance(1);
    expect(emitter.batches).toHaveLength(2);
    await clock.advance(100); // the second retry waits 100 ms
    await work;
    expect(emitter.written).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(emitter.batches.map((b) => b.attempt)).toEqual([1, 2, 3]);
    // One batch id for every retry of the flush.
    expect(new Set(emitter.batches.map((b) => b.batchId)).size).toBe(1);
    expect(emitter.batches[0]!.batchId).toBe(`shard-1-${record(1).sequenceNumber}.0-${record(4).sequenceNumber}.0`);
    expect(seen.emitFailed?.map((e) => e.attempt)).toEqual([1, 2]);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
    expect(seen.flushed?.[0]).toMatchObject({ attempts: 3, records: 4, deadLettered: 0 });
  });

  it('retries only the failed items, by identity, keeping the batch range', async () => {
    const { clock, emitter, checkpointer, processor } = setup();
    const tries = new Map<string, number>();
    emitter.failItem = (item) => {
      tries.set(item, (tries.get(item) ?? 0) + 1);
      return item === 'r2' && tries.get(item)! < 3;
    };
    await settle(clock, processor.processRecords(checkpointer.input(records(1, 4))));
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2', 'r3', 'r4'], ['r2'], ['r2']]);
    expect(emitter.batches[1]!.sources[0]!.sequenceNumber).toBe(record(2).sequenceNumber);
    expect(emitter.batches[2]!.first).toEqual(emitter.batches[0]!.first);
    expect(emitter.batches[2]!.last).toEqual(emitter.batches[0]!.last);
    expect(emitter.written.sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
  });

  it('dead-letters a permanently failing record with its error, and checkpoints past it only after the sink took it', async () => {
    const { clock, emitter, sink, checkpointer, processor, seen } = setup();
    emitter.failItem = (item) => item === 'r3';
    const gate = deferred();
    sink.gate = gate.promise;
    const work = processor.processRecords(checkpointer.input(records(1, 4)));
    await clock.advance(1000);
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2', 'r3', 'r4'], ['r3'], ['r3']]);
    expect(sink.calls).toBe(1);
    expect(checkpointer.checkpoints).toEqual([]); // the sink has not answered
    gate.resolve();
    await work;
    expect(checkpointer.checkpoints).toEqual([at(4)]);
    expect(emitter.failCalls).toEqual([{ items: ['r3'], error: expect.objectContaining({ code: 'EmitFailed' }) }]);
    expect(sink.records).toEqual([
      {
        attemptsMade: 3,
        arrivalTimestamp: record(3).approximateArrivalTimestamp!.getTime(),
        errorCode: 'EmitFailed',
        errorMessage: '1 of 1 item(s) failed (attempt 3)',
        attemptEndingTimestamp: 1_800_000_000_000,
        rawData: Buffer.from('r3').toString('base64'),
        kinesisRecordMetadata: {
          shardId: 'shard-1',
          partitionKey: record(3).partitionKey,
          sequenceNumber: record(3).sequenceNumber,
          subsequenceNumber: 0,
          approximateArrivalTimestamp: record(3).approximateArrivalTimestamp!.getTime(),
        },
      },
    ]);
    expect(seen.deadLettered?.[0]?.records).toHaveLength(1);
    expect(seen.flushed?.[0]).toMatchObject({ records: 3, deadLettered: 1 });
  });

  it('a thrown emit error is what the failure record carries', async () => {
    const { clock, emitter, sink, checkpointer, processor } = setup({ retry: { maxAttempts: 2 } });
    emitter.throwTimes = 2;
    await settle(clock, processor.processRecords(checkpointer.input(records(1, 4))));
    expect(sink.records.map((r) => [r.errorCode, r.errorMessage, r.attemptsMade])).toEqual(Array(4).fill(['Error', 'sink unavailable', 2]));
    expect(checkpointer.checkpoints).toEqual([at(4)]);
  });

  it('when the failure sink fails: no checkpoint, the error surfaces, and the records are dead-lettered on a later try', async () => {
    const { clock, emitter, sink, checkpointer, processor, seen } = setup({ retry: { maxAttempts: 1 } });
    emitter.failItem = (item) => item === 'r2';
    sink.throwTimes = 2;
    const input = checkpointer.input(records(1, 5));
    await expect(processor.processRecords(input)).rejects.toMatchObject({ name: 'FailureSinkError', code: 'FailureSinkFailed', retryable: true });
    expect(seen.failureSinkFailed).toHaveLength(1);
    expect(checkpointer.checkpoints).toEqual([]);
    // The worker delivers the same batch again.
    await expect(processor.processRecords(input)).rejects.toMatchObject({ code: 'FailureSinkFailed' });
    expect(checkpointer.checkpoints).toEqual([]);
    await processor.processRecords(input);
    expect(sink.calls).toBe(3);
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2', 'r3', 'r4']]); // not re-emitted, not re-buffered
    expect(sink.records.map((r) => r.rawData)).toEqual([Buffer.from('r2').toString('base64')]);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
    // r5 was taken after the retry, once.
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    expect(emitter.written).toEqual(['r1', 'r3', 'r4', 'r5']);
    expect(checkpointer.checkpoints).toEqual([at(4), at(5)]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('without a failure sink, exhausted items are retried until the sink recovers, and nothing is checkpointed past them meanwhile', async () => {
    const { clock, emitter, checkpointer, processor, seen } = setup({}, false);
    emitter.throwTimes = 4;
    const input = checkpointer.input(records(1, 6));
    await expect(settle(clock, processor.processRecords(input))).rejects.toMatchObject({ name: 'EmitError', code: 'RetriesExhausted' });
    expect(emitter.batches).toHaveLength(3);
    expect(seen.retriesExhausted).toHaveLength(1);
    await expect(processor.processRecords(input)).rejects.toMatchObject({ code: 'RetriesExhausted' });
    expect(emitter.batches).toHaveLength(4); // one more attempt per round once exhausted
    await processor.processRecords(input); // attempt 5 succeeds, then r5, r6 are taken
    expect(checkpointer.checkpoints).toEqual([at(4)]);
    expect(emitter.batches.map((b) => b.attempt)).toEqual([1, 2, 3, 4, 5]);
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    expect(emitter.written).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(checkpointer.checkpoints).toEqual([at(4), at(6)]);
  });

  it('a timer flush that cannot finish retries on its own timer until the sink recovers', async () => {
    const { clock, emitter, checkpointer, processor } = setup({ buffer: { maxAgeMs: 1000 } }, false);
    await processor.processRecords(checkpointer.input(records(1, 2)));
    emitter.throwTimes = 7;
    await clock.advance(1000);
    for (let i = 0; i < 20 && checkpointer.checkpoints.length === 0; i++) await clock.advance(1000);
    expect(emitter.batches).toHaveLength(8);
    expect(emitter.written).toEqual(['r1', 'r2']);
    expect(checkpointer.checkpoints).toEqual([at(2)]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sends a record the transformer rejects to the failure sink with its error, and the shard goes on', async () => {
    const { clock, emitter, sink, checkpointer, processor, seen } = setup<unknown>({ transformer: new JsonTransformer(), buffer: { maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input([record(1, '{"a":1}'), record(2, '{oops'), record(3, '[2]')]));
    expect(seen.transformFailed?.map((e) => e.sequenceNumber)).toEqual([record(2).sequenceNumber]);
    expect(sink.records).toHaveLength(0); // dead-lettered with its batch, before the checkpoint
    await clock.advance(1000);
    expect(emitter.written).toEqual(['{"a":1}', '[2]']);
    expect(sink.records).toMatchObject([{ attemptsMade: 0, errorCode: 'InvalidJson', rawData: Buffer.from('{oops').toString('base64') }]);
    expect(sink.records[0]!.errorMessage).toMatch(/not JSON/);
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });

  it('a transformer that throws anything is a TransformFailed record; a rejected last record is still checkpointed past', async () => {
    const { checkpointer, sink, processor } = setup({
      transformer: {
        toItem: (r) => {
          if (r.data.toString() === 'r2') throw new Error('boom');
          return r.data.toString();
        },
        toEmittable: (item: string) => item,
      },
    });
    await processor.processRecords(checkpointer.input(records(1, 2)));
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    expect(sink.records.map((r) => [r.errorCode, r.errorMessage])).toEqual([['TransformFailed', expect.stringMatching(/boom/)]]);
    expect(checkpointer.checkpoints).toEqual([at(2)]);
  });

  it('without a failure sink a rejected record blocks the checkpoint (never silently dropped)', async () => {
    const { checkpointer, processor } = setup<unknown>({ transformer: new JsonTransformer() }, false);
    await processor.processRecords(checkpointer.input([record(1, '1'), record(2, 'nope')]));
    await expect(processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer })).rejects.toMatchObject({ code: 'RetriesExhausted' });
    expect(checkpointer.checkpoints).toEqual([]);
  });

  it('a failed checkpoint is reported and written again at the next flush', async () => {
    const { checkpointer, processor, seen } = setup({ buffer: { maxRecords: 2 } });
    checkpointer.throwTimes = 1;
    await processor.processRecords(checkpointer.input(records(1, 4)));
    expect(seen.checkpointFailed?.map((e) => e.sequenceNumber)).toEqual([record(2).sequenceNumber]);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
  });
});
