// Several workers: partitioned by the grouping key through an intermediate stream, two workers
// give exactly one worker's windows; two workers without it split the groups between them.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { readStream } from '../../../kpl/test/readStream';
import type { ApplicationConfig } from '../config/ApplicationConfig';
import { countPerTickerConfig, putTrades, REFERENCE_CSV } from '../../test/analyticsFixtures';
import { AnalyticsWorker } from './AnalyticsWorker';

const WINDOW_MS = 3000;
/**
 * What this test compares needs every trade counted in the window it arrived in, in every engine:
 * no window may close before all its rows are in. Closing windows by time (idle close) cannot
 * promise that on a loaded machine — a read, a put on the intermediate stream and a second read
 * took more than 9 s there — so windows close by data only (idleWindowCloseMs 0): each burst is
 * put once every engine has taken the previous one, and its rows close the previous window. (A
 * row that does come late is counted once, in the next window: AnalyticsApplication.test.ts.)
 */
const HANG_BOUND_MS = 120_000;
const SQL = `
  CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (window_start TIMESTAMP, ticker VARCHAR(8), company VARCHAR(20), n BIGINT, total BIGINT);
  CREATE OR REPLACE PUMP "COUNT_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM STEP(s.ROWTIME BY INTERVAL '3' SECOND), s.ticker, c."Company", COUNT(*), SUM(s.qty)
    FROM "SOURCE_SQL_STREAM_001" AS s LEFT JOIN "CompanyName" AS c ON s.ticker = c."Ticker"
    GROUP BY s.ticker, c."Company", STEP(s.ROWTIME BY INTERVAL '3' SECOND);`;

let stack: TestStack;
const workers: AnalyticsWorker[] = [];
beforeAll(() => {
  stack = getTestStack();
});
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.shutdown().catch(() => undefined)));
  stack.destroy();
});

/** Output rows as sorted JSON lines; `dedup` drops rows with a partition key (row id) already seen. */
async function outputRows(stream: string, dedup: boolean): Promise<string[]> {
  const records = (await readStream(stack.kinesis.client, stream)).records;
  if (!dedup) return records.map((record) => record.data.toString('utf8')).sort();
  const seen = new Map<string, string>();
  for (const record of records) seen.set(record.partitionKey, record.data.toString('utf8'));
  return [...seen.values()].sort();
}

const countOf = (rows: string[]) => rows.reduce((sum, row) => sum + (JSON.parse(row) as { N: number }).N, 0);

