import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, PutRecordsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import { DynamoDBLeaseStore, Worker, type RecordProcessor } from '@kinesis-toolkit/kcl';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AwsSettings } from '../src/awsClients';
import type { DashboardSnapshot } from '../src/dashboard/DashboardSnapshot';
import { startDashboard, type RunningDashboard } from '../src/dashboard/startDashboard';

// The live dashboard in a real headless browser (Debian's chromium, driven by playwright-core),
// against the local stack (kinesalite, dynalite) with real KCL workers in this process.

/** Debian's chromium (`apt-get install -y chromium`; .ci/run installs it). */
const CHROMIUM = process.env.KT_CHROMIUM ?? '/usr/bin/chromium';
/** Screenshots land here (git-ignored). */
const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');
const FAILOVER_MS = 3_000;
const UI_TIMEOUT_MS = 60_000;

jest.setTimeout(180_000);

let stack: TestStack;
let streamName: string;
let applicationName: string;
let workerA: Worker;
let workerB: Worker;
let dashboard: RunningDashboard;
let browser: Browser;
let page: Page;

const checkpointingProcessor = (): RecordProcessor => ({
  async processRecords({ records, checkpointer }) {
    if (records.length > 0) await checkpointer.checkpoint();
  },
  async shardEnded({ checkpointer }) {
    await checkpointer.checkpoint();
  },
  async shutdownRequested({ checkpointer }) {
    await checkpointer.checkpoint();
  },
});

const worker = (workerId: string) =>
  new Worker({
    streamName,
    applicationName,
    workerId,
    processorFactory: checkpointingProcessor,
    kinesisClient: stack.kinesis.client,
    dynamoClient: stack.dynamodb.client,
    initialPosition: 'TRIM_HORIZON',
    failoverTimeMs: FAILOVER_MS,
    shardSyncIntervalMs: 1_000,
    parentShardPollIntervalMs: 500,
    idleTimeBetweenReadsMs: 250,
  });

/** Each shard row's owner as the page shows it. */
const pageOwners = () =>
  page.$$eval('#shards tbody tr[data-shard-id]', (rows) => Object.fromEntries(rows.map((row) => [row.getAttribute('data-shard-id'), row.getAttribute('data-owner')])));

async function snapshot(): Promise<DashboardSnapshot> {
  return (await (await fetch(`${dashboard.url}api/snapshot`)).json()) as DashboardSnapshot;
}

