import { ManualClock } from '@kinesis-toolkit/testing';
import { StringTransformer } from '../transformers/StringTransformer';
import { predicateFilter } from '../filters/PredicateFilter';
import { FakeCheckpointer, ScriptedEmitter, at, deferred, record, records } from '../../test/pipelineFakes';
import { createPipeline, type Pipeline } from './createPipeline';
import type { PipelineProcessor } from './PipelineProcessor';
import type { FlushedEvent } from './PipelineEvents';
import type { PipelineOptions } from './PipelineOptions';

interface Setup {
  clock: ManualClock;
  emitter: ScriptedEmitter<string>;
  checkpointer: FakeCheckpointer;
  pipeline: Pipeline<string, string>;
  processor: PipelineProcessor<string, string>;
  flushed: FlushedEvent[];
}

function setup(options: Partial<PipelineOptions<string, string>> = {}): Setup {
  const clock = new ManualClock();
  const emitter = new ScriptedEmitter<string>();
  const checkpointer = new FakeCheckpointer();
  const pipeline = createPipeline<string, string>({ streamName: 'orders', transformer: new StringTransformer(), emitter, clock, random: () => 0.5, ...options });
  const flushed: FlushedEvent[] = [];
  pipeline.on('flushed', (event) => flushed.push(event));
  return { clock, emitter, checkpointer, pipeline, processor: pipeline('shard-1'), flushed };
}

