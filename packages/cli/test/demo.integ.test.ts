import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { deaggregate } from '@kinesis-toolkit/aggregation';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEmf, validateEmf } from '@kinesis-toolkit/core';
import { LocalCloudWatch, createBucket, createStream, getTestStack, startPostgres, uniqueName, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { createServer, type AddressInfo } from 'node:net';
import { waitFor } from '@kinesis-toolkit/testing';
import { runCli, startCli } from './runCli';

// The real binary, end to end. The demo verifies its own run; these tests do not take its word
// for it: they read the stream and both sinks themselves.

/** `key#n` of every user record of run `runId` in the stream (every shard, from its start). */
async function idsInStream(kinesis: KinesisClient, streamName: string, runId: string): Promise<string[]> {
  const ids: string[] = [];
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  for (const shard of Shards) {
    let { ShardIterator: iterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shard.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }));
    while (iterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        for (const user of deaggregate(record).records) {
          const parsed = JSON.parse(user.data.toString('utf8')) as { runId: string; key: string; n: number };
          if (parsed.runId === runId) ids.push(`${parsed.key}#${parsed.n}`);
        }
      }
      if ((page.Records ?? []).length === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator ?? undefined;
    }
  }
  return ids;
}

/** `key#n` of every JSON line of every object under `prefix`. */
async function idsInS3(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
      for (const line of body.split('\n')) {
        if (line === '') continue;
        const row = JSON.parse(line) as { key: string; n: number };
        ids.push(`${row.key}#${row.n}`);
      }
    }
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return ids;
}

