import { compareExtendedSequenceNumbers as compareExtended } from '@kinesis-toolkit/core';
import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import { ContinuousProducer } from '../test/ContinuousProducer';
import { WorkerProcess, type Delivery } from '../test/WorkerProcess';
import { listShardRanges, partitionKeysIn } from '../test/partitionKeys';
import { countByOwner, owners, showOwners, until } from '../test/processPhases';
import type { ReportedPosition } from '../test/workerProcessProtocol';

// Balancing moves between Worker processes on a busy stream, with graceful handoffs (the KCL 3.x
// checkpointOwner protocol): two workers start, a third joins, one leaves with SIGTERM — and no
// record is delivered twice, though the processors checkpoint only every few batches (a lease
// taken from one mid-way would be read again from its last checkpoint). Then one is killed with
// SIGKILL: records are delivered twice only after its last checkpoint on its shards.
//
// KT_HANDOFF_TIMEOUT_MS=0 runs the same test with handoffs off (balancing steals at once, as
// before graceful handoffs): it fails, with the duplicates the steals cause.

const SHARD_COUNT = 6;
/** Long enough that renewals get through on a loaded machine: a lease dropped under load would be read twice too. */
const FAILOVER_TIME_MS = 6000;
const RENEWAL_INTERVAL_MS = Math.floor(FAILOVER_TIME_MS / 3);
/** Each processor checkpoints after this many batches (and in shutdownRequested). */
const CHECKPOINT_EVERY_BATCHES = 4;
/** Bound on each phase's wait (a poll), far above the expected times. */
const PHASE_TIMEOUT_MS = 30_000;
const HANDOFF_TIMEOUT_MS = process.env.KT_HANDOFF_TIMEOUT_MS === undefined ? 15_000 : Number(process.env.KT_HANDOFF_TIMEOUT_MS);

let stack: TestStack;
let producer: ContinuousProducer | undefined;
const children: WorkerProcess[] = [];

beforeAll(() => {
  stack = getTestStack();
});

afterAll(async () => {
  await Promise.all(children.map((child) => child.destroy()));
  await producer?.stop().catch(() => undefined);
  stack.destroy();
});

const format = (p: ReportedPosition | undefined) => (p === undefined ? 'none' : `${p.sequenceNumber}/${p.subSequenceNumber}`);

/** Records delivered more than once (by id), with where. */
function duplicated(deliveries: Delivery[]): Map<string, Delivery[]> {
  const byId = new Map<string, Delivery[]>();
  for (const d of deliveries) byId.set(d.data, [...(byId.get(d.data) ?? []), d]);
  return new Map([...byId].filter(([, ds]) => ds.length > 1));
}

const describeDuplicates = (dups: Map<string, Delivery[]>) =>
  [...dups]
    .slice(0, 5)
    .map(([id, ds]) => `${id}: ${ds.map((d) => `${d.worker.slice(0, 6)}@${d.shardId.slice(-2)}:${format(d)}`).join(', ')}`)
    .join('; ');

