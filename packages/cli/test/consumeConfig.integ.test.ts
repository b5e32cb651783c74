import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBLeaseStore } from '@kinesis-toolkit/kcl';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
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
});
