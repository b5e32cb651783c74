import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { compareExtendedSequenceNumbers as compareExtended } from '@kinesis-toolkit/core';
import { Worker } from './Worker';
import { DynamoDBLeaseStore } from './leases/DynamoDBLeaseStore';
import { ContinuousProducer } from '../test/ContinuousProducer';
import { GatedLeaseStore } from '../test/GatedLeaseStore';
import { Recorder, RecordingProcessor } from '../test/RecordingProcessor';
import { WorkerProcess, type Delivery } from '../test/WorkerProcess';
import { listShardRanges, partitionKeysIn } from '../test/partitionKeys';
import { countByOwner, owners, showOwners, until } from '../test/processPhases';
import type { ReportedPosition } from '../test/workerProcessProtocol';

// Three workers in three node processes share an 8-shard stream. One is killed with SIGKILL
// (no shutdown, no release: its leases must expire), another is stopped with SIGTERM (graceful:
// checkpoint, release, immediate handoff). Records are produced, KPL-aggregated, throughout.

const SHARD_COUNT = 8;
const FAILOVER_TIME_MS = 2000;
/** The worker's default renewal interval: failoverTimeMs / 3. */
const RENEWAL_INTERVAL_MS = Math.floor(FAILOVER_TIME_MS / 3);
/**
 * How long the tests wait for a takeover or a handoff before giving up: a bound on a poll, far above
 * the expected times (failoverTimeMs + a renewal interval; a round for a handoff). How fast they are
 * is a benchmark figure (npm run bench -- kcl: "Takeover"), not something these tests assert.
 */
const PHASE_TIMEOUT_MS = 15_000;
/** The children's simulated work per batch, between delivery and checkpoint: where the SIGKILL lands. */
const BATCH_PROCESSING_MS = 50;

let stack: TestStack;
let producer: ContinuousProducer | undefined;
const children: WorkerProcess[] = [];

beforeAll(() => {
  stack = getTestStack();
});

afterAll(async () => {
  // Whatever happened, no worker process outlives the file.
  await Promise.all(children.map((child) => child.destroy()));
  await producer?.stop().catch(() => undefined);
  stack.destroy();
});

const format = (p: ReportedPosition | undefined) => (p === undefined ? 'none' : `${p.sequenceNumber}/${p.subSequenceNumber}`);

/** When the first leaseTaken of `shardId` by one of `takers` at or after `since` was reported. */
function firstTake(takers: WorkerProcess[], shardId: string, since: number, previousOwner: string | undefined): { worker: string; at: number } | undefined {
  const takes = takers
    .flatMap((child) => child.events('leaseTaken').map((event) => ({ worker: child.workerId, event })))
    .filter(({ event }) => event.shardId === shardId && event.at >= since && event.previousOwner === previousOwner)
    .sort((a, b) => a.event.at - b.event.at);
  return takes[0] === undefined ? undefined : { worker: takes[0].worker, at: takes[0].event.at };
}

/** Where `worker` initialised `shardId` at or after `since` (the checkpoint it resumed from). */
function resumedFrom(worker: WorkerProcess, shardId: string, since: number): ReportedPosition | undefined {
  return worker.of('initialize').find((m) => m.shardId === shardId && m.at >= since)?.startingSequenceNumber;
}

/**
 * The checkpoint a worker that stopped gracefully left on a shard: the last it wrote there (in a
 * batch or at shutdown), or, if it wrote none, the one it resumed from (it took the shard and
 * stopped before a batch came).
 */
function lastKnownCheckpoint(worker: WorkerProcess, shardId: string): ReportedPosition | undefined {
  let known: ReportedPosition | undefined;
  for (const m of worker.messages) {
    if (!('shardId' in m) || m.shardId !== shardId) continue;
    if (m.type === 'initialize') known = m.startingSequenceNumber;
    else if (m.type === 'checkpointed') known = m.position;
    else if (m.type === 'shutdownRequested' && m.checkpointed !== undefined) known = m.checkpointed;
  }
  return known;
}