describe('kinesis-toolkit demo', () => {
  let stack: TestStack;
  let postgres: PostgresServer;
  beforeAll(async () => {
    stack = getTestStack();
    postgres = await startPostgres({ database: 'demo_check' });
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
    stack?.destroy();
  });

  it('delivers every record the stream holds to S3 (at least once) and PostgreSQL (exactly once), as the test reads them itself', async () => {
    const streamName = uniqueName('demo-check');
    const bucket = await createBucket(stack.s3.client, uniqueName('demo-check').toLowerCase());
    await createStream(stack.kinesis.client, streamName, 2);
    const result = await runCli(
      ['demo', '--stream', streamName, '--bucket', bucket, '--postgres-url', postgres.connectionString, '--records', '3000', '--workers', '2', '--chaos', 'kill', '--failover-ms', '2000'],
      { timeoutMs: 150_000 },
    );
    const output = `${result.stdout}\n--- stderr ---\n${result.stderr}`;
    expect({ code: result.code, output }).toEqual({ code: 0, output: expect.stringContaining('PASS') });
    const runId = /^kinesis-toolkit demo (\S+):/m.exec(result.stdout)?.[1];
    expect(runId).toBeDefined();

    const produced = await idsInStream(stack.kinesis.client, streamName, runId!);
    expect(produced).toHaveLength(3000);
    expect(new Set(produced).size).toBe(3000);

    const inS3 = await idsInS3(stack.s3.client, bucket, `kinesis-toolkit-demo/${runId}/records/`);
    expect(new Set(inS3)).toEqual(new Set(produced));

    const db = new Client({ connectionString: postgres.connectionString });
    await db.connect();
    try {
      const { rows } = await db.query<{ key: string; n: string }>(`SELECT key, n FROM kt_demo_${runId!.toLowerCase()}`);
      const inPostgres = rows.map((row) => `${row.key}#${Number(row.n)}`);
      expect(inPostgres).toHaveLength(3000);
      expect(new Set(inPostgres)).toEqual(new Set(produced));
    } finally {
      await db.end();
    }
  }, 180_000);

  it('--metrics: each worker process publishes its KCL and connector metrics (its own EMF file; CloudWatch — LocalCloudWatch, not CloudWatch — with its WorkerIdentifier), beside the producer\'s', async () => {
    const streamName = uniqueName('demo-metrics');
    const bucket = await createBucket(stack.s3.client, uniqueName('demo-metrics').toLowerCase());
    await createStream(stack.kinesis.client, streamName, 2);
    const dir = mkdtempSync(join(tmpdir(), 'kt-demo-metrics-'));
    const cloudWatch = await LocalCloudWatch.start();
    try {
      const result = await runCli(
        ['demo', '--stream', streamName, '--bucket', bucket, '--records', '2000', '--workers', '2', '--chaos', 'none', '--metrics', `emf:${join(dir, 'm.emf')}`, '--metrics', 'cloudwatch', '--metrics', 'emf:-', '--metrics-interval-ms', '1000'],
        { timeoutMs: 150_000, env: { AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint } },
      );
      const output = `${result.stdout}\n--- stderr ---\n${result.stderr}`;
      expect({ code: result.code, output }).toEqual({ code: 0, output: expect.stringContaining('PASS') });
      const runId = /^kinesis-toolkit demo (\S+):/m.exec(result.stdout)![1]!;
      const application = `kt-demo-app-${runId}`;
      expect(readdirSync(dir).sort()).toEqual(['m.emf', 'm.worker-1.emf', 'm.worker-2.emf']);
      const emf = (file: string) => {
        const lines = readFileSync(join(dir, file), 'utf8').split('\n').filter((line) => line !== '');
        expect(lines.flatMap((line) => validateEmf(line))).toEqual([]);
        return lines.flatMap((line) => parseEmf(line));
      };
      const sum = (metrics: ReturnType<typeof emf>, namespace: string, name: string) =>
        metrics.filter((m) => m.namespace === namespace && m.name === name && m.dimensions['ShardId'] !== undefined).reduce((total, m) => total + m.values.reduce((a, b) => a + b, 0), 0);
      const [producer, first, second] = [emf('m.emf'), emf('m.worker-1.emf'), emf('m.worker-2.emf')];
      expect(producer.some((m) => m.namespace === 'KinesisProducerLibrary' && m.name === 'UserRecordsPut')).toBe(true);
      // Every record was processed (KCL) and emitted (connector) by one worker or the other — at least
      // once: a lease may move on a calm start; a short run may leave one worker with every shard.
      expect(sum(first, application, 'RecordsProcessed') + sum(second, application, 'RecordsProcessed')).toBeGreaterThanOrEqual(2000);
      expect(sum(first, 'KinesisConnector', 'RecordsEmitted') + sum(second, 'KinesisConnector', 'RecordsEmitted')).toBeGreaterThanOrEqual(2000);
      // Both workers published, each its own lease renewals.
      for (const worker of [first, second]) expect(worker.some((m) => m.namespace === application && m.name === 'CurrentLeases')).toBe(true);
      // emf:-: the workers' lines reach the demo's stdout whole, among its progress lines.
      const stdoutEmf = result.stdout.split('\n').filter((line) => line.startsWith('{'));
      expect(stdoutEmf.flatMap((line) => validateEmf(line))).toEqual([]);
      expect(stdoutEmf.flatMap((line) => parseEmf(line)).some((m) => m.namespace === application && m.name === 'RecordsProcessed')).toBe(true);
      // CloudWatch: each worker's renewals under its own WorkerIdentifier.
      const workers = new Set(cloudWatch.datums(application).flatMap((datum) => datum.dimensions.filter((d) => d.name === 'WorkerIdentifier').map((d) => d.value)));
      expect([...workers].sort()).toEqual(['worker-1', 'worker-2']);
    } finally {
      await cloudWatch.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('--metrics prometheus:PORT: the producer at PORT, worker n at PORT + n, each serving its own KCL metrics while the run goes on', async () => {
    const streamName = uniqueName('demo-prom');
    const bucket = await createBucket(stack.s3.client, uniqueName('demo-prom').toLowerCase());
    await createStream(stack.kinesis.client, streamName, 2);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const demo = startCli(['demo', '--stream', streamName, '--bucket', bucket, '--records', '3000', '--rate', '300', '--workers', '2', '--chaos', 'none', '--metrics', `prometheus:${port}`]);
    try {
      await demo.waitForOutput(new RegExp(`^producer metrics: http://127\\.0\\.0\\.1:${port}/metrics$`, 'm'), { timeoutMs: 30_000 });
      for (const n of [1, 2]) await demo.waitForOutput(new RegExp(`^worker-${n} metrics: http://127\\.0\\.0\\.1:${port + n}/metrics$`, 'm'), { timeoutMs: 30_000 });
      const scrape = async (at: number) => (await fetch(`http://127.0.0.1:${at}/metrics`)).text();
      const processed = (text: string) => [...text.matchAll(/^aws_kinesis_client_records_processed(?:_total)?(?:\{[^}]*\})? ([0-9.eE+-]+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
      // Each worker's exporter is its own: KCL metrics from that worker; the records flow through one or both.
      await waitFor(async () => processed(await scrape(port + 1)) + processed(await scrape(port + 2)) > 0, { timeoutMs: 30_000, intervalMs: 250, description: 'records_processed on the workers\' endpoints' });
      for (const n of [1, 2]) expect(await scrape(port + n)).toMatch(/^aws_kinesis_client_/m);
      expect(await scrape(port)).not.toMatch(/^aws_kinesis_client_records_processed/m);
      const result = await demo.exited;
      expect({ code: result.code, output: result.stdout }).toEqual({ code: 0, output: expect.stringContaining('PASS') });
    } finally {
      demo.kill('SIGKILL');
    }
  }, 180_000);

  it('runs its own local stack end to end: progress, the chaos steps and a summary row per sink (exit 0)', async () => {
    const result = await runCli(['demo', '--records', '20000'], { timeoutMs: 120_000 });
    const output = `${result.stdout}\n--- stderr ---\n${result.stderr}`;
    expect({ code: result.code, output }).toEqual({ code: 0, output: expect.stringContaining('PASS: every acknowledged record reached every sink') });

    // Not a terminal: plain progress lines, no ANSI control sequences.
    expect(result.stdout).not.toContain('\x1b[');
    expect(result.stdout).toMatch(/^\[[0-9.]+ s\] [a-z ]+: produced [0-9,]+\/20,000 \([0-9]+%\), delivered [0-9,]+/m);
    // The chaos happened while it ran.
    expect(result.stdout).toMatch(/^reshard: split shard 0 into shard \d+ and shard \d+$/m);
    expect(result.stdout).toMatch(/^reshard: merged shard \d+ and shard \d+ into shard \d+$/m);
    expect(result.stdout).toMatch(/^kill -9 worker-\d \(pid \d+\), holding shard/m);
    expect(result.stdout).toMatch(/^restarted worker-\d as worker-\db \(pid \d+\)$/m);
    expect(result.stdout).toMatch(/^ {2}produced +20,000 acknowledged of 20,000 put, in [0-9.]+ s \([0-9,]+ records\/s\)$/m);
    expect(result.stdout).toMatch(/^ {2}postgresql +20,000 +20,000 +0 +0 +0 +0 +PASS$/m);
  }, 150_000);

  it('rejects a bad flag with one line and exit code 2, before starting anything', async () => {
    const result = await runCli(['demo', '--records', 'lots']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['kinesis-toolkit demo: --records must be an integer ≥ 1, got "lots". Run `kinesis-toolkit demo --help` for the flags.']);
    const negative = await runCli(['demo', '--records', '-5']);
    expect(negative.stderr.trim().split('\n')).toEqual(['kinesis-toolkit demo: --records must be an integer ≥ 1, got "-5". Run `kinesis-toolkit demo --help` for the flags.']);
    const chaos = await runCli(['demo', '--chaos', 'split,explode']);
    expect(chaos.code).toBe(2);
    expect(chaos.stderr).toMatch(/--chaos: expected a list of split, merge, kill \(or none\), got \["split","explode"\]/);
  });

  it('says in one line what is unreachable (an endpoint with nothing behind it), exit code 1', async () => {
    const result = await runCli(['demo', '--stream', 'anything', '--bucket', 'b', '--kinesis-endpoint', 'http://127.0.0.1:1'], { env: { AWS_REGION: 'us-east-1' } });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'kinesis-toolkit demo: cannot reach Kinesis at http://127.0.0.1:1: ECONNREFUSED (is `kinesis-toolkit local` running?) — check --kinesis-endpoint.',
    ]);
  });
});
