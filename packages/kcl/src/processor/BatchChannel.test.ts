import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { sdkError } from '../../test/FakeKinesis';
import { ScriptedStream } from '../../test/ScriptedStream';
import type { Worker } from '../Worker';
import { WorkerFailedError, WorkerStateError } from '../errors';
import { LeaseLostError } from '../leases/errors';
import type { Batch } from './BatchHandlerOptions';

// worker.batches() on a whole Worker: a scripted Kinesis client (no server), an in-memory lease
// table and a manual clock, so that "nothing more is fetched" is checked over minutes of clock
// time without waiting. The integration test runs it against kinesalite and dynalite.

const A = 'shardId-000000000000';
const B = 'shardId-000000000001';
const C = 'shardId-000000000002';

const text = (batch: Batch) => batch.records.map((record) => record.data.toString()).join('');

/** Pulls batches by hand (as `for await` does), one `next()` at a time. */
class Loop {
  readonly seen: Batch[] = [];
  #pending: Promise<IteratorResult<Batch>> | undefined;
  ended = false;
  failure: unknown;

  constructor(readonly iterator: AsyncIterableIterator<Batch>) {}

  /** Asks for the next batch (finishing the one in hand); `take()` resolves with it. */
  pull(): void {
    this.#pending = this.iterator.next();
    this.#pending.then(
      (result) => (result.done ? (this.ended = true) : this.seen.push(result.value)),
      (error: unknown) => {
        this.ended = true;
        this.failure = error;
      },
    );
  }

  get last(): Batch | undefined {
    return this.seen[this.seen.length - 1];
  }
}