describe('PipelineProcessor flush thresholds', () => {
  it('flushes at maxRecords and checkpoints the last record of each emitted batch', async () => {
    const { emitter, checkpointer, processor, flushed } = setup({ buffer: { maxRecords: 3 } });
    await processor.processRecords(checkpointer.input(records(1, 7)));
    expect(emitter.batches.map((b) => b.items)).toEqual([
      ['r1', 'r2', 'r3'],
      ['r4', 'r5', 'r6'],
    ]);
    expect(checkpointer.checkpoints).toEqual([at(3), at(6)]);
    expect(flushed.map((e) => [e.reason, e.records])).toEqual([
      ['count', 3],
      ['count', 3],
    ]);
    const batch = emitter.batches[0]!;
    expect(batch).toMatchObject({ streamName: 'orders', shardId: 'shard-1', attempt: 1, first: { sequenceNumber: record(1).sequenceNumber, subSequenceNumber: 0 } });
    expect(batch.sources.map((s) => s.sequenceNumber)).toEqual([1, 2, 3].map((n) => record(n).sequenceNumber));
  });

  it('flushes when the buffered bytes reach maxBytes', async () => {
    const { emitter, checkpointer, processor, flushed } = setup({ buffer: { maxBytes: 10 } });
    // 4 bytes each: 12 ≥ 10 at the third.
    await processor.processRecords(checkpointer.input([record(1, 'aaaa'), record(2, 'bbbb'), record(3, 'cccc'), record(4, 'dddd')]));
    expect(emitter.batches.map((b) => b.items)).toEqual([['aaaa', 'bbbb', 'cccc']]);
    expect(flushed[0]).toMatchObject({ reason: 'bytes', bytes: 12, records: 3 });
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });

  it('counts bytes with itemBytes when given', async () => {
    const { emitter, checkpointer, processor } = setup({ buffer: { maxBytes: 100 }, itemBytes: () => 50 });
    await processor.processRecords(checkpointer.input(records(1, 3)));
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2']]);
  });

  it('flushes on age from a timer, with no new records arriving, and re-arms for the next contents', async () => {
    const { clock, emitter, checkpointer, processor, flushed } = setup({ buffer: { maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input([record(1)]));
    await clock.advance(400);
    await processor.processRecords(checkpointer.input([record(2)]));
    await clock.advance(599);
    expect(emitter.batches).toHaveLength(0);
    await clock.advance(1); // 1000 ms after the first record, no records since
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2']]);
    expect(flushed[0]).toMatchObject({ reason: 'age', records: 2 });
    expect(checkpointer.checkpoints).toEqual([at(2)]);
    expect(clock.pendingTimers).toBe(0); // nothing buffered: no timer

    await clock.advance(5000);
    await processor.processRecords(checkpointer.input([record(3)]));
    await clock.advance(999);
    expect(emitter.batches).toHaveLength(1);
    await clock.advance(1);
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2'], ['r3']]);
    expect(checkpointer.checkpoints).toEqual([at(2), at(3)]);
  });

  it('checkpoints past filtered-out records, without emitting an empty batch', async () => {
    const { clock, emitter, checkpointer, processor } = setup({ buffer: { maxRecords: 2, maxAgeMs: 1000 }, filter: predicateFilter((item: string) => item !== 'r2' && item !== 'r3') });
    await processor.processRecords(checkpointer.input(records(1, 4)));
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r4']]);
    expect(emitter.batches[0]!.last.sequenceNumber).toBe(record(4).sequenceNumber);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
    // Only filtered records: the age flush checkpoints them with no emit.
    await processor.processRecords(checkpointer.input([record(5, 'r2')]));
    await clock.advance(1000);
    expect(emitter.batches).toHaveLength(1);
    expect(checkpointer.checkpoints).toEqual([at(4), at(5)]);
  });

  it('buffers every item of a one-to-many record, and none of a record that makes no items', async () => {
    const { emitter, checkpointer, processor } = setup({
      buffer: { maxRecords: 4 },
      transformer: { toItem: (r) => (r.data.toString() === 'skip' ? [] : r.data.toString().split(',')), toEmittable: (item: string) => item },
    });
    await processor.processRecords(checkpointer.input([record(1, 'a,b'), record(2, 'skip'), record(3, 'c,d,e')]));
    expect(emitter.batches.map((b) => b.items)).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(emitter.batches[0]!.sources.map((s) => s.sequenceNumber)).toEqual([1, 1, 3, 3, 3].map((n) => record(n).sequenceNumber));
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });
});

describe('PipelineProcessor lifecycle', () => {
  it('shutdownRequested flushes what is buffered and checkpoints it', async () => {
    const { emitter, checkpointer, processor, flushed, clock } = setup();
    await processor.processRecords(checkpointer.input(records(1, 5)));
    expect(emitter.batches).toHaveLength(0);
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    expect(emitter.written).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(flushed[0]!.reason).toBe('shutdown');
    expect(checkpointer.checkpoints).toEqual([at(5)]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('shardEnded flushes, then checkpoints SHARD_END; a failed flush throws and leaves SHARD_END for the retry', async () => {
    const { emitter, checkpointer, processor, flushed } = setup({ retry: { maxAttempts: 1 } });
    await processor.processRecords(checkpointer.input(records(1, 3)));
    emitter.throwTimes = 1;
    await expect(processor.shardEnded({ checkpointer: checkpointer.asCheckpointer })).rejects.toMatchObject({ code: 'RetriesExhausted' });
    expect(checkpointer.checkpoints).toEqual([]);
    // The worker calls shardEnded again until SHARD_END is checkpointed.
    await processor.shardEnded({ checkpointer: checkpointer.asCheckpointer });
    expect(emitter.written).toEqual(['r1', 'r2', 'r3']);
    expect(checkpointer.checkpoints).toEqual([at(3), 'SHARD_END']);
    expect(flushed.map((e) => e.reason)).toEqual(['shardEnd']);
  });

  it('shardEnded with nothing buffered checkpoints SHARD_END at once', async () => {
    const { emitter, checkpointer, processor } = setup();
    await processor.shardEnded({ checkpointer: checkpointer.asCheckpointer });
    expect(emitter.batches).toHaveLength(0);
    expect(checkpointer.checkpoints).toEqual(['SHARD_END']);
  });

  it('leaseLost drops the buffer, cancels the age timer and never checkpoints', async () => {
    const { clock, emitter, checkpointer, processor } = setup({ buffer: { maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input(records(1, 3)));
    expect(clock.pendingTimers).toBe(1);
    await processor.leaseLost();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10_000);
    expect(emitter.batches).toHaveLength(0);
    expect(checkpointer.checkpoints).toEqual([]);
  });

  it('leaseLost during a timer flush: the emit in flight finishes but nothing is checkpointed', async () => {
    const { clock, emitter, checkpointer, processor } = setup({ buffer: { maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input(records(1, 2)));
    const gate = deferred();
    emitter.gate = gate.promise;
    await clock.advance(1000);
    expect(emitter.batches).toHaveLength(1);
    await processor.leaseLost();
    gate.resolve();
    await clock.advance(10_000);
    expect(checkpointer.checkpoints).toEqual([]);
  });

  it('processRecords waits for a timer flush in progress (one chain per shard)', async () => {
    const { clock, emitter, checkpointer, processor } = setup({ buffer: { maxAgeMs: 1000, maxRecords: 2 } });
    await processor.processRecords(checkpointer.input([record(1)]));
    const gate = deferred();
    emitter.gate = gate.promise;
    await clock.advance(1000); // age flush starts and blocks in emit
    let settled = false;
    const next = processor.processRecords(checkpointer.input(records(2, 2))).then(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    expect(emitter.batches).toHaveLength(1); // r2, r3 not flushed past the blocked batch
    emitter.gate = undefined;
    gate.resolve();
    await next;
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1'], ['r2', 'r3']]);
    expect(checkpointer.checkpoints).toEqual([at(1), at(3)]);
  });

  it('pipeline.shutdown() shuts the emitter down once and stops processors still running, without checkpointing', async () => {
    const { clock, emitter, pipeline, processor, checkpointer } = setup({ buffer: { maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input(records(1, 2)));
    await Promise.all([pipeline.shutdown(), pipeline.shutdown()]);
    await pipeline.shutdown();
    expect(emitter.shutdownCalls).toBe(1);
    expect(processor.stopped).toBe(true);
    expect(pipeline('shard-2').stopped).toBe(true);
    await clock.advance(5000);
    expect(emitter.batches).toHaveLength(0);
    expect(checkpointer.checkpoints).toEqual([]);
  });

  it('rejects bad options with a TypeError naming the option', () => {
    const emitter = new ScriptedEmitter<string>();
    expect(() => createPipeline({ transformer: new StringTransformer(), emitter, buffer: { maxRecords: 0 } })).toThrow(/buffer.maxRecords: expected an integer/);
    expect(() => createPipeline({ transformer: {} as never, emitter })).toThrow(/^transformer\.toItem: expected a function/);
  });
});
