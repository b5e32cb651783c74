import type { UserRecord } from '@kinesis-toolkit/aggregation';
import type { KinesisToolkitError } from '@kinesis-toolkit/core';
import { ScriptedStream } from '../../test/ScriptedStream';
import type { Worker } from '../Worker';
import { LeaseLostError } from '../leases/errors';
import type { Batch, FailedBatch } from './BatchHandlerOptions';

// eachBatch / eachRecord on a whole Worker: a scripted Kinesis client (no server), an in-memory
// lease table and a manual clock. The integration tests run the same forms against kinesalite,
// dynalite and kinesis-mock.

const SHARD = 'shardId-000000000000';

const texts = (records: readonly UserRecord[]) => records.map((record) => record.data.toString());

/** A promise that rejects when the signal fires (long work that honours it). */
const untilAborted = (signal: AbortSignal) => new Promise<never>((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('eachBatch on a Worker', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.shutdown();
    worker = undefined;
  });

  it('checkpoints after each batch that resolves, with no checkpoint code in eachBatch', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c', 'd', 'e');
    const seen: { batch: string[]; checkpointBefore: string | undefined }[] = [];
    worker = stream.worker({
      maxRecords: 2,
      eachBatch: async ({ records }) => {
        seen.push({ batch: texts(records), checkpointBefore: await stream.checkpointOf(SHARD) });
      },
    });
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[4]}/0`, 'the last record checkpointed');
    // Each batch starts after the previous one was checkpointed.
    expect(seen).toEqual([
      { batch: ['a', 'b'], checkpointBefore: 'TRIM_HORIZON/0' },
      { batch: ['c', 'd'], checkpointBefore: `${sequence[1]}/0` },
      { batch: ['e'], checkpointBefore: `${sequence[3]}/0` },
    ]);
  });

  it('retries a throwing batch after a backoff, emitting processorError, and never checkpoints past it', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c', 'd');
    const calls: { batch: string[]; checkpoint: string | undefined }[] = [];
    let failuresLeft = 3;
    worker = stream.worker({
      maxRecords: 2,
      eachBatch: async ({ records }) => {
        calls.push({ batch: texts(records), checkpoint: await stream.checkpointOf(SHARD) });
        if (records[0]!.data.toString() === 'c' && failuresLeft-- > 0) throw new Error('downstream unavailable');
      },
    });
    const errors: KinesisToolkitError[] = [];
    worker.on('processorError', (error) => errors.push(error));
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[3]}/0`, 'the last record checkpointed');
    expect(calls.map((call) => call.batch.join(''))).toEqual(['ab', 'cd', 'cd', 'cd', 'cd']);
    // While 'cd' kept failing, the checkpoint stayed after 'b'.
    expect(calls.slice(1).map((call) => call.checkpoint)).toEqual(Array(4).fill(`${sequence[1]}/0`));
    expect(errors.map((error) => [error.code, error.context.attempt])).toEqual([
      ['PROCESSOR_FAILED', 1],
      ['PROCESSOR_FAILED', 2],
      ['PROCESSOR_FAILED', 3],
    ]);
  });

  it('hands a batch that used up maxBatchAttempts to onBatchFailed, then moves on and checkpoints past it', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'poison', 'd');
    const failed: { batch: FailedBatch; error: unknown }[] = [];
    const done: string[] = [];
    worker = stream.worker({
      maxRecords: 2,
      maxBatchAttempts: 3,
      eachBatch: async ({ records }) => {
        if (texts(records).includes('poison')) throw new Error('cannot parse');
        done.push(...texts(records));
      },
      onBatchFailed: (batch, error) => void failed.push({ batch, error }),
    });
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[3]}/0`, 'checkpointed past the dead-lettered batch');
    expect(done).toEqual(['a', 'b']);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.batch).toMatchObject({ shardId: SHARD, attempts: 3 });
    expect(texts(failed[0]!.batch.records)).toEqual(['poison', 'd']);
    expect(String(failed[0]!.error)).toBe('Error: cannot parse');
  });

  it('calls an onBatchFailed that throws again after a backoff: the batch is not skipped until it succeeds', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'poison');
    let hookCalls = 0;
    let batchCalls = 0;
    worker = stream.worker({
      maxBatchAttempts: 1,
      eachBatch: () => {
        batchCalls++;
        throw new Error('cannot parse');
      },
      onBatchFailed: () => {
        if (++hookCalls < 3) throw new Error('dead-letter queue unavailable');
      },
    });
    const checkpoints: (string | undefined)[] = [];
    worker.on('processorError', () => void stream.checkpointOf(SHARD).then((checkpoint) => checkpoints.push(checkpoint)));
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[0]}/0`, 'checkpointed once the hook took it');
    expect({ batchCalls, hookCalls }).toEqual({ batchCalls: 1, hookCalls: 3 });
    expect(checkpoints).toEqual(['TRIM_HORIZON/0', 'TRIM_HORIZON/0']);
  });

  it('fires signal when the lease is lost while a batch runs; the batch is not checkpointed', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b');
    let running: Batch | undefined;
    worker = stream.worker({
      maxRecords: 1,
      eachBatch: (batch) => {
        if (texts(batch.records)[0] === 'a') return;
        running = batch;
        return untilAborted(batch.signal);
      },
    });
    const lost: string[] = [];
    worker.on('leaseLost', ({ shardId }) => lost.push(shardId));
    await worker.start();
    await stream.until(() => running !== undefined, "batch 'b' running");
    expect(await stream.checkpointOf(SHARD)).toBe(`${sequence[0]}/0`);
    // Another worker takes the lease; this one finds out at its next renewal.
    await stream.store.takeLease((await stream.store.getLease(SHARD))!, 'w2');
    await stream.until(() => running!.signal.aborted, 'the signal fired');
    expect(running!.signal.reason).toBeInstanceOf(LeaseLostError);
    expect(lost).toEqual([SHARD]);
    await stream.clock.advance(1_000);
    const lease = (await stream.store.getLease(SHARD))!;
    expect({ owner: lease.leaseOwner, checkpoint: lease.checkpoint.sequenceNumber }).toEqual({ owner: 'w2', checkpoint: sequence[0] });
  });

  it('fires signal when another worker asks for the lease (a graceful handoff) while a batch runs; checkpoints the completed batches and hands the lease over', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c');
    let running: Batch | undefined;
    worker = stream.worker({
      maxRecords: 1,
      failoverTimeMs: 3_000,
      autoCheckpoint: { everyRecords: 10 }, // so that only the handoff checkpoints 'a'
      eachBatch: (batch) => {
        if (texts(batch.records)[0] !== 'b') return;
        running = batch;
        return untilAborted(batch.signal);
      },
    });
    const handoffs: string[] = [];
    worker.on('leaseHandoffRequested', ({ newOwner }) => handoffs.push(newOwner));
    const lost: string[] = [];
    worker.on('leaseLost', ({ shardId }) => lost.push(shardId));
    await worker.start();
    await stream.until(() => running !== undefined, "batch 'b' running");
    // w2 asks for the lease (leaseOwner w2, checkpointOwner w1); w1 hears it at its next renewal.
    await stream.store.initiateGracefulHandoff((await stream.store.getLease(SHARD))!, 'w2');
    await stream.until(() => running!.signal.aborted, 'the signal fired');
    expect(String(running!.signal.reason)).toContain('handed over to w2');
    await stream.until(async () => (await stream.store.getLease(SHARD))!.checkpointOwner === undefined, 'the lease let go');
    const lease = (await stream.store.getLease(SHARD))!;
    // Handed over at the last completed batch ('a'), not the one cut short: w2 reads 'b' again.
    expect({ owner: lease.leaseOwner, checkpoint: lease.checkpoint.sequenceNumber }).toEqual({ owner: 'w2', checkpoint: sequence[0] });
    expect({ handoffs, lost }).toEqual({ handoffs: ['w2'], lost: [] });
  });

  it('on shutdown fires signal, checkpoints the last completed batch (not the one cut short) and releases the lease', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c');
    let running: Batch | undefined;
    worker = stream.worker({
      maxRecords: 1,
      autoCheckpoint: { everyRecords: 10 }, // so that only shutdown checkpoints 'a' and 'b'
      eachBatch: (batch) => {
        if (texts(batch.records)[0] !== 'c') return;
        running = batch;
        return untilAborted(batch.signal);
      },
    });
    await worker.start();
    await stream.until(() => running !== undefined, "batch 'c' running");
    expect(await stream.checkpointOf(SHARD)).toBe('TRIM_HORIZON/0');
    await worker.shutdown();
    expect(running!.signal.aborted).toBe(true);
    const lease = (await stream.store.getLease(SHARD))!;
    expect({ owner: lease.leaseOwner, checkpoint: lease.checkpoint.sequenceNumber }).toEqual({ owner: undefined, checkpoint: sequence[1] });
  });

  it('on shutdown checkpoints a batch that still resolves after its signal fired', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b');
    let finish: (() => void) | undefined;
    worker = stream.worker({
      maxRecords: 1,
      eachBatch: (batch) => (texts(batch.records)[0] === 'b' ? new Promise<void>((resolve) => (finish = resolve)) : undefined),
    });
    await worker.start();
    await stream.until(() => finish !== undefined, "batch 'b' running");
    const stopping = worker.shutdown();
    await stream.clock.advance(0);
    finish!();
    await stopping;
    expect(await stream.checkpointOf(SHARD)).toBe(`${sequence[1]}/0`);
  });

  it('checkpoints SHARD_END at the end of a closed shard by itself', async () => {
    const stream = new ScriptedStream([SHARD]);
    stream.put(SHARD, 'a', 'b');
    stream.close(SHARD);
    const seen: string[] = [];
    worker = stream.worker({ autoCheckpoint: false, eachBatch: ({ records }) => void seen.push(...texts(records)) });
    const ended: string[] = [];
    worker.on('shardEnded', ({ shardId }) => ended.push(shardId));
    await worker.start();
    await stream.until(() => ended.length > 0, 'the shard ended');
    expect(seen).toEqual(['a', 'b']);
    expect(await stream.checkpointOf(SHARD)).toBe('SHARD_END/0');
  });

  it('with autoCheckpoint { everyRecords } checkpoints once that many records are done', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c', 'd', 'e');
    const checkpoints: (string | undefined)[] = [];
    worker = stream.worker({
      maxRecords: 1,
      autoCheckpoint: { everyRecords: 2 },
      eachBatch: async () => void checkpoints.push(await stream.checkpointOf(SHARD)),
    });
    await worker.start();
    await stream.until(() => checkpoints.length === 5, 'five batches');
    expect(checkpoints).toEqual(['TRIM_HORIZON/0', 'TRIM_HORIZON/0', `${sequence[1]}/0`, `${sequence[1]}/0`, `${sequence[3]}/0`]);
  });

  it('with autoCheckpoint { everyMs } checkpoints when a batch completes that long after the last checkpoint, and the rest on shutdown', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c');
    const checkpoints: (string | undefined)[] = [];
    const clock = stream.clock;
    let done = 0;
    worker = stream.worker({
      maxRecords: 1,
      autoCheckpoint: { everyMs: 5_000 },
      // Each batch takes 3 s of the manual clock.
      eachBatch: async () => {
        checkpoints.push(await stream.checkpointOf(SHARD));
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 3_000));
        done++;
      },
    });
    await worker.start();
    await stream.until(() => done === 3, 'three batches done');
    await clock.advance(60_000);
    // 'a' done at 3 s (no checkpoint), 'b' at 6 s (checkpoint), 'c' at 9 s (3 s after it: none).
    expect(checkpoints).toEqual(['TRIM_HORIZON/0', 'TRIM_HORIZON/0', `${sequence[1]}/0`]);
    expect(await stream.checkpointOf(SHARD)).toBe(`${sequence[1]}/0`);
    await worker.shutdown();
    expect(await stream.checkpointOf(SHARD)).toBe(`${sequence[2]}/0`);
  });

  it('with autoCheckpoint false writes only what checkpoint() asks', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c');
    let batches = 0;
    worker = stream.worker({
      autoCheckpoint: false,
      eachBatch: async (batch) => {
        batches++;
        await batch.checkpoint(batch.records[1]);
      },
    });
    await worker.start();
    await stream.until(() => batches === 1, 'one batch');
    await stream.clock.advance(10_000);
    await worker.shutdown();
    expect(await stream.checkpointOf(SHARD)).toBe(`${sequence[1]}/0`);
  });
});