async function tableOwners(): Promise<Record<string, string>> {
  const { leases } = await new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: applicationName }).listLeases();
  return Object.fromEntries(leases.map((lease) => [lease.leaseKey, lease.leaseOwner ?? '']));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium; .ci/run does) or point KT_CHROMIUM at a Chromium binary`);
  }
  stack = getTestStack();
  streamName = uniqueName('dash-stream');
  applicationName = uniqueName('dash-app');
  await createStream(stack.kinesis.client, streamName, 2);
  const put = () =>
    stack.kinesis.client.send(new PutRecordsCommand({ StreamName: streamName, Records: Array.from({ length: 40 }, (_, i) => ({ PartitionKey: `key-${i}`, Data: Buffer.from(`record ${i}`) })) }));
  await put();
  // A split, so the page has lineage to draw: shard 0 closes, shards 2 and 3 take its half.
  await stack.kinesis.client.send(new SplitShardCommand({ StreamName: streamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: ((MAX_HASH_KEY + 1n) / 4n).toString() }));
  await waitFor(
    async () => {
      const { StreamDescriptionSummary: summary } = await stack.kinesis.client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
      return summary?.StreamStatus === 'ACTIVE' && summary.OpenShardCount === 3;
    },
    { timeoutMs: 30_000, intervalMs: 200, description: 'the split to finish' },
  );
  await put();

  workerA = worker('worker-a');
  await workerA.start();
  await waitFor(() => workerA.heldShards.length >= 3, { timeoutMs: 30_000, intervalMs: 100, description: 'worker-a to hold the leases' });
  workerB = worker('worker-b');
  await workerB.start();
  // Balancing: worker-b steals toward an even spread.
  await waitFor(() => workerB.heldShards.length >= 1, { timeoutMs: 30_000, intervalMs: 100, description: 'worker-b to take a lease from worker-a' });

  const settings: AwsSettings = {
    region: stack.region,
    kinesisEndpoint: stack.kinesis.endpoint,
    dynamodbEndpoint: stack.dynamodb.endpoint,
    s3Endpoint: undefined,
    localCredentials: { ...stack.credentials },
  };
  dashboard = await startDashboard(settings, { streamName, applicationName, refreshIntervalMs: 500, lagIntervalMs: 1_000, lagProbesPerSecond: 10, throughputIntervalMs: 1_000, throughputBucketMs: 1_000, failoverTimeMs: FAILOVER_MS });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: ['--no-sandbox', '--headless=new'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(dashboard.url);
});

afterAll(async () => {
  await browser?.close();
  await dashboard?.close();
  await Promise.all([workerA?.shutdown(), workerB?.shutdown()]);
  stack?.destroy();
});

describe('the live dashboard in headless Chromium (local stack, real KCL workers)', () => {
  it('draws the shard lineage: the closed parent, its two children, and the untouched shard', async () => {
    await page.waitForSelector('#status[data-state="live"]', { timeout: UI_TIMEOUT_MS });
    await page.waitForSelector('#shards tbody tr[data-shard-id="shardId-000000000003"]', { timeout: UI_TIMEOUT_MS });
    const rows = await page.$$eval('#shards tbody tr[data-shard-id]', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 5).map((td) => td.textContent)));
    expect(rows).toEqual([
      ['shard 0', 'closed', '0.0 – 50.0 %', '–', 'shard 2, shard 3'],
      ['shard 1', 'open', '50.0 – 100.0 %', '–', '–'],
      ['shard 2', 'open', '0.0 – 25.0 %', 'shard 0', '–'],
      ['shard 3', 'open', '25.0 – 50.0 %', 'shard 0', '–'],
    ]);
    // The picture: a box per shard, the closed one grey, an edge from the parent to each child.
    expect(await page.$$eval('#lineage g[data-shard-id]', (gs) => gs.map((g) => `${g.getAttribute('data-shard-id')}:${g.getAttribute('class')}`))).toEqual([
      'shardId-000000000000:closed',
      'shardId-000000000001:open',
      'shardId-000000000002:open',
      'shardId-000000000003:open',
    ]);
    expect(await page.locator('#lineage path.edge').count()).toBe(2);
  });

  it('shows each lease owner as the lease table has it, and both workers', async () => {
    // Owners move while worker-b balances; poll (bounded) until the page and the table agree.
    const agreed = await waitFor(
      async () => {
        const [shown, table] = [await pageOwners(), await tableOwners()];
        const open = ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'];
        return open.every((shard) => shown[shard] !== '' && shown[shard] === table[shard]) && shown;
      },
      { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250, description: 'the page to show the lease table’s owners' },
    );
    expect(new Set(Object.values(agreed).filter((owner) => owner !== ''))).toEqual(new Set(['worker-a', 'worker-b']));
    await page.waitForSelector('#workers tr[data-worker-id="worker-a"]', { timeout: UI_TIMEOUT_MS });
    await page.waitForSelector('#workers tr[data-worker-id="worker-b"]', { timeout: UI_TIMEOUT_MS });
    // Lag is measured (a GetRecords at each checkpoint) and shown.
    await page.waitForSelector('#shards tr[data-shard-id="shardId-000000000001"] [data-millis-behind]', { timeout: UI_TIMEOUT_MS });
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, 'dashboard-before-takeover.png');
    await page.screenshot({ path, fullPage: true });
    console.log(`dashboard screenshot (before the takeover): ${path}`);
  });

  it('counts the records that arrive in each open shard and shows their rate', async () => {
    const open = ['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'];
    // Once every open shard is covered, the sampler reads from a position before the puts below.
    await waitFor(async () => {
      const view = await snapshot();
      return open.every((shard) => view.shards.find((s) => s.shardId === shard)?.throughput !== null);
    }, {
      timeoutMs: UI_TIMEOUT_MS,
      intervalMs: 250,
      description: 'throughput coverage of every open shard',
    });
    const put = await stack.kinesis.client.send(new PutRecordsCommand({ StreamName: streamName, Records: Array.from({ length: 60 }, (_, i) => ({ PartitionKey: `tp-${i}`, Data: Buffer.from(`throughput ${i}`) })) }));
    expect(put.FailedRecordCount).toBe(0);
    const expected: Record<string, number> = {};
    for (const entry of put.Records ?? []) expected[entry.ShardId!] = (expected[entry.ShardId!] ?? 0) + 1;
    const counted = (view: DashboardSnapshot) =>
      Object.fromEntries(Object.keys(expected).map((shard) => [shard, view.shards.find((s) => s.shardId === shard)?.throughput?.buckets.reduce((sum, bucket) => sum + bucket.records, 0)]));
    await waitFor(async () => JSON.stringify(counted(await snapshot())) === JSON.stringify(expected), { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250, description: `the throughput history to count ${JSON.stringify(expected)}` });
    for (const shard of Object.keys(expected)) {
      const rate = page.locator(`#throughput tr[data-shard-id="${shard}"] td.num`).first();
      await waitFor(async () => /^\d/.test((await rate.textContent()) ?? ''), { timeoutMs: UI_TIMEOUT_MS, intervalMs: 250, description: `a rate for ${shard} on the page` });
      expect(await page.locator(`#throughput tr[data-shard-id="${shard}"] svg.bars rect`).count()).toBeGreaterThan(0);
    }
  });

  it('updates to the new owner after a takeover (worker-a shuts down, worker-b takes its leases)', async () => {
    const heldByA = workerA.heldShards;
    expect(heldByA.length).toBeGreaterThan(0);
    await workerA.shutdown();
    const moved = heldByA.filter((shard) => shard !== 'shardId-000000000000');
    // Each row of worker-a's shards must come to name worker-b (playwright polls the DOM, bounded).
    for (const shard of moved) await page.waitForSelector(`#shards tr[data-shard-id="${shard}"][data-owner="worker-b"]`, { timeout: UI_TIMEOUT_MS });
    await page.waitForSelector('#workers tr[data-worker-id="worker-a"][data-state="gone"]', { timeout: UI_TIMEOUT_MS });
    expect(await tableOwners()).toMatchObject(Object.fromEntries(moved.map((shard) => [shard, 'worker-b'])));
    const path = join(ARTIFACTS, 'dashboard-after-takeover.png');
    await page.screenshot({ path, fullPage: true });
    console.log(`dashboard screenshot (after the takeover): ${path}`);
  });
});