describe('three Worker processes on an 8-shard stream', () => {
  const streamName = uniqueName('kcl-procs');
  const applicationName = uniqueName('kcl-procs-app');
  let survivors: WorkerProcess[] = [];
  let victim: WorkerProcess | undefined;
  let victimShards: string[] = [];
  let killedAt = 0;
  let phase: 'none' | 'spread' | 'killed' | 'handedOff' = 'none';
  let store: DynamoDBLeaseStore;

  it('spreads the 8 leases evenly (3/3/2) over three processes', async () => {
    await createStream(stack.kinesis.client, streamName, SHARD_COUNT);
    store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName });
    const ranges = await listShardRanges(stack.kinesis.client, streamName);
    expect(ranges).toHaveLength(SHARD_COUNT);
    // Two keys per shard, so every shard receives records on every tick.
    const partitionKeys = ranges.flatMap((range) => partitionKeysIn(range, 2, `key-${range.shardId.slice(-2)}`));
    producer = new ContinuousProducer({ kinesis: stack.kinesis.client, streamName, partitionKeys, recordsPerKey: 3, tickMs: 100 });

    const startedAt = Date.now();
    for (const name of ['a', 'b', 'c']) {
      children.push(
        new WorkerProcess({
          workerId: `proc-${name}-${applicationName}`,
          streamName,
          applicationName,
          kinesisEndpoint: stack.kinesis.endpoint,
          dynamodbEndpoint: stack.dynamodb.endpoint,
          failoverTimeMs: FAILOVER_TIME_MS,
          idleTimeBetweenReadsMs: 200,
          initialPosition: 'TRIM_HORIZON',
          batchProcessingMs: BATCH_PROCESSING_MS,
        }),
      );
    }
    await until('three worker processes to start', 15_000, children, () => children.every((child) => child.of('started').length === 1));
    let owned = new Map<string, string | undefined>();
    const workerIds = new Set(children.map((child) => child.workerId));
    await until(`an even spread (3/3/2) of ${SHARD_COUNT} leases`, 15_000, children, async () => {
      owned = await owners(store).catch(() => new Map());
      const counts = [...countByOwner(owned).entries()];
      return (
        owned.size === SHARD_COUNT &&
        counts.every(([owner]) => workerIds.has(owner)) &&
        counts.map(([, n]) => n).sort().join('/') === '2/3/3'
      );
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nlast seen: ${showOwners(owned)}`);
    });
    console.log(`[processes] leases spread ${showOwners(owned)} ${Date.now() - startedAt} ms after spawning`);
    // Each worker's own view agrees with the table, once a worker whose lease was stolen while
    // balancing has noticed (at its next renewal).
    let views = '';
    await until('every worker to see the leases it holds as the table does', RENEWAL_INTERVAL_MS + 2000, children, async () => {
      const table = await owners(store);
      const mismatches: string[] = [];
      for (const child of children) {
        const fromTable = [...table.entries()].filter(([, owner]) => owner === child.workerId).map(([shardId]) => shardId).sort();
        const held = await child.heldShards();
        if (held.join() !== fromTable.join()) mismatches.push(`${child.workerId} holds [${held.join(', ')}], the table says [${fromTable.join(', ')}]`);
      }
      views = mismatches.join('; ');
      return mismatches.length === 0 && showOwners(table) === showOwners(owned);
    }).catch((error: Error) => {
      throw new Error(`${error.message}\n${views}`);
    });

    producer.start();
    await until('three checkpoints on each of the 8 shards', 15_000, children, () => {
      const perShard = new Map<string, number>();
      for (const m of children.flatMap((child) => child.of('checkpointed'))) perShard.set(m.shardId, (perShard.get(m.shardId) ?? 0) + 1);
      return perShard.size === SHARD_COUNT && [...perShard.values()].every((n) => n >= 3);
    });
    phase = 'spread';
  }, 35_000);

  it("SIGKILL: the dead worker's shards are taken once they expired (not before failoverTimeMs − a renewal interval), at its last checkpoints", async () => {
    if (phase !== 'spread') throw new Error('not run: the spread phase failed');
    const before = await owners(store);
    victim = children.find((child) => countByOwner(before).get(child.workerId) === 3)!;
    survivors = children.filter((child) => child !== victim);
    victimShards = [...before.entries()].filter(([, owner]) => owner === victim!.workerId).map(([shardId]) => shardId).sort();

    // Kill it mid-batch: as soon as it reports a delivery, while that batch is not yet checkpointed.
    const dying = victim;
    killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${dying.workerId} delivered no batch within 5 s. ${dying.describe()}`)), 5000);
      const stop = dying.onMessage((message) => {
        if (message.type !== 'records') return;
        dying.kill('SIGKILL');
        stop();
        clearTimeout(timer);
        resolve(Date.now());
      });
    });
    expect(await victim.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const unfinished = victim.of('records').at(-1)!;
    // It sleeps BATCH_PROCESSING_MS before checkpointing a batch, so the kill came first.
    expect(victim.of('checkpointed').filter((m) => m.shardId === unfinished.shardId && m.at >= unfinished.at)).toEqual([]);
    // The table shows the takes; the takers' leaseTaken events (their timestamps) follow over IPC.
    await until(`the survivors to take ${victimShards.join(', ')} from the dead worker`, PHASE_TIMEOUT_MS, survivors, async () => {
      const owned = await owners(store);
      return victimShards.every(
        (shardId) => survivors.some((child) => child.workerId === owned.get(shardId)) && firstTake(survivors, shardId, killedAt, victim!.workerId) !== undefined,
      );
    });
    const takes = victimShards.map((shardId) => ({ shardId, take: firstTake(survivors, shardId, killedAt, victim!.workerId) }));
    const takeoverMs = Math.max(...takes.map(({ take }) => take!.at - killedAt));
    console.log(
      `[processes] SIGKILL takeover: ${takeoverMs} ms (failover ${FAILOVER_TIME_MS}, renewal ${RENEWAL_INTERVAL_MS}); ` +
        takes.map(({ shardId, take }) => `${shardId.slice(-2)}→${take!.worker.slice(5, 6)} +${take!.at - killedAt}ms`).join(', '),
    );
    // Expiry, not something faster and unsafe: no shard is taken before its counter could have stood still long enough.
    expect(Math.min(...takes.map(({ take }) => take!.at - killedAt))).toBeGreaterThanOrEqual(FAILOVER_TIME_MS - RENEWAL_INTERVAL_MS);

    // Two live workers, eight leases: 4/4 once the takes settle.
    let owned = new Map<string, string | undefined>();
    await until('a 4/4 spread over the two survivors', 5000, survivors, async () => {
      owned = await owners(store);
      return survivors.every((child) => countByOwner(owned).get(child.workerId) === 4);
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nlast seen: ${showOwners(owned)}`);
    });
    // The takers resume where the dead worker last checkpointed, never before.
    for (const shardId of victimShards) {
      const taker = survivors.find((child) => child.workerId === owned.get(shardId))!;
      await until(`${taker.workerId} to initialise ${shardId}`, 5000, survivors, () => resumedFrom(taker, shardId, killedAt) !== undefined);
      const lastCheckpoint = victim.of('checkpointed').filter((m) => m.shardId === shardId).pop()?.position;
      const resumed = resumedFrom(taker, shardId, killedAt)!;
      expect({ shardId, resumedAtOrAfterLastCheckpoint: lastCheckpoint === undefined || compareExtended(resumed, lastCheckpoint) >= 0 }).toEqual({
        shardId,
        resumedAtOrAfterLastCheckpoint: true,
      });
      if (shardId === unfinished.shardId) {
        // ...and before the batch the dead worker never checkpointed.
        expect({ shardId, resumedBeforeUnfinishedBatch: compareExtended(resumed, unfinished.records[0]!) < 0 }).toEqual({ shardId, resumedBeforeUnfinishedBatch: true });
      }
    }
    phase = 'killed';
  }, 20_000);

  it('SIGTERM: graceful shutdown releases the leases, which the other worker takes unowned (no expiry wait), resuming at the shutdown checkpoints', async () => {
    if (phase !== 'killed') throw new Error('not run: the SIGKILL phase failed');
    const [leaving, staying] = survivors as [WorkerProcess, WorkerProcess];
    const before = await owners(store);
    const leavingShards = [...before.entries()].filter(([, owner]) => owner === leaving.workerId).map(([shardId]) => shardId).sort();
    expect(leavingShards).toHaveLength(4);

    const termAt = Date.now();
    leaving.kill('SIGTERM');
    // Released leases have no owner: the takes name none as the previous owner.
    await until(`${staying.workerId} to take all ${SHARD_COUNT} leases, the released ones unowned`, PHASE_TIMEOUT_MS, [staying], async () => {
      const owned = await owners(store);
      return (
        owned.size === SHARD_COUNT &&
        [...owned.values()].every((owner) => owner === staying.workerId) &&
        leavingShards.every((shardId) => firstTake([staying], shardId, termAt, undefined) !== undefined)
      );
    });
    const takes = leavingShards.map((shardId) => ({ shardId, take: firstTake([staying], shardId, termAt, undefined) }));
    const handoffMs = Math.max(...takes.map(({ take }) => take!.at - termAt));
    const exit = await Promise.race([leaving.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 5000).unref())]);
    const stopped = leaving.of('stopped')[0];
    console.log(`[processes] SIGTERM handoff: ${handoffMs} ms; the leaving worker's shutdown() took ${stopped?.shutdownMs ?? '?'} ms`);
    expect(exit).toEqual({ code: 0, signal: null });
    // (Its processors also heard shutdownRequested earlier, for leases it handed over while balancing.)
    expect(leaving.of('shutdownRequested').filter((m) => m.at >= termAt).map((m) => m.shardId).sort()).toEqual(leavingShards);
    // The taker resumes exactly at the leaving worker's shutdown checkpoint.
    for (const shardId of leavingShards) {
      await until(`${staying.workerId} to initialise ${shardId}`, 5000, [staying], () => resumedFrom(staying, shardId, termAt) !== undefined);
      expect({ shardId, resumedFrom: format(resumedFrom(staying, shardId, termAt)) }).toEqual({ shardId, resumedFrom: format(lastKnownCheckpoint(leaving, shardId)) });
    }
    // Records keep flowing on the handed-over shards.
    await until('records delivered on the handed-over shards', 5000, [staying], () =>
      leavingShards.every((shardId) => staying.deliveries().some((d) => d.shardId === shardId && d.at > termAt)),
    );
    phase = 'handedOff';
  }, 20_000);

  it('lost no record, and duplicated only records after the killed worker’s last checkpoint on its shards', async () => {
    if (phase !== 'handedOff' || victim === undefined) throw new Error('not run: an earlier phase failed');
    const staying = survivors[1]!;
    await producer!.stop();
    const produced = producer!.produced;
    await until(`all ${produced.length} produced records to be delivered`, 15_000, [staying], () => {
      const delivered = new Set(children.flatMap((child) => child.deliveries().map((d) => d.data)));
      return produced.every((id) => delivered.has(id));
    }).catch((error: Error) => {
      const delivered = new Set(children.flatMap((child) => child.deliveries().map((d) => d.data)));
      const lost = produced.filter((id) => !delivered.has(id));
      throw new Error(`${error.message}\n${lost.length} never delivered, e.g. ${lost.slice(0, 10).join(', ')}`);
    });
    staying.kill('SIGTERM');
    expect(await staying.exited).toEqual({ code: 0, signal: null });

    const deliveries = children.flatMap((child) => child.deliveries());
    const byId = new Map<string, Delivery[]>();
    for (const d of deliveries) byId.set(d.data, [...(byId.get(d.data) ?? []), d]);
    const producedSet = new Set(produced);
    expect([...byId.keys()].filter((id) => !producedSet.has(id))).toEqual([]);

    // Per worker and shard, delivery order is shard order.
    const outOfOrder: string[] = [];
    for (const child of children) {
      const last = new Map<string, Delivery>();
      for (const d of child.deliveries()) {
        const previous = last.get(d.shardId);
        if (previous && compareExtended(d, previous) <= 0) outOfOrder.push(`${d.worker} ${d.shardId}: ${format(previous)} then ${format(d)}`);
        last.set(d.shardId, d);
      }
    }
    expect(outOfOrder).toEqual([]);

    const victimLastCheckpoint = new Map(victimShards.map((shardId) => [shardId, victim!.of('checkpointed').filter((m) => m.shardId === shardId).pop()?.position]));
    const violations: string[] = [];
    let killDuplicates = 0;
    for (const [id, ds] of byId) {
      if (ds.length === 1) continue;
      ds.sort((a, b) => a.at - b.at);
      const show = `${id} delivered ${ds.length}×: ${ds.map((d) => `${d.worker.slice(0, 6)}@${d.shardId.slice(-2)}:${format(d)} at ${d.at}`).join(', ')}`;
      const byVictim = ds.filter((d) => d.worker === victim!.workerId);
      const [first, second] = ds as [Delivery, Delivery];
      if (ds.length !== 2 || byVictim.length !== 1 || first.worker !== victim.workerId) {
        violations.push(`${show} — not explained by the SIGKILL`);
        continue;
      }
      if (!victimShards.includes(first.shardId) || second.shardId !== first.shardId || compareExtended(first, second) !== 0) {
        violations.push(`${show} — not a redelivery of the same record on a shard of the killed worker`);
        continue;
      }
      const lastCheckpoint = victimLastCheckpoint.get(first.shardId);
      if (lastCheckpoint !== undefined && compareExtended(first, lastCheckpoint) <= 0) {
        violations.push(`${show} — at or before the killed worker's last checkpoint ${format(lastCheckpoint)}`);
        continue;
      }
      killDuplicates++;
    }
    console.log(
      `[processes] ${produced.length} records produced, ${deliveries.length} deliveries, ${killDuplicates} redelivered after the SIGKILL ` +
        `(killed worker's last checkpoints: ${[...victimLastCheckpoint.entries()].map(([s, p]) => `${s.slice(-2)}=${format(p)}`).join(', ')})`,
    );
    expect(violations).toEqual([]);
    expect(deliveries.length).toBe(produced.length + killDuplicates);
    // The batch the killed worker was working on was never checkpointed: it is redelivered.
    const unfinished = victim.of('records').at(-1)!;
    const redelivered = unfinished.records.filter((r) => (byId.get(r.data) ?? []).length === 2).length;
    expect({ batchOf: unfinished.records.length, redelivered }).toEqual({ batchOf: unfinished.records.length, redelivered: unfinished.records.length });
  }, 25_000);
});