describe('balancing moves between Worker processes hand leases over gracefully', () => {
  const streamName = uniqueName('kcl-handoff');
  const applicationName = uniqueName('kcl-handoff-app');
  const workerOptions = (name: string) => ({
    workerId: `proc-${name}-${applicationName}`,
    streamName,
    applicationName,
    kinesisEndpoint: stack.kinesis.endpoint,
    dynamodbEndpoint: stack.dynamodb.endpoint,
    failoverTimeMs: FAILOVER_TIME_MS,
    idleTimeBetweenReadsMs: 200,
    initialPosition: 'TRIM_HORIZON' as const,
    checkpointEveryBatches: CHECKPOINT_EVERY_BATCHES,
    gracefulLeaseHandoffTimeoutMs: HANDOFF_TIMEOUT_MS,
  });
  let store: DynamoDBLeaseStore;
  let phase: 'none' | 'two' | 'joined' | 'left' | 'killed' = 'none';
  const all = () => children.filter((child) => child.workerId.endsWith(applicationName));

  /** Waits until the table shows `counts` (sorted, e.g. '3/3'), no handoff under way, and every live worker's view agrees. */
  async function settled(description: string, counts: string, live: WorkerProcess[]): Promise<void> {
    let seen = '';
    await until(description, PHASE_TIMEOUT_MS, live, async () => {
      const { leases } = await store.listLeases();
      const table = new Map(leases.map((lease) => [lease.leaseKey, lease.leaseOwner]));
      seen = `${showOwners(table)}${leases.some((lease) => lease.checkpointOwner !== undefined) ? ' (a handoff under way)' : ''}`;
      if (leases.some((lease) => lease.checkpointOwner !== undefined)) return false;
      if ([...countByOwner(table).values()].sort().join('/') !== counts || ![...table.values()].every((owner) => live.some((child) => child.workerId === owner))) return false;
      for (const child of live) {
        const held = await child.heldShards();
        const fromTable = [...table.entries()].filter(([, owner]) => owner === child.workerId).map(([shardId]) => shardId).sort();
        if (held.join() !== fromTable.join()) return false;
      }
      return true;
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nlast seen: ${seen}`);
    });
  }

  /** Waits until every record produced so far has been delivered. */
  async function drained(live: WorkerProcess[]): Promise<void> {
    const target = [...producer!.produced];
    await until(`the ${target.length} records produced so far to be delivered`, PHASE_TIMEOUT_MS, live, () => {
      const delivered = new Set(all().flatMap((child) => child.deliveries().map((d) => d.data)));
      return target.every((id) => delivered.has(id));
    });
  }

  it('two workers start on a busy stream and settle 3/3, handing leases over (no steal, no lease lost)', async () => {
    await createStream(stack.kinesis.client, streamName, SHARD_COUNT);
    store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName });
    const ranges = await listShardRanges(stack.kinesis.client, streamName);
    producer = new ContinuousProducer({ kinesis: stack.kinesis.client, streamName, partitionKeys: ranges.flatMap((r) => partitionKeysIn(r, 2, `key-${r.shardId.slice(-2)}`)), recordsPerKey: 3, tickMs: 100 });
    producer.start();
    // The first takes all six; the second, started a moment later, asks for three.
    children.push(new WorkerProcess(workerOptions('a')));
    await until('the first worker to start', 15_000, all(), () => all()[0]!.of('started').length === 1);
    children.push(new WorkerProcess(workerOptions('b')));
    await settled('a 3/3 spread over two workers', '3/3', all());
    await drained(all());
    phase = 'two';
  }, 90_000);

  it('a third worker joins: it is handed two leases (2/2/2)', async () => {
    if (phase !== 'two') throw new Error('not run: the first phase failed');
    children.push(new WorkerProcess(workerOptions('c')));
    await settled('a 2/2/2 spread over three workers', '2/2/2', all());
    await drained(all());
    phase = 'joined';
  }, 90_000);

  it('one leaves gracefully (SIGTERM): the others take its released leases (3/3)', async () => {
    if (phase !== 'joined') throw new Error('not run: the join phase failed');
    const [, leaving] = all() as [WorkerProcess, WorkerProcess, WorkerProcess];
    leaving.kill('SIGTERM');
    expect(await leaving.exited).toEqual({ code: 0, signal: null });
    const staying = all().filter((child) => child !== leaving);
    await settled('a 3/3 spread over the two that stay', '3/3', staying);
    await drained(staying);
    phase = 'left';
  }, 90_000);

  it('no record was delivered twice, and every move between live workers was a completed handoff', () => {
    if (phase !== 'left') throw new Error('not run: an earlier phase failed');
    const workers = all();
    const dups = duplicated(workers.flatMap((child) => child.deliveries()));
    const takes = workers.flatMap((child) => child.events('leaseTaken').map((e) => `${child.workerId.slice(5, 6)}<-${e.previousOwner?.slice(5, 6) ?? '-'} ${e.how} ${e.shardId?.slice(-2)}`));
    console.log(`[handoff] ${producer!.produced.length} records produced; takes: ${takes.join(', ')}`);
    expect({ duplicates: dups.size, examples: describeDuplicates(dups) }).toEqual({ duplicates: 0, examples: '' });
    // Balancing asked, the owners handed over: nothing stolen, nothing lost, nothing timed out.
    expect(workers.flatMap((child) => child.events('leaseTaken')).filter((e) => e.how !== 'unowned' && e.how !== 'handedOver')).toEqual([]);
    expect(workers.flatMap((child) => child.events('leaseLost'))).toEqual([]);
    // The owners were told, and their processors checkpointed before letting go.
    const handedOver = workers.flatMap((child) => child.events('leaseTaken')).filter((e) => e.how === 'handedOver').length;
    expect(handedOver).toBeGreaterThanOrEqual(5);
    expect(workers.flatMap((child) => child.events('leaseHandoffRequested'))).toHaveLength(handedOver);
  });

  it('kill -9: the survivor takes the dead worker’s leases once expired; only records after its last checkpoints are delivered twice', async () => {
    if (phase !== 'left') throw new Error('not run: an earlier phase failed');
    const [survivor, victim] = all().filter((child) => child.alive) as [WorkerProcess, WorkerProcess];
    const before = await owners(store);
    const victimShards = [...before].filter(([, owner]) => owner === victim.workerId).map(([shardId]) => shardId);
    const deliveredBeforeKill = new Set(all().flatMap((child) => child.deliveries().map((d) => d.data)));
    victim.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    const takesSinceKill = () => survivor.events('leaseTaken').filter((e) => e.at >= killedAt && victimShards.includes(e.shardId!));
    // The table shows the takes; the survivor's leaseTaken events follow over IPC.
    await until(`the survivor to take ${victimShards.join(', ')}`, PHASE_TIMEOUT_MS, [survivor], async () => {
      const owned = await owners(store);
      return victimShards.every((shardId) => owned.get(shardId) === survivor.workerId) && takesSinceKill().length >= victimShards.length;
    });
    const takes = takesSinceKill();
    expect(takes.map((e) => e.how)).toEqual(victimShards.map(() => 'expired'));
    await producer!.stop();
    await drained([survivor]);
    survivor.kill('SIGTERM');
    expect(await survivor.exited).toEqual({ code: 0, signal: null });
    phase = 'killed';

    const lastCheckpoint = new Map(victimShards.map((shardId) => [shardId, victim.of('checkpointed').filter((m) => m.shardId === shardId).pop()?.position]));
    const violations: string[] = [];
    for (const [id, ds] of duplicated(all().flatMap((child) => child.deliveries()))) {
      const [first, second, ...more] = ds.sort((a, b) => a.at - b.at) as [Delivery, Delivery, ...Delivery[]];
      const show = `${id}: ${ds.map((d) => `${d.worker.slice(5, 6)}@${d.shardId.slice(-2)}:${format(d)}`).join(', ')}`;
      const checkpoint = lastCheckpoint.get(first.shardId);
      const explained =
        more.length === 0 &&
        first.worker === victim.workerId &&
        second.worker === survivor.workerId &&
        deliveredBeforeKill.has(id) &&
        (checkpoint === undefined || compareExtended(first, checkpoint) > 0);
      if (!explained) violations.push(show);
    }
    console.log(`[handoff] after the SIGKILL, the dead worker's last checkpoints: ${[...lastCheckpoint].map(([s, p]) => `${s.slice(-2)}=${format(p)}`).join(', ')}`);
    expect(violations).toEqual([]);
    const produced = producer!.produced;
    const delivered = new Set(all().flatMap((child) => child.deliveries().map((d) => d.data)));
    expect(produced.filter((id) => !delivered.has(id))).toEqual([]);
    // Expiry, not something faster: no lease was taken before its counter could have stood still for failoverTimeMs.
    expect(Math.min(...takes.map((e) => e.at - killedAt))).toBeGreaterThanOrEqual(FAILOVER_TIME_MS - RENEWAL_INTERVAL_MS);
  }, 90_000);
});
