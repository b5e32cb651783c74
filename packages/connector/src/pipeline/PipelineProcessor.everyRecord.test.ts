import { ManualClock } from '@kinesis-toolkit/testing';
import { FakeCheckpointer, ScriptedEmitter, ScriptedFailureSink, at, dropOrFailLambda, record, seq, settle } from '../../test/pipelineFakes';
import type { EmitBatch, EmitResult } from '../emitters/Emitter';
import { EmitterError } from '../emitters/EmitterError';
import { FirehoseTransformer } from '../transformers/FirehoseTransformer';
import { createPipeline } from './createPipeline';
import type { PipelineOptions } from './PipelineOptions';

// An emitter that receives every record (Emitter.receivesEveryRecord, what the Firehose emitter's
// source record backup needs): each batch carries all the records it covers, and a batch with no
// items is emitted too, and checkpointed only once that emit succeeded.

/** A scripted emitter that receives every record; `throwErrors` are thrown by the next emits, in order. */
class EveryRecordEmitter extends ScriptedEmitter<Buffer> {
  readonly receivesEveryRecord = true;
  throwErrors: Error[] = [];

  override async emit(batch: EmitBatch<Buffer>): Promise<EmitResult<Buffer>> {
    const error = this.throwErrors.shift();
    if (error !== undefined) {
      this.batches.push({ ...batch });
      throw error;
    }
    return super.emit(batch);
  }
}

function setup(emitter: ScriptedEmitter<Buffer>, options: Partial<PipelineOptions<Buffer, Buffer>> = {}) {
  const clock = new ManualClock();
  const sink = new ScriptedFailureSink();
  const checkpointer = new FakeCheckpointer();
  const pipeline = createPipeline<Buffer, Buffer>({
    transformer: new FirehoseTransformer(dropOrFailLambda),
    emitter,
    failureSink: sink,
    clock,
    random: () => 0.5,
    wallClock: () => 1_800_000_000_000,
    buffer: { maxRecords: 100 },
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    ...options,
  });
  return { clock, sink, checkpointer, processor: pipeline('shard-1') };
}

const texts = (batch: EmitBatch<Buffer>) => (batch.records ?? []).map((source) => Buffer.from(source.data).toString());
const transient = () => Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });

