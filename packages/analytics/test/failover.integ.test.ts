// kill -9 in the middle of a window: the worker that takes the shards over re-reads what the
// dead worker had not checkpointed (the window held the checkpoint back), rebuilds the window
// and emits it — every trade counted exactly once in the output stream.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { readStream } from '../../kpl/test/readStream';
import { countPerTickerConfig, putTrades, REFERENCE_CSV, totalsOf, totalsOfOutput } from './analyticsFixtures';
import { AnalyticsWorkerProcess } from './AnalyticsWorkerProcess';

const FAILOVER_TIME_MS = 2000;
let stack: TestStack;
const children: AnalyticsWorkerProcess[] = [];

beforeAll(() => {
  stack = getTestStack();
});
afterAll(async () => {
  await Promise.all(children.map((child) => child.destroy()));
  stack.destroy();
});

async function until(description: string, timeoutMs: number, child: AnalyticsWorkerProcess, condition: () => boolean | Promise<boolean>): Promise<void> {
  await waitFor(async () => !child.alive || (await condition()), { timeoutMs, intervalMs: 50, description }).catch((error: Error) => {
    throw new Error(`${error.message}\n${child.describe()}`);
  });
  if (!child.alive) throw new Error(`while waiting for ${description}, the worker stopped: ${child.describe()}`);
}

describe('kill -9 mid-window', () => {
  it('the window the killed worker held open is emitted, complete, by the worker that takes over', async () => {
    const input = uniqueName('an-kill-in');
    const output = uniqueName('an-kill-out');
    const bucket = uniqueName('an-kill-ref');
    const applicationName = uniqueName('an-kill-app');
    await Promise.all([createStream(stack.kinesis.client, input, 2), createStream(stack.kinesis.client, output, 1), createBucket(stack.s3.client, bucket)]);
    await stack.s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'TickerReference.csv', Body: REFERENCE_CSV }));
    const base = {
      config: countPerTickerConfig({ applicationName, input, output, bucket, windowSeconds: 2 }),
      kinesisEndpoint: stack.kinesis.endpoint,
      dynamodbEndpoint: stack.dynamodb.endpoint,
      s3Endpoint: stack.s3.endpoint,
      failoverTimeMs: FAILOVER_TIME_MS,
    };

    // The first worker never closes an idle window: with no later row, its windows stay open.
    const first = new AnalyticsWorkerProcess({ ...base, workerId: 'first', idleWindowCloseMs: 0 });
    children.push(first);
    await until('the first worker to hold both shards', 15_000, first, () => first.progress?.heldShards.length === 2);
    const trades = await putTrades(stack.kinesis.client, input, 300);
    await until('the first worker to read every trade into open windows', 15_000, first, () => first.progress?.rowsIn === trades.length);
    expect({ rowsOut: first.progress!.rowsOut, windowOpen: first.progress!.openWindowFrom !== null }).toEqual({ rowsOut: 0, windowOpen: true });

    const store = new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName });
    const checkpoints = (await store.listLeases()).leases.map((lease) => lease.checkpoint.sequenceNumber);
    // Nothing checkpointed past the open window's records: both shards still at the start.
    expect(checkpoints).toEqual(['TRIM_HORIZON', 'TRIM_HORIZON']);

    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await readStream(stack.kinesis.client, output)).records).toHaveLength(0);

    const second = new AnalyticsWorkerProcess({ ...base, workerId: 'second', idleWindowCloseMs: 500 });
    children.push(second);
    const expected = totalsOf(trades);
    let seen: ReturnType<typeof totalsOfOutput> | undefined;
    const sorted = (object: object) => JSON.stringify(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
    await until('the second worker to take over and emit every window', FAILOVER_TIME_MS + 20_000, second, async () => {
      seen = totalsOfOutput((await readStream(stack.kinesis.client, output)).records);
      return sorted(seen.totals) === sorted(expected);
    }).catch((error: Error) => {
      throw new Error(`${error.message}\nexpected ${JSON.stringify(expected)}, got ${JSON.stringify(seen?.totals)}`);
    });
    expect(second.of('leaseTaken').map((m) => m.shardId).sort()).toHaveLength(2);
    expect({ totals: seen!.totals, duplicates: seen!.duplicates }).toEqual({ totals: expected, duplicates: 0 });
  }, 60_000);
});
