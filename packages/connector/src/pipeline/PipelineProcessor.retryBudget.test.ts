import type { BatchWriteItemCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { ManualClock } from '@kinesis-toolkit/core';
import { DynamoDBEmitter, type DynamoDBItem } from '../emitters/dynamodb/DynamoDBEmitter';
import type { EmitBatch, EmitResult, Emitter } from '../emitters/Emitter';
import { EmitterError } from '../emitters/EmitterError';
import { S3Emitter } from '../emitters/s3/S3Emitter';
import { StringTransformer } from '../transformers/StringTransformer';
import type { Transformer } from '../transformers/Transformer';
import { FakeCheckpointer, ScriptedFailureSink, at, records } from '../../test/pipelineFakes';
import { createPipeline } from './createPipeline';
import type { PipelineEvents } from './PipelineEvents';

// `retryable` drives retries, and every item has one retry budget: the pipeline's retry policy.
// Fakes and a ManualClock only (no server); the real error names of S3, DynamoDB and PostgreSQL
// are exercised by the emitters' integration tests.

/** An emitter that answers each emit with the next scripted reaction (then succeeds). */
class ReactingEmitter<U> implements Emitter<U> {
  readonly batches: EmitBatch<U>[] = [];
  constructor(private readonly reactions: ((batch: EmitBatch<U>) => EmitResult<U>)[]) {}
  async emit(batch: EmitBatch<U>): Promise<EmitResult<U>> {
    this.batches.push(batch);
    const react = this.reactions.shift();
    return react === undefined ? { failed: [] } : react(batch);
  }
}

function run<U>(emitter: Emitter<U>, transformer: Transformer<string, U>, maxAttempts = 3) {
  const clock = new ManualClock();
  const sink = new ScriptedFailureSink();
  const checkpointer = new FakeCheckpointer();
  const pipeline = createPipeline<string, U>({
    transformer,
    emitter,
    failureSink: sink,
    clock,
    random: () => 0.5,
    wallClock: () => 1_800_000_000_000,
    buffer: { maxRecords: 4 },
    retry: { maxAttempts, baseDelayMs: 100, maxDelayMs: 1000 },
  });
  const seen: PipelineEvents['emitFailed'][0][] = [];
  pipeline.on('emitFailed', (event) => seen.push(event));
  const work = pipeline('shard-1').processRecords(checkpointer.input(records(1, 4)));
  const settle = async (): Promise<void> => {
    let done = false;
    void work.finally(() => (done = true)).catch(() => undefined);
    for (let i = 0; i < 100 && !done; i++) await clock.advance(1000);
    await work;
  };
  return { clock, sink, checkpointer, seen, settle };
}

const stringTransformer = new StringTransformer() as unknown as Transformer<string, string>;

describe('the retry budget (pipeline retry policy, manual clock)', () => {
  it('sends a batch whose emit threw a non-retryable error to the failure sink after one attempt', async () => {
    const accessDenied = new EmitterError('S3WriteFailed', 'AccessDenied', { retryable: false });
    const emitter = new ReactingEmitter<string>([
      () => {
        throw accessDenied;
      },
    ]);
    const { sink, checkpointer, seen, settle } = run(emitter, stringTransformer, 5);
    await settle();
    expect(emitter.batches).toHaveLength(1);
    expect(sink.records).toHaveLength(4);
    expect(sink.records.map((r) => [r.attemptsMade, r.errorCode])).toEqual(Array(4).fill([1, 'S3WriteFailed']));
    expect(seen).toEqual([expect.objectContaining({ attempt: 1, failed: 4, rejected: 4 })]);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
  });

  it('dead-letters rejected items at once with their own error and retries only the failed ones, within maxAttempts', async () => {
    const invalid = new EmitterError('InvalidItem', 'row breaks a constraint');
    const emitter = new ReactingEmitter<string>([
      (batch) => ({ failed: [batch.items[0]!], rejected: [{ item: batch.items[1]!, error: invalid }] }),
      (batch) => ({ failed: [batch.items[0]!] }),
      (batch) => ({ failed: [batch.items[0]!] }),
    ]);
    const { sink, checkpointer, settle } = run(emitter, stringTransformer, 3);
    await settle();
    expect(emitter.batches.map((b) => b.items)).toEqual([['r1', 'r2', 'r3', 'r4'], ['r1'], ['r1']]);
    expect(sink.records.map((r) => [Buffer.from(r.rawData, 'base64').toString(), r.attemptsMade, r.errorCode])).toEqual([
      ['r1', 3, 'EmitFailed'],
      ['r2', 1, 'InvalidItem'],
    ]);
    expect(checkpointer.checkpoints).toEqual([at(4)]);
  });

  it('retries a retryable error exactly maxAttempts times in all', async () => {
    const throttled = (): never => {
      throw new EmitterError('S3WriteFailed', 'SlowDown', { retryable: true });
    };
    const emitter = new ReactingEmitter<string>(Array(10).fill(throttled));
    const { sink, settle } = run(emitter, stringTransformer, 4);
    await settle();
    expect(emitter.batches).toHaveLength(4);
    expect(sink.records.map((r) => r.attemptsMade)).toEqual([4, 4, 4, 4]);
  });

  it('counts DynamoDB UnprocessedItems against the same budget: maxAttempts BatchWriteItem calls in all, not attempts × 8', async () => {
    let sent = 0;
    const client = {
      send: async (command: { input: BatchWriteItemCommandInput }) => {
        sent++;
        return { UnprocessedItems: command.input.RequestItems };
      },
    } as unknown as DynamoDBClient;
    const emitter = new DynamoDBEmitter({ client, tableName: 'table', keyAttributes: ['id'] });
    const toRows: Transformer<string, DynamoDBItem> = { toItem: (record) => record.data.toString(), toEmittable: (item) => ({ id: item }) };
    const { sink, settle } = run<DynamoDBItem>(emitter, toRows, 3);
    await settle();
    expect(sent).toBe(3);
    expect(sink.records).toHaveLength(4);
  });

  it('dead-letters a batch at once when S3 answers AccessDenied (one PutObject in all)', async () => {
    let sent = 0;
    const client = {
      send: async () => {
        sent++;
        throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } });
      },
    } as unknown as S3Client;
    const { sink, settle } = run(new S3Emitter({ client, bucket: 'archive' }), stringTransformer, 5);
    await settle();
    expect(sent).toBe(1);
    expect(sink.records.map((r) => [r.attemptsMade, r.errorCode])).toEqual(Array(4).fill([1, 'S3WriteFailed']));
    expect(sink.records[0]!.errorMessage).toMatch(/AccessDenied/);
  });
});
