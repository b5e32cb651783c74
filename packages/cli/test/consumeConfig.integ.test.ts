import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { createServer, type AddressInfo } from 'node:net';
import { createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { runCli, startCli, type CliProcess } from './runCli';

let stack: TestStack;
let dir: string;
let running: CliProcess | undefined;
beforeAll(() => {
  stack = getTestStack();
  dir = mkdtempSync(join(tmpdir(), 'kt-cli-config-'));
});
afterAll(() => {
  running?.kill('SIGKILL');
  stack.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('kinesis-toolkit consume --config', () => {
  it('runs a worker with a file-emitter pipeline; Ctrl-C checkpoints what was emitted, releases the leases and exits 0', async () => {
    const streamName = uniqueName('cli-config');
    const application = uniqueName('cli-config-app');
    await createStream(stack.kinesis.client, streamName, 1);
    const records = Array.from({ length: 5 }, (_, n) => ({ n, kind: 'click' }));
    const put = await stack.kinesis.client.send(
      new PutRecordsCommand({ StreamName: streamName, Records: records.map((record) => ({ PartitionKey: `k${record.n}`, Data: Buffer.from(JSON.stringify(record)) })) }),
    );
    const lastSequenceNumber = put.Records?.[4]?.SequenceNumber as string;
    const out = join(dir, 'out.jsonl');
    const config = join(dir, 'pipeline.json');
    writeFileSync(
      config,
      JSON.stringify({ stream: streamName, application, initialPosition: 'TRIM_HORIZON', buffer: { maxRecords: 5, maxAgeMs: 200 }, emitter: { type: 'file', path: out } }),
    );

    running = startCli(['consume', '--config', config]);
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > records.length, {
      timeoutMs: 20_000,
      description: 'the five records in the output file',
    });
    running.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/shutting down .*\n.*stopped\.\n$/);
    expect(readFileSync(out, 'utf8')).toBe(records.map((record) => `${JSON.stringify(record)}\n`).join(''));

    const { leases } = await new DynamoDBLeaseStore(stack.dynamodb.client, { tableName: application }).listLeases();
    expect(leases.map((lease) => [lease.leaseKey, lease.leaseOwner, lease.checkpoint.sequenceNumber])).toEqual([['shardId-000000000000', undefined, lastSequenceNumber]]);
  }, 40_000);

  it('rejects a bad config file in one line naming the key, before touching AWS', async () => {
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ stream: 's', application: 'app', emitter: { type: 'file' } }));
    const result = await runCli(['consume', '--config', config]);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `kinesis-toolkit consume: ${config}: emitter.path is required.\n` });
    const missing = await runCli(['consume', '--config', join(dir, 'nope.json')]);
    expect(missing).toMatchObject({ code: 2, stderr: `kinesis-toolkit consume: cannot read --config ${join(dir, 'nope.json')}: ENOENT.\n` });
  });

  it('says in one line, with exit code 1, when what the config names is missing or unusable — instead of running silently', async () => {
    const streamName = uniqueName('cli-preflight');
    await createStream(stack.kinesis.client, streamName, 1);
    const bucket = await createBucket(stack.s3.client, uniqueName('cli-preflight').toLowerCase());
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const cases: [object, RegExp][] = [
      [{ stream: uniqueName('absent'), emitter: { type: 'file', path: join(dir, 'x.jsonl') } }, /^kinesis-toolkit consume: stream "absent-[^"]+" \(.*: stream\) not found .* — create it, fix "stream" or check/],
      [{ stream: streamName, emitter: { type: 's3', bucket: 'no-such-bucket-kt' } }, /^kinesis-toolkit consume: bucket "no-such-bucket-kt" \(.*: emitter\.bucket\) not found .* — create it, fix "emitter\.bucket"/],
      [{ stream: streamName, emitter: { type: 's3', bucket }, failures: { bucket: 'no-such-errors-kt' } }, /^kinesis-toolkit consume: bucket "no-such-errors-kt" \(.*: failures\.bucket\) not found/],
      [{ stream: streamName, emitter: { type: 'file', path: join(dir, 'no', 'such', 'dir', 'out.jsonl') } }, /^kinesis-toolkit consume: .*: emitter\.path .*out\.jsonl cannot be written \(ENOENT\)/],
      [{ stream: streamName, emitter: { type: 'http', url: `http://127.0.0.1:${closedPort}/ingest` } }, /^kinesis-toolkit consume: .*: emitter\.url: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/],
      [{ stream: streamName, emitter: { type: 'dynamodb', tableName: 'no-such-table-kt' } }, /^kinesis-toolkit consume: table "no-such-table-kt" \(.*: emitter\.tableName\) not found/],
    ];
    for (const [body, message] of cases) {
      const config = join(dir, 'preflight.json');
      writeFileSync(config, JSON.stringify({ application: uniqueName('cli-preflight-app'), ...body }));
      const result = await runCli(['consume', '--config', config]);
      expect({ body, code: result.code, stderr: result.stderr }).toEqual({ body, code: 1, stderr: expect.stringMatching(message) });
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  }, 60_000);

  it('names a bad application (it names the lease table) with exit code 2', async () => {
    const config = join(dir, 'app.json');
    writeFileSync(config, JSON.stringify({ stream: 's', application: 'my app!', emitter: { type: 'stdout' } }));
    const result = await runCli(['consume', '--config', config]);
    expect(result).toMatchObject({ code: 2, stderr: `kinesis-toolkit consume: ${config}: application must be a name of 3 to 255 letters, digits, _, - or . (it names the DynamoDB lease table), got "my app!".\n` });
  });
});

