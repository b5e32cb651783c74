import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { deaggregate } from '@kinesis-toolkit/aggregation';
import { createBucket, createStream, getTestStack, startPostgres, uniqueName, type PostgresServer, type TestStack } from '@kinesis-toolkit/testing';
import { runCli } from './runCli';

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