describe('repartitioning', () => {
  it('two repartitioned workers emit exactly the single worker’s windows; two plain workers split the groups', async () => {
    const input = uniqueName('an-rp-in');
    const intermediate = uniqueName('an-rp-mid');
    const bucket = uniqueName('an-rp-ref');
    const outputs = { single: uniqueName('an-rp-one'), repartitioned: uniqueName('an-rp-two'), plain: uniqueName('an-rp-plain') };
    await Promise.all([
      createStream(stack.kinesis.client, input, 2),
      createStream(stack.kinesis.client, intermediate, 2),
      ...Object.values(outputs).map((stream) => createStream(stack.kinesis.client, stream, 1)),
      createBucket(stack.s3.client, bucket),
    ]);
    await stack.s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'TickerReference.csv', Body: REFERENCE_CSV }));
    const config = (name: string, output: string): ApplicationConfig => ({ ...countPerTickerConfig({ applicationName: uniqueName(name), input, output, bucket, windowSeconds: 3 }), sql: SQL });
    const start = (cfg: ApplicationConfig, workerId: string, repartition?: { stream: string }) => {
      const worker = new AnalyticsWorker({
        config: cfg,
        kinesisClient: stack.kinesis.client,
        dynamoClient: stack.dynamodb.client,
        s3Client: stack.s3.client,
        repartition,
        // The KCL's default failoverTimeMs (10 s): with 1.5 s, a loaded machine's event-loop stalls
        // dropped leases mid-window (failover is failover.integ.test.ts's subject, not this test's).
        worker: { workerId, idleTimeBetweenReadsMs: 200 },
        application: { idleWindowCloseMs: 0 },
      });
      workers.push(worker);
      return worker.start().then(() => worker);
    };
    const single = await start(config('an-rp-app1', outputs.single), 'single');
    const repartitionedConfig = config('an-rp-app2', outputs.repartitioned);
    const plainConfig = config('an-rp-app3', outputs.plain);
    const pairs = {
      repartitioned: await Promise.all([start(repartitionedConfig, 'r1', { stream: intermediate }), start(repartitionedConfig, 'r2', { stream: intermediate })]),
      plain: await Promise.all([start(plainConfig, 'p1'), start(plainConfig, 'p2')]),
    };
    // Each worker of a pair holds one shard of each stream before any trade is put.
    await waitFor(
      () =>
        single.worker.heldShards.length === 2 &&
        [...pairs.repartitioned, ...pairs.plain].every((w) => w.worker.heldShards.length === 1) &&
        pairs.repartitioned.every((w) => w.repartitionedWorker!.heldShards.length === 1),
      { timeoutMs: HANG_BOUND_MS, intervalMs: 100, description: 'the leases to spread one per worker' },
    );
    expect(pairs.repartitioned[0]!.repartitionPlan!.keys).toEqual(['S.TICKER']);

    // Three bursts, each put early in its own window so every trade of a burst shares a window (a
    // timer that fired late in its window waits for the next), each once every engine has taken
    // all trades before it; then a closing burst whose rows close the third window.
    const engines = { single: [single], repartitioned: pairs.repartitioned, plain: pairs.plain };
    const rowsIn = (list: AnalyticsWorker[]) => list.reduce((sum, w) => sum + w.application.rowsIn, 0);
    let trades = 0;
    for (let burst = 0; burst <= 3; burst++) {
      do await new Promise((resolve) => setTimeout(resolve, WINDOW_MS - (Date.now() % WINDOW_MS) + 200));
      while (Date.now() % WINDOW_MS > WINDOW_MS / 2);
      const put = (await putTrades(stack.kinesis.client, input, burst < 3 ? 150 : 30, trades)).length;
      if (burst === 3) break; // the closing burst: its window stays open, its trades are not counted
      trades += put;
      await waitFor(() => Object.values(engines).every((list) => rowsIn(list) === trades), {
        timeoutMs: HANG_BOUND_MS,
        intervalMs: 100,
        description: `every engine to take the ${trades} trades put`,
      });
    }
    const rows: Record<keyof typeof outputs, string[]> = { single: [], repartitioned: [], plain: [] };
    await waitFor(
      async () => {
        // The plain pair's partial rows of one group share the group's id: keep them all.
        for (const key of Object.keys(outputs) as (keyof typeof outputs)[]) rows[key] = await outputRows(outputs[key], key !== 'plain');
        // Done once every output has counted them all (or more: a trade counted twice, asserted below).
        return Object.values(rows).every((list) => countOf(list) >= trades);
      },
      { timeoutMs: HANG_BOUND_MS, intervalMs: 250, description: `every output to count all ${trades} trades` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}: counted ${JSON.stringify(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, countOf(v)])))}`);
    });
    // Each trade exactly once (by row id), in every output.
    expect(Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, countOf(v)]))).toEqual({ single: trades, repartitioned: trades, plain: trades });
    expect(rows.single.length).toBeGreaterThanOrEqual(9); // 3 windows × 3 tickers
    expect(rows.repartitioned).toEqual(rows.single);
    // Without repartitioning, each worker counts only its shard's half of a group.
    expect(rows.plain).not.toEqual(rows.single);
    expect(rows.plain.length).toBeGreaterThan(rows.single.length);
  }, 3 * HANG_BOUND_MS);
});
