// End to end, a crash mid-flush: a Worker + pipeline into PostgreSQL runs in a child process and
// is killed with SIGKILL right after PostgreSQL committed a batch and before the pipeline could
// checkpoint it. A second worker (in this process) takes the expired leases after
// failoverTimeMs, re-reads from the last checkpoint, and PostgreSQL ends with every record
// exactly once (the emitter's ON CONFLICT on the record's position absorbs the re-emitted rows).
import { Worker } from '@kinesis-toolkit/kcl';
import { createStream, getTestStack, startPostgres, uniqueName, waitFor, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { Pool } from 'pg';
import { MappingEmitter } from '../../src/emitters/MappingEmitter';
import { PostgresEmitter, type PostgresRow } from '../../src/emitters/postgres/PostgresEmitter';
import { createPipeline } from '../../src/pipeline/createPipeline';
import { comparePositions } from '../../src/pipeline/positions';
import { JsonTransformer } from '../../src/transformers/JsonTransformer';
import { lastPositions, leaseCheckpoints, orderJson, positionKey, produce, reached, type Position } from './e2eFixtures';
import { PipelineWorkerProcess } from './PipelineWorkerProcess';
import { stopPostgres } from '../../../../test/support/stopPostgres';

const RECORDS = 2000;
const FAILOVER_TIME_MS = 1500;
const TABLE = 'orders';

let stack: TestStack;
let server: PostgresServer;
let pool: Pool;
let child: PipelineWorkerProcess | undefined;

beforeAll(async () => {
  stack = getTestStack();
  server = await startPostgres({ database: 'connector_takeover' });
  pool = new Pool({ connectionString: server.connectionString, max: 4 });
  await pool.query(
    `CREATE TABLE ${TABLE} (id integer NOT NULL, name text NOT NULL, sequence_number numeric NOT NULL, sub_sequence_number integer NOT NULL, UNIQUE (sequence_number, sub_sequence_number))`,
  );
}, 60_000);
afterAll(async () => {
  await child?.destroy();
  await stopPostgres(pool, server);
  stack?.destroy();
});

async function rowPositions(): Promise<{ id: number; position: Position }[]> {
  const { rows } = await pool.query<{ id: number; sequence_number: string; sub_sequence_number: number }>(`SELECT id, sequence_number::text, sub_sequence_number FROM ${TABLE}`);
  return rows.map((row) => ({ id: row.id, position: { sequenceNumber: row.sequence_number, subSequenceNumber: row.sub_sequence_number } }));
}

describe('kill -9 of a pipeline worker in the middle of a flush', () => {
  it('loses nothing: after the takeover PostgreSQL holds every record exactly once', async () => {
    const streamName = uniqueName('conn-kill');
    const applicationName = uniqueName('conn-kill-app');
    await createStream(stack.kinesis.client, streamName, 2);
    const produced = await produce(stack.kinesis.client, streamName, Array.from({ length: RECORDS }, (_, id) => orderJson(id)));
    const shards = [...lastPositions(produced).keys()].sort();
    expect(shards).toHaveLength(2);

    child = new PipelineWorkerProcess({
      workerId: 'doomed',
      streamName,
      applicationName,
      kinesisEndpoint: stack.kinesis.endpoint,
      dynamodbEndpoint: stack.dynamodb.endpoint,
      failoverTimeMs: FAILOVER_TIME_MS,
      connectionString: server.connectionString,
      table: TABLE,
      maxRecords: 100,
      emitDelayMs: 200,
    });
    const doomed = child;
    // Kill it on the first batch committed after every shard has a checkpoint: the takeover
    // then resumes mid-shard, with rows in PostgreSQL past the checkpoint.
    const killed = new Promise<{ shardId: string; last: Position }>((resolve, reject) => {
      const fail = (why: string) => {
        stop();
        clearTimeout(timer);
        reject(new Error(`${why}. ${doomed.describe()}`));
      };
      const timer = setTimeout(() => fail('no batch to kill in within 15 s'), 15_000);
      void doomed.exited.then(() => fail('the child exited before the kill'));
      const stop = doomed.onMessage((message) => {
        if (message.type === 'startFailed') fail(`the child did not start: ${message.error}`);
        if (message.type !== 'emitted') return;
        const checkpointed = new Set(doomed.of('checkpointed').map((m) => m.shardId));
        if (!shards.every((shardId) => checkpointed.has(shardId))) return;
        doomed.kill('SIGKILL');
        stop();
        clearTimeout(timer);
        resolve({ shardId: message.shardId, last: message.last });
      });
    });
    const midFlush = await killed;
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

    // The batch it died in is in PostgreSQL, past the shard's checkpoint.
    const checkpointsAtKill = await leaseCheckpoints(stack.dynamodb.client, applicationName);
    const rowsAtKill = await rowPositions();
    const killedShardCheckpoint = checkpointsAtKill.get(midFlush.shardId)!;
    expect(reached(killedShardCheckpoint, midFlush.last)).toBe(false);
    expect(rowsAtKill.some(({ position }) => comparePositions(position, midFlush.last) === 0)).toBe(true);
    expect(rowsAtKill.length).toBeLessThan(RECORDS);

    const postgres = new PostgresEmitter({ pool, table: TABLE, columns: ['id', 'name'] });
    const pipeline = createPipeline({
      streamName,
      transformer: new JsonTransformer(),
      emitter: new MappingEmitter<string, PostgresRow>(postgres, (json) => JSON.parse(json) as PostgresRow),
      buffer: { maxRecords: 250, maxAgeMs: 300 },
      retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 200 },
    });
    let emittedByTaker = 0;
    pipeline.on('flushed', ({ records }) => (emittedByTaker += records));
    const taker = new Worker({
      streamName,
      applicationName,
      workerId: 'taker',
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      initialPosition: 'TRIM_HORIZON',
      failoverTimeMs: FAILOVER_TIME_MS,
      idleTimeBetweenReadsMs: 200,
      processorFactory: pipeline,
    });
    const taken: { shardId: string; previousOwner: string | undefined }[] = [];
    taker.on('leaseTaken', (event) => taken.push(event));
    const expected = lastPositions(produced);
    let checkpoints = new Map<string, Position>();
    await taker.start();
    try {
      await waitFor(
        async () => {
          checkpoints = await leaseCheckpoints(stack.dynamodb.client, applicationName);
          return [...expected].every(([shardId, last]) => reached(checkpoints.get(shardId), last));
        },
        { timeoutMs: 20_000, intervalMs: 100, description: 'the taker to checkpoint every shard at its last record' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}; checkpoints ${JSON.stringify([...checkpoints].map(([s, c]) => `${s}@${positionKey(c)}`))}`);
      });
    } finally {
      await taker.shutdown();
      await pipeline.shutdown();
    }
    expect(taken.map((event) => event.previousOwner).sort()).toEqual(['doomed', 'doomed']);

    // Every record once, at the position the producer was told; and the taker did re-emit rows
    // the dead worker had written (the overlap ON CONFLICT absorbed).
    const rows = await rowPositions();
    expect(rows.length).toBe(RECORDS);
    expect(rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(Array.from({ length: RECORDS }, (_, id) => id));
    for (const { id, position } of rows) expect(positionKey(position)).toBe(positionKey(produced[id]!));
    expect(rowsAtKill.length + emittedByTaker).toBeGreaterThan(RECORDS);
  }, 50_000);
});