describe('eachRecord on a Worker', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.shutdown();
    worker = undefined;
  });

  it('hands records over one at a time in order; a failure stops at that record, checkpoints up to the one before, and resumes there', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'b', 'c', 'd', 'e');
    const calls: string[] = [];
    const checkpointsWhileFailing: (string | undefined)[] = [];
    let failuresLeft = 2;
    worker = stream.worker({
      eachRecord: async ({ record, shardId }) => {
        expect(shardId).toBe(SHARD);
        calls.push(record.data.toString());
        if (record.data.toString() === 'c' && failuresLeft-- > 0) {
          checkpointsWhileFailing.push(await stream.checkpointOf(SHARD));
          throw new Error('downstream unavailable');
        }
      },
    });
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[4]}/0`, 'the last record checkpointed');
    expect(calls).toEqual(['a', 'b', 'c', 'c', 'c', 'd', 'e']);
    // The first failure checkpointed 'b' (the record before it); the retry found it there.
    expect(checkpointsWhileFailing).toEqual(['TRIM_HORIZON/0', `${sequence[1]}/0`]);
  });

  it('with maxBatchAttempts hands the one failing record to onBatchFailed and goes on with the next', async () => {
    const stream = new ScriptedStream([SHARD]);
    const sequence = stream.put(SHARD, 'a', 'poison', 'c');
    const done: string[] = [];
    const deadLetters: string[][] = [];
    worker = stream.worker({
      maxBatchAttempts: 2,
      eachRecord: ({ record }) => {
        if (record.data.toString() === 'poison') throw new Error('cannot parse');
        done.push(record.data.toString());
      },
      onBatchFailed: ({ records, attempts }) => void deadLetters.push([...texts(records), String(attempts)]),
    });
    await worker.start();
    await stream.until(async () => (await stream.checkpointOf(SHARD)) === `${sequence[2]}/0`, 'the last record checkpointed');
    expect(done).toEqual(['a', 'c']);
    expect(deadLetters).toEqual([['poison', '2']]);
  });
});
