import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { parseEmf, validateEmf, type EmfMetric } from '@kinesis-toolkit/core';
import { LocalCloudWatch, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { runCli, startCli, type CliProcess } from './runCli';

// The built binary's --metrics against the jest global stack (kinesalite, dynalite): EMF lines
// checked with validateEmf (the specification's rules), the Prometheus endpoint scraped over HTTP.

let stack: TestStack;
let dir: string;
let running: CliProcess | undefined;
beforeAll(() => {
  stack = getTestStack();
  dir = mkdtempSync(join(tmpdir(), 'kt-cli-metrics-'));
});
afterAll(() => {
  running?.kill('SIGKILL');
  stack.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** Every metric of a file of EMF lines, after checking each line against the EMF rules. */
function emfMetrics(text: string): EmfMetric[] {
  const lines = text.split('\n').filter((line) => line !== '');
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.flatMap((line) => validateEmf(line))).toEqual([]);
  return lines.flatMap((line) => parseEmf(line));
}

/** The sum of a metric over the series whose dimensions include `dimensions` (e.g. every shard of a stream). */
const total = (metrics: EmfMetric[], namespace: string, name: string, dimensions: Record<string, string>) =>
  metrics
    .filter((m) => m.namespace === namespace && m.name === name && Object.entries(dimensions).every(([key, value]) => m.dimensions[key] === value))
    .reduce((sum, m) => sum + m.values.reduce((a, b) => a + b, 0), 0);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The sum of a Prometheus metric's samples (every label set) in an exposition text. */
function promSum(text: string, name: string): number {
  const pattern = new RegExp(`^${name}(?:_total)?(?:\\{[^}]*\\})? ([0-9.eE+-]+)`, 'gm');
  return [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0);
}

describe('kinesis-toolkit --metrics (the binary, against the local stack)', () => {
  it('produce --metrics emf:PATH writes valid EMF lines: the KPL counts the records put, the agent the bytes and attempts to KinesisStream:<name>', async () => {
    const streamName = uniqueName('cli-metrics');
    await createStream(stack.kinesis.client, streamName, 2);
    const lines = Array.from({ length: 40 }, (_, i) => `line-${i}`);
    const file = join(dir, 'produce.emf');
    const result = await runCli(['produce', '--stream', streamName, '--kinesis-endpoint', stack.kinesis.endpoint, '--metrics', `emf:${file}`], {
      stdin: lines.map((line) => `${line}\n`).join(''),
    });
    expect(result.code).toBe(0);
    const metrics = emfMetrics(readFileSync(file, 'utf8'));
    expect(total(metrics, 'KinesisProducerLibrary', 'UserRecordsPut', { StreamName: streamName })).toBe(40);
    const destination = { Destination: `KinesisStream:${streamName}` };
    expect(total(metrics, 'AWSKinesisAgent', 'RecordSendAttempts', destination)).toBeGreaterThanOrEqual(1);
    expect(total(metrics, 'AWSKinesisAgent', 'ServiceErrors', destination)).toBe(0);
    expect(total(metrics, 'AWSKinesisAgent', 'BytesSent', destination)).toBeGreaterThan(lines.join('\n').length);
    expect(metrics.every((m) => Math.abs(m.timestamp - Date.now()) < 3_600_000)).toBe(true); // epoch milliseconds, not a monotonic clock
  }, 30_000);

  it('produce --metrics cloudwatch to a CloudWatch that never answers (LocalCloudWatch held, not CloudWatch): exits 0 after --metrics-flush-timeout-ms, the datums not sent counted in one line', async () => {
    const streamName = uniqueName('cli-metrics');
    await createStream(stack.kinesis.client, streamName, 1);
    const cloudWatch = await LocalCloudWatch.start();
    cloudWatch.hold();
    try {
      const result = await runCli(['produce', '--stream', streamName, '--kinesis-endpoint', stack.kinesis.endpoint, '--metrics', 'cloudwatch', '--metrics-flush-timeout-ms', '1000'], {
        stdin: 'a\nb\nc\n',
        env: { AWS_ENDPOINT_URL_CLOUDWATCH: cloudWatch.endpoint },
        timeoutMs: 25_000,
      });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/metrics: the final flush did not finish within 1000 ms \(--metrics-flush-timeout-ms\): [1-9]\d* data point\(s\) dropped/);
      expect(cloudWatch.requests).toEqual([]);
    } finally {
      await cloudWatch.stop();
    }
  }, 30_000);

  it('produce --metrics emf:- writes the EMF lines to stdout', async () => {
    const streamName = uniqueName('cli-metrics');
    await createStream(stack.kinesis.client, streamName, 1);
    const result = await runCli(['produce', '--stream', streamName, '--kinesis-endpoint', stack.kinesis.endpoint, '--metrics', 'emf:-'], { stdin: 'a\nb\nc\n' });
    expect(result.code).toBe(0);
    expect(total(emfMetrics(result.stdout), 'KinesisProducerLibrary', 'UserRecordsPut', { StreamName: streamName })).toBe(3);
  }, 30_000);

  it('consume --config --metrics prometheus:PORT serves the KCL and connector metrics over HTTP while the worker runs (and EMF at the same time)', async () => {
    const streamName = uniqueName('cli-metrics');
    const application = uniqueName('cli-metrics-app');
    await createStream(stack.kinesis.client, streamName, 1);
    await stack.kinesis.client.send(new PutRecordsCommand({ StreamName: streamName, Records: Array.from({ length: 7 }, (_, n) => ({ PartitionKey: `k${n}`, Data: Buffer.from(JSON.stringify({ n })) })) }));
    const out = join(dir, 'consumed.jsonl');
    const emf = join(dir, 'consume.emf');
    const config = join(dir, 'pipeline.json');
    writeFileSync(config, JSON.stringify({ stream: streamName, application, initialPosition: 'TRIM_HORIZON', buffer: { maxRecords: 7, maxAgeMs: 200 }, emitter: { type: 'file', path: out } }));
    const port = await freePort();
    running = startCli(['consume', '--config', config, '--metrics', `prometheus:${port}`, '--metrics', `emf:${emf}`]);
    await waitFor(() => existsSync(out) && readFileSync(out, 'utf8').split('\n').length > 7, { timeoutMs: 20_000, description: 'the seven records in the output file' });
    let scraped = '';
    await waitFor(
      async () => {
        scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return promSum(scraped, 'aws_kinesis_client_records_processed') === 7 && promSum(scraped, 'kinesis_toolkit_connector_records_emitted') === 7;
      },
      { timeoutMs: 20_000, intervalMs: 200, description: 'records_processed and records_emitted = 7 on the Prometheus endpoint' },
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- scraped:\n${scraped.slice(0, 4000)}\n--- stderr:\n${running?.stderr}`);
    });
    expect(scraped).toMatch(new RegExp(`aws_kinesis_client_records_processed[^\\n]*aws_kinesis_shard_id="shardId-000000000000"`));
    running.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(0);
    const metrics = emfMetrics(readFileSync(emf, 'utf8'));
    expect(total(metrics, 'KinesisConnector', 'RecordsEmitted', { StreamName: streamName, ShardId: 'shardId-000000000000' })).toBe(7);
    expect(metrics.some((m) => m.namespace === application && m.name === 'RecordsProcessed')).toBe(true);
  }, 60_000);

  it('rejects a --metrics it does not know, and --metrics without --config on consume, in one line (exit 2)', async () => {
    const bad = await runCli(['produce', '--stream', 's', '--metrics', 'statsd:8125']);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--metrics: expected emf:PATH, prometheus:PORT or cloudwatch, got "statsd:8125"') });
    const consume = await runCli(['consume', '--stream', 's', '--metrics', 'emf:-']);
    expect(consume).toMatchObject({ code: 2, stderr: expect.stringContaining('--metrics goes with --config') });
  });
});