describe('a Worker process restarted with the same workerId after SIGKILL', () => {
  it('takes back the leases its previous incarnation left (stable worker ids, e.g. host or pod names)', async () => {
    const streamName = uniqueName('kcl-restart');
    const applicationName = uniqueName('kcl-restart-app');
    const workerId = `stable-${applicationName}`;
    await createStream(stack.kinesis.client, streamName, 2);
    const ranges = await listShardRanges(stack.kinesis.client, streamName);
    const restartProducer = new ContinuousProducer({
      kinesis: stack.kinesis.client,
      streamName,
      partitionKeys: ranges.flatMap((range) => partitionKeysIn(range, 1, `key-${range.shardId.slice(-2)}`)),
      tickMs: 100,
    });
    const store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName });
    const options = {
      workerId,
      streamName,
      applicationName,
      kinesisEndpoint: stack.kinesis.endpoint,
      dynamodbEndpoint: stack.dynamodb.endpoint,
      failoverTimeMs: FAILOVER_TIME_MS,
      idleTimeBetweenReadsMs: 200,
      initialPosition: 'TRIM_HORIZON' as const,
    };
    const first = new WorkerProcess(options);
    children.push(first);
    restartProducer.start();
    try {
      await until('the first incarnation to checkpoint on both shards', 15_000, [first], () => new Set(first.of('checkpointed').map((m) => m.shardId)).size === 2);
      first.kill('SIGKILL');
      await first.exited;
      const killedAt = Date.now();
      // What the first incarnation left in the table: nothing can move these checkpoints now.
      const left = new Map((await store.listLeases()).leases.map((lease) => [lease.leaseKey, lease.checkpoint]));
      expect(left.size).toBe(2);

      const second = new WorkerProcess(options);
      children.push(second);
      await until('the restarted worker to start', 10_000, [second], () => second.of('started').length === 1);
      let owned = new Map<string, string | undefined>();
      let held: string[] = [];
      await until(`the restarted ${workerId} to take both leases back`, PHASE_TIMEOUT_MS, [second], async () => {
        owned = await owners(store);
        held = await second.heldShards();
        return held.length === 2 && second.of('initialize').length === 2;
      }).catch((error: Error) => {
        throw new Error(
          `${error.message}\nthe table says ${JSON.stringify(Object.fromEntries(owned))}; the restarted worker holds [${held.join(', ')}]; ` +
            `its leaseTaken events: ${second.events('leaseTaken').length}`,
        );
      });
      console.log(`[processes] restarted worker took its leases back ${Math.max(...second.events('leaseTaken').map((e) => e.at)) - killedAt} ms after the SIGKILL`);
      // It resumes exactly at the checkpoints the first incarnation left in the table...
      const resumed = new Map(second.of('initialize').map((m) => [m.shardId, format(m.startingSequenceNumber)]));
      expect(resumed).toEqual(new Map([...left].map(([shardId, checkpoint]) => [shardId, format(checkpoint)])));
      // ...which are where it had got to (the last it reported, or one written just before the kill).
      for (const [shardId, checkpoint] of left) {
        const reported = first.of('checkpointed').filter((m) => m.shardId === shardId).pop()?.position;
        expect({ shardId, atOrAfterReported: reported === undefined || compareExtended(checkpoint, reported) >= 0 }).toEqual({ shardId, atOrAfterReported: true });
      }
      // ...and every record is delivered.
      await restartProducer.stop();
      await until('all records delivered across both incarnations', 10_000, [second], () => {
        const delivered = new Set([...first.deliveries(), ...second.deliveries()].map((d) => d.data));
        return restartProducer.produced.every((id) => delivered.has(id));
      });
    } finally {
      await restartProducer.stop().catch(() => undefined);
    }
  }, 30_000);
});

