import { ScriptedStream } from '../test/ScriptedStream';
import type { Worker } from './Worker';

const SHARD = 'shardId-000000000000';

describe('Worker.shutdown() (a whole worker on a scripted stream, manual clock)', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.shutdown();
    worker = undefined;
  });

  it('keeps renewing its leases while a processor takes longer than failoverTimeMs to finish, then releases them', async () => {
    const stream = new ScriptedStream([SHARD]);
    stream.put(SHARD, 'a', 'b');
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    let shutdownRequested = false;
    worker = stream.worker({
      failoverTimeMs: 3_000,
      processorFactory: () => ({
        processRecords: () => undefined,
        shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(),
        shutdownRequested: async ({ checkpointer }) => {
          shutdownRequested = true;
          await finished;
          await checkpointer.checkpoint();
        },
      }),
    });
    await worker.start();
    await stream.until(async () => (await stream.store.getLease(SHARD))?.leaseOwner === 'w1', 'the lease held');

    const stopping = worker.shutdown();
    await stream.until(() => shutdownRequested, 'shutdownRequested called');
    const counterBefore = (await stream.store.getLease(SHARD))!.leaseCounter;
    // Three failover times pass while the processor is still finishing: another worker would have
    // taken the lease as expired unless its counter kept moving.
    for (let i = 0; i < 90; i++) await stream.clock.advance(100);
    const during = (await stream.store.getLease(SHARD))!;
    expect({ owner: during.leaseOwner, renewed: during.leaseCounter > counterBefore }).toEqual({ owner: 'w1', renewed: true });

    finish();
    await stream.until(async () => (await stream.store.getLease(SHARD))?.leaseOwner === undefined, 'the lease released');
    await expect(stopping).resolves.toBeUndefined();
  });
});