describe('PipelineProcessor with an emitter that receives every record (EmitBatch.records, batches without items)', () => {
  it('each batch carries every record it covers once — dropped and failed ones too — the same on a retry of its failed items', async () => {
    const emitter = new EveryRecordEmitter();
    let failures = 1;
    emitter.failItem = (item) => item.toString() === 'OK-3' && failures-- > 0;
    const { clock, sink, checkpointer, processor } = setup(emitter);
    const input = ['ok-1', 'drop-2', 'ok-3', 'fail-4', 'drop-5'].map((data, i) => record(i + 1, data));
    await settle(clock, processor.processRecords(checkpointer.input(input)));
    await settle(clock, processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer }));
    expect(emitter.batches.map((b) => b.items.map(String))).toEqual([['OK-1', 'OK-3'], ['OK-3']]);
    for (const batch of emitter.batches) expect(texts(batch)).toEqual(['ok-1', 'drop-2', 'ok-3', 'fail-4', 'drop-5']);
    expect(emitter.written.map(String)).toEqual(['OK-1', 'OK-3']);
    expect(sink.records.map((r) => [r.kinesisRecordMetadata.sequenceNumber, r.errorCode])).toEqual([[seq(4), 'ProcessingFailed']]);
    expect(checkpointer.checkpoints).toEqual([at(5)]);
  });

  it('a flush whose records all became no item (dropped, failed) is emitted with items empty and checkpointed after that emit', async () => {
    const emitter = new EveryRecordEmitter();
    const { clock, sink, checkpointer, processor } = setup(emitter, { buffer: { maxRecords: 100, maxAgeMs: 1000 } });
    await processor.processRecords(checkpointer.input([record(1, 'drop-1'), record(2, 'fail-2'), record(3, 'drop-3')]));
    expect(emitter.batches).toEqual([]);
    await clock.advance(1000);
    expect(emitter.batches).toHaveLength(1);
    expect(emitter.batches[0]).toMatchObject({ items: [], sources: [], attempt: 1, first: { sequenceNumber: seq(1) }, last: { sequenceNumber: seq(3) } });
    expect(texts(emitter.batches[0]!)).toEqual(['drop-1', 'fail-2', 'drop-3']);
    expect(sink.records.map((r) => r.kinesisRecordMetadata.sequenceNumber)).toEqual([seq(2)]);
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });

  it('the records held count toward maxRecords and maxBytes: records that all become no item are flushed at the thresholds, not held until maxAgeMs', async () => {
    const byCount = new EveryRecordEmitter();
    const count = setup(byCount, { buffer: { maxRecords: 2, maxAgeMs: 60_000 } });
    await count.processor.processRecords(count.checkpointer.input(['drop-1', 'fail-2', 'drop-3', 'drop-4', 'drop-5'].map((data, i) => record(i + 1, data))));
    expect(byCount.batches.map(texts)).toEqual([
      ['drop-1', 'fail-2'],
      ['drop-3', 'drop-4'],
    ]);
    expect(count.checkpointer.checkpoints).toEqual([at(2), at(4)]);
    const byBytes = new EveryRecordEmitter();
    const bytes = setup(byBytes, { buffer: { maxRecords: 100, maxBytes: 12, maxAgeMs: 60_000 } });
    // 6 bytes each: 12 at the second.
    await bytes.processor.processRecords(bytes.checkpointer.input(['drop-1', 'drop-2', 'drop-3'].map((data, i) => record(i + 1, data))));
    expect(byBytes.batches.map(texts)).toEqual([['drop-1', 'drop-2']]);
    expect(bytes.checkpointer.checkpoints).toEqual([at(2)]);
  });

  it('a batch without items whose emit fails (retryable) is not checkpointed until a retry succeeds', async () => {
    const emitter = new EveryRecordEmitter();
    emitter.throwErrors = [transient(), transient()];
    const { clock, sink, checkpointer, processor } = setup(emitter);
    const work = processor.processRecords(checkpointer.input([record(1, 'drop-1'), record(2, 'drop-2')]));
    await work;
    const shutdown = processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    await clock.advance(0);
    expect(emitter.batches).toHaveLength(1);
    expect(checkpointer.checkpoints).toEqual([]);
    await settle(clock, shutdown);
    expect(emitter.batches.map((b) => [b.items.length, b.attempt, texts(b)])).toEqual([
      [0, 1, ['drop-1', 'drop-2']],
      [0, 2, ['drop-1', 'drop-2']],
      [0, 3, ['drop-1', 'drop-2']],
    ]);
    expect(sink.records).toEqual([]);
    expect(checkpointer.checkpoints).toEqual([at(2)]);
  });

  it('a batch without items whose emit fails for good dead-letters its records (each once: not those the transformation already failed), then checkpoints', async () => {
    const emitter = new EveryRecordEmitter();
    emitter.throwErrors = [new EmitterError('S3WriteFailed', 'Access Denied', { retryable: false })];
    const { clock, sink, checkpointer, processor } = setup(emitter);
    await processor.processRecords(checkpointer.input([record(1, 'drop-1'), record(2, 'fail-2'), record(3, 'drop-3')]));
    await settle(clock, processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer }));
    expect(emitter.batches).toHaveLength(1);
    expect(sink.records.map((r) => [r.kinesisRecordMetadata.sequenceNumber, r.errorCode])).toEqual([
      [seq(1), 'S3WriteFailed'],
      [seq(2), 'ProcessingFailed'],
      [seq(3), 'S3WriteFailed'],
    ]);
    expect(checkpointer.checkpoints).toEqual([at(3)]);
  });

  it('without a failure sink, a batch without items that keeps failing fails the round (retriesExhausted) and is not checkpointed; a later round delivers it', async () => {
    const emitter = new EveryRecordEmitter();
    emitter.throwErrors = [transient(), transient(), transient()];
    const { clock, checkpointer, processor } = setup(emitter, { failureSink: undefined });
    await processor.processRecords(checkpointer.input([record(1, 'drop-1'), record(2, 'drop-2')]));
    // The shard ends: everything must be delivered first; the worker calls shardEnded again after a failure.
    await expect(settle(clock, processor.shardEnded({ checkpointer: checkpointer.asCheckpointer }))).rejects.toMatchObject({ code: 'RetriesExhausted' });
    expect(checkpointer.checkpoints).toEqual([]);
    await settle(clock, processor.shardEnded({ checkpointer: checkpointer.asCheckpointer }));
    expect(emitter.batches.map((b) => b.attempt)).toEqual([1, 2, 3, 4]);
    expect(checkpointer.checkpoints).toEqual([at(2), 'SHARD_END']);
  });

  it('an emitter that does not receive every record gets no records and no batch without items (as before)', async () => {
    const emitter = new ScriptedEmitter<Buffer>();
    const { clock, checkpointer, processor } = setup(emitter);
    await processor.processRecords(checkpointer.input([record(1, 'ok-1'), record(2, 'drop-2')]));
    await settle(clock, processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer }));
    expect(emitter.batches.map((b) => [b.items.map(String), 'records' in b])).toEqual([[['OK-1'], false]]);
    const dropsOnly = new ScriptedEmitter<Buffer>();
    const second = setup(dropsOnly);
    await second.processor.processRecords(second.checkpointer.input([record(1, 'drop-1')]));
    await settle(second.clock, second.processor.shutdownRequested({ checkpointer: second.checkpointer.asCheckpointer }));
    expect(dropsOnly.batches).toEqual([]);
    expect(second.checkpointer.checkpoints).toEqual([at(1)]);
  });
});