describe('graceful shutdown while the worker is taking a lease (SIGTERM during start-up or a rebalance)', () => {
  it('does not keep, unrenewed and unreleased, a lease whose take completes during shutdown()', async () => {
    const streamName = uniqueName('kcl-shutdown-take');
    const applicationName = uniqueName('kcl-shutdown-take-app');
    await createStream(stack.kinesis.client, streamName, 1);
    const table = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName });
    const store = new GatedLeaseStore(table);
    const recorder = new Recorder();
    const worker = new Worker(
      {
        streamName,
        applicationName,
        workerId: 'stopping',
        kinesisClient: stack.kinesis.client,
        initialPosition: 'TRIM_HORIZON',
        failoverTimeMs: FAILOVER_TIME_MS,
        idleTimeBetweenReadsMs: 200,
        processorFactory: () => new RecordingProcessor(recorder, 'stopping'),
      },
      { leaseStore: store },
    );
    const shardId = 'shardId-000000000000';
    const starting = worker.start();
    await store.takeReached; // the first round is taking the shard's lease
    const stopping = worker.shutdown(); // SIGTERM now
    store.openGate();
    await stopping;
    await starting;
    const lease = (await table.getLease(shardId))!;
    const state = { leaseOwner: lease.leaseOwner ?? null, heldShards: worker.heldShards };
    try {
      // Either it never took the lease, or it released it: another worker can take it at once, and
      // nothing of this worker runs on after shutdown() resolved.
      expect(state).toEqual({ leaseOwner: null, heldShards: [] });
    } finally {
      if (lease.leaseOwner === 'stopping') {
        // Fence the consumer left running off: take the lease away, give it a batch to checkpoint.
        await table.takeLease(lease, 'cleanup');
        await stack.kinesis.client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: 'k', Data: Buffer.from('fence') }));
        await waitFor(() => recorder.lifecycle.includes(`stopping:${shardId}:leaseLost`), {
          timeoutMs: 10_000,
          description: 'the consumer left running after shutdown() to lose its lease and stop',
        });
      }
    }
  }, 20_000);
});