describe('worker.batches()', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.shutdown();
    worker = undefined;
  });

  it('hands over every batch of every shard, in order per shard, and checkpoints each once the loop asks for the next', async () => {
    const stream = new ScriptedStream([A, B]);
    const a = stream.put(A, 'a1', 'a2', 'a3');
    const b = stream.put(B, 'b1', 'b2');
    worker = stream.worker({ maxRecords: 1 });
    const seen: string[] = [];
    const loop = (async () => {
      for await (const batch of worker!.batches()) {
        seen.push(`${batch.shardId === A ? 'A' : 'B'}:${text(batch)}`);
        if (seen.length === 5) break;
      }
    })();
    let done = false;
    void loop.then(() => (done = true));
    await stream.until(() => done, 'five batches');
    await loop;
    expect(seen.filter((entry) => entry.startsWith('A'))).toEqual(['A:a1', 'A:a2', 'A:a3']);
    expect(seen.filter((entry) => entry.startsWith('B'))).toEqual(['B:b1', 'B:b2']);
    // The last batch was in hand at the break: not done, not checkpointed. All others were.
    const lastShard = seen[4]!.startsWith('A') ? A : B;
    const expected = { [A]: `${a[lastShard === A ? 1 : 2]}/0`, [B]: `${b[lastShard === B ? 0 : 1]}/0` };
    expect({ [A]: await stream.checkpointOf(A), [B]: await stream.checkpointOf(B) }).toEqual(expected);
    // break shut the worker down and released the leases.
    expect((await stream.store.getLease(A))!.leaseOwner).toBeUndefined();
    expect((await stream.store.getLease(B))!.leaseOwner).toBeUndefined();
  });

  it.each([2, 5])('fetches nothing beyond the batch in hand and maxPrefetchedBatches (%i) per shard while the loop is busy', async (maxPrefetchedBatches) => {
    const stream = new ScriptedStream([A]);
    stream.put(A, ...Array.from({ length: 50 }, (_, i) => `r${i}`));
    worker = stream.worker({ maxRecords: 1, maxPrefetchedBatches });
    const loop = new Loop(worker.batches());
    loop.pull();
    await stream.until(() => loop.seen.length === 1, 'the first batch');
    // The loop is busy with it for ten minutes of the worker's clock.
    await stream.clock.advance(600_000);
    expect(stream.getRecordsCalls(A)).toBe(1 + maxPrefetchedBatches);
    // Each batch the loop finishes lets one more be fetched.
    for (let taken = 2; taken <= 4; taken++) {
      loop.pull();
      await stream.until(() => loop.seen.length === taken, `batch ${taken}`);
      await stream.clock.advance(600_000);
      expect(stream.getRecordsCalls(A)).toBe(taken + maxPrefetchedBatches);
    }
    expect(loop.seen.map(text)).toEqual(['r0', 'r1', 'r2', 'r3']);
  });

  it('bounds every shard while the loop is busy: a shard whose batch waits behind another shard’s fetches no more than the one in hand', async () => {
    const stream = new ScriptedStream([A, B]);
    for (const shardId of [A, B]) stream.put(shardId, ...Array.from({ length: 50 }, (_, i) => `${shardId.slice(-1)}${i}`));
    worker = stream.worker({ maxRecords: 1, maxPrefetchedBatches: 2 });
    const loop = new Loop(worker.batches());
    loop.pull();
    await stream.until(() => loop.seen.length === 1, 'the first batch');
    await stream.clock.advance(600_000);
    // One batch in the loop's hands, one waiting for it, and two prefetched behind each.
    expect([stream.getRecordsCalls(A), stream.getRecordsCalls(B)]).toEqual([3, 3]);
    expect(loop.seen).toHaveLength(1);
  });

  it('on a lost lease fires the signal of the batch in hand (its checkpoint() rejects) and drops the shard’s waiting batch; other shards go on', async () => {
    const shards = [A, B, C];
    const stream = new ScriptedStream(shards);
    for (const shardId of shards) stream.put(shardId, `${shardId.slice(-1)}1`, `${shardId.slice(-1)}2`);
    // No balancing steals: the leases taken away below stay away.
    worker = stream.worker({ maxRecords: 1, maxLeasesToStealAtOneTime: 0 });
    const loop = new Loop(worker.batches());
    loop.pull();
    await stream.until(() => loop.seen.length === 1, 'the first batch');
    const held = loop.last!;
    const [waiting, going] = shards.filter((shardId) => shardId !== held.shardId) as [string, string];
    // The other shards' first batches wait for the loop, and their prefetch is full.
    await stream.until(() => stream.getRecordsCalls(waiting) >= 2 && stream.getRecordsCalls(going) >= 2, 'the other shards blocked behind the loop');
    // Another worker takes two leases; this worker finds out at its next renewal.
    for (const shardId of [held.shardId, waiting]) await stream.store.takeLease((await stream.store.getLease(shardId))!, 'w2');
    await stream.until(() => held.signal.aborted, 'the held batch aborted');
    expect(held.signal.reason).toBeInstanceOf(LeaseLostError);
    await expect(held.checkpoint()).rejects.toBeInstanceOf(LeaseLostError);
    // Only the shard still held comes now, both its batches; the waiting batch of the lost one was dropped.
    loop.pull();
    await stream.until(() => loop.seen.length === 2, 'the next batch');
    loop.pull();
    await stream.until(() => loop.seen.length === 3, 'the one after');
    loop.pull();
    await stream.clock.advance(15_000);
    expect(loop.seen.slice(1).map((batch) => batch.shardId)).toEqual([going, going]);
    await worker.shutdown();
    await stream.until(() => loop.ended, 'the iteration ended');
    expect(loop.seen).toHaveLength(3);
    expect(loop.failure).toBeUndefined();
  });

  it('ends the iteration when the worker is shut down from elsewhere, after checkpointing what the loop finished', async () => {
    const stream = new ScriptedStream([A]);
    const sequence = stream.put(A, 'a1', 'a2', 'a3');
    worker = stream.worker({ maxRecords: 1 });
    const loop = new Loop(worker.batches());
    loop.pull();
    await stream.until(() => loop.seen.length === 1, 'a1');
    loop.pull();
    await stream.until(() => loop.seen.length === 2, 'a2');
    const stopping = worker.shutdown(); // a SIGTERM handler
    await stream.until(() => loop.last!.signal.aborted, 'the batch in hand aborted');
    await stopping;
    loop.pull();
    await stream.until(() => loop.ended, 'the iteration ended');
    expect(loop.failure).toBeUndefined();
    expect(await stream.checkpointOf(A)).toBe(`${sequence[0]}/0`);
  });

  it('throws the WorkerFailedError of a worker that cannot start', async () => {
    const stream = new ScriptedStream([A]);
    stream.kinesis.on('DescribeStreamSummary', () => {
      throw sdkError('ResourceNotFoundException');
    });
    worker = stream.worker();
    const loop = new Loop(worker.batches());
    loop.pull();
    await stream.until(() => loop.ended, 'the iteration ended');
    expect(loop.failure).toBeInstanceOf(WorkerFailedError);
    expect((loop.failure as WorkerFailedError).reason).toBe('ResourceNotFoundException');
  });

  it('is one consumer: refused on a worker with eachBatch or processorFactory, or a second time; start() without any consumer is refused', async () => {
    const stream = new ScriptedStream([A]);
    expect(() => stream.worker({ eachBatch: () => undefined }).batches()).toThrow(WorkerStateError);
    expect(() => stream.worker({ processorFactory: () => ({ processRecords: () => undefined, shardEnded: () => undefined }) }).batches()).toThrow(
      'Worker.batches(): the worker is consuming through processorFactory',
    );
    const iterated = stream.worker();
    iterated.batches();
    expect(() => iterated.batches()).toThrow('Worker.batches(): the worker is already iterated');
    const idle = stream.worker();
    await expect(idle.start()).rejects.toThrow(InvalidArgumentError);
    await expect(stream.worker().start()).rejects.toThrow(
      'eachBatch | eachRecord | processorFactory: expected one of them, or iterate worker.batches() instead of calling start(), got undefined',
    );
  });
});
