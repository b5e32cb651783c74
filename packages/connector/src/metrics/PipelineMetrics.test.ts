import { CONNECTOR_METRICS, ManualClock, MetricsRecorder, type MetricsSnapshot } from '@kinesis-toolkit/core';
import { FakeCheckpointer, ScriptedEmitter, ScriptedFailureSink, record } from '../../test/pipelineFakes';
import { createPipeline } from '../pipeline/createPipeline';
import { StringTransformer } from '../transformers/StringTransformer';

function setup(metricsLevel?: 'NONE' | 'SUMMARY' | 'DETAILED') {
  const clock = new ManualClock();
  const snapshots: MetricsSnapshot[] = [];
  const recorder = new MetricsRecorder({ clock, sinks: [{ publish: (snapshot) => void snapshots.push(snapshot) }] });
  const emitter = new ScriptedEmitter<string>();
  emitter.failItem = (item) => item === 'r2';
  const failureSink = new ScriptedFailureSink();
  const pipeline = createPipeline<string, string>({
    streamName: 'orders',
    transformer: new StringTransformer(),
    emitter,
    failureSink,
    buffer: { maxRecords: 3, maxAgeMs: 10_000 },
    retry: { maxAttempts: 1 },
    clock,
    random: () => 0.5,
    metrics: recorder,
    ...(metricsLevel !== undefined ? { metricsLevel } : {}),
  });
  /** What the interval published, by metric name: [dimension values, sum, count]. */
  const published = async () => {
    await recorder.flush();
    const out: Record<string, [string, number, number][]> = {};
    for (const datum of snapshots.flatMap((snapshot) => snapshot.datums)) {
      (out[datum.name] ??= []).push([datum.dimensions.map((d) => d.value).join('/'), datum.sum, datum.count]);
    }
    return out;
  };
  return { clock, pipeline, published, failureSink };
}

describe('PipelineMetrics (the connector metrics, fed by the pipeline events)', () => {
  it('records emitted, emit failures, dead-lettered records, buffer age at flush and checkpoint lag, per stream and shard', async () => {
    const { clock, pipeline, published, failureSink } = setup();
    const processor = pipeline('shardId-1');
    const checkpointer = new FakeCheckpointer();
    await processor.processRecords(checkpointer.input([record(1)]));
    await clock.advance(400);
    await processor.processRecords(checkpointer.input([record(2), record(3)])); // the third flushes, 400 ms after the first entered
    expect(failureSink.records).toHaveLength(1);
    expect(checkpointer.checkpoints).toHaveLength(1);
    const metrics = await published();
    expect(metrics.RecordsEmitted).toEqual([['orders/shardId-1', 2, 1]]);
    expect(metrics.BytesEmitted).toEqual([['orders/shardId-1', 6, 1]]);
    expect(metrics.EmitFailures).toEqual([['orders/shardId-1', 1, 1]]);
    expect(metrics.RecordsDeadLettered).toEqual([['orders/shardId-1', 1, 1]]);
    expect(metrics.BufferAge).toEqual([['orders/shardId-1', 400, 1]]);
    expect(metrics.CheckpointLag).toEqual([['orders/shardId-1', 400, 1]]);
  });

  it('measures checkpoint lag from the oldest batch a late checkpoint covers', async () => {
    const { clock, pipeline, published } = setup();
    const processor = pipeline('shardId-1');
    const checkpointer = new FakeCheckpointer();
    checkpointer.throwTimes = 1; // the first batch's checkpoint fails; the second covers both
    await processor.processRecords(checkpointer.input([record(1), record(3), record(4)]));
    await clock.advance(1_000);
    await processor.processRecords(checkpointer.input([record(5), record(6), record(7)]));
    expect(checkpointer.checkpoints).toHaveLength(1);
    expect((await published()).CheckpointLag).toEqual([['orders/shardId-1', 1_000, 1]]);
  });

  it('publishes the SUMMARY metrics only at SUMMARY, and nothing at NONE', async () => {
    const summary = setup('SUMMARY');
    await summary.pipeline('s').processRecords(new FakeCheckpointer().input([record(1), record(2), record(3)]));
    expect(Object.keys(await summary.published()).sort()).toEqual(
      Object.entries(CONNECTOR_METRICS)
        .filter(([, definition]) => definition.level === 'SUMMARY')
        .map(([name]) => name)
        .sort(),
    );
    const none = setup('NONE');
    await none.pipeline('s').processRecords(new FakeCheckpointer().input([record(1), record(2), record(3)]));
    expect(await none.published()).toEqual({});
  });

  it('rejects a metricsLevel that is not NONE, SUMMARY or DETAILED, naming it', () => {
    expect(() => createPipeline({ transformer: new StringTransformer(), emitter: new ScriptedEmitter<string>(), metricsLevel: 'ALL' as never })).toThrow(/^metricsLevel: expected/);
  });
});
