import type { Lease } from './leases/Lease';
import type { LeaseCallOptions } from './leases/LeaseStore';
import type { LeaseLostEvent } from './lifecycle/WorkerEvents';
import { ScriptedStream } from '../test/ScriptedStream';
import type { Worker } from './Worker';

const SHARD = 'shardId-000000000000';

describe('Worker leaseLost (a whole worker on a scripted stream, manual clock)', () => {
  let worker: Worker | undefined;
  afterEach(async () => {
    await worker?.shutdown();
    worker = undefined;
  });

  async function holding(stream: ScriptedStream): Promise<{ lost: LeaseLostEvent[]; heard: string[] }> {
    const lost: LeaseLostEvent[] = [];
    const heard: string[] = [];
    worker = stream.worker({
      failoverTimeMs: 3_000,
      processorFactory: () => ({ processRecords: () => undefined, shardEnded: async ({ checkpointer }) => checkpointer.checkpoint(), leaseLost: () => void heard.push('leaseLost') }),
    });
    worker.on('leaseLost', (event) => lost.push(event));
    await worker.start();
    await stream.until(async () => (await stream.store.getLease(SHARD))?.leaseOwner === 'w1', 'the lease held');
    return { lost, heard };
  }

  it('a lease table that stops answering renewals: leaseLost says renewalDeadlinePassed, with a warn line, and the processor hears leaseLost()', async () => {
    const stream = new ScriptedStream([SHARD]);
    const { lost, heard } = await holding(stream);
    stream.store.renewLease = (_lease: Lease, options?: LeaseCallOptions) => new Promise<Lease>((_resolve, reject) => options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }));
    await stream.until(() => lost.length > 0, 'the lease dropped');
    expect(lost).toEqual([{ shardId: SHARD, reason: 'renewalDeadlinePassed', consecutiveFailures: 0, renewalInFlight: true, msSinceLastRenewal: expect.any(Number) }]);
    expect(lost[0]!.msSinceLastRenewal).toBeGreaterThanOrEqual(2_000 - 1_000); // the last renewal's answer came within one interval of its send
    await stream.until(() => heard.includes('leaseLost'), 'the processor told');
    expect(stream.logger.at('warn').filter((line) => line.message.startsWith('lease lost: renewal deadline passed')).map((line) => line.context['shardId'])).toEqual([SHARD]);
  });

  it('a lease another worker took: leaseLost says so (leaseChanged at the renewal, or takenByOtherWorker with its id at a scan)', async () => {
    const stream = new ScriptedStream([SHARD]);
    const { lost } = await holding(stream);
    await stream.store.takeLease((await stream.store.getLease(SHARD))!, 'w2');
    await stream.until(() => lost.length > 0, 'the loss noticed');
    expect([{ reason: 'leaseChanged' }, { reason: 'takenByOtherWorker', newOwner: 'w2' }]).toContainEqual(
      lost[0]!.reason === 'takenByOtherWorker' ? { reason: lost[0]!.reason, newOwner: lost[0]!.newOwner } : { reason: lost[0]!.reason },
    );
    expect(stream.logger.at('warn').some((line) => line.message.startsWith('lease lost: ') && line.context['shardId'] === SHARD)).toBe(true);
  });
});
