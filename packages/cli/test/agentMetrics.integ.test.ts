import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEmf } from '@kinesis-toolkit/core';
import { LocalCloudWatch, LocalFirehose, clientConfigFor, createBucket, createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { FakeImds, IDENTITY } from '../../agent/test/FakeImds';
import { readStream } from './readStream';
import { runCli } from './runCli';

// The agent's metrics from agent.json (cloudwatch.*) and from --metrics, with the built binary
// against kinesalite. No CloudWatch here: LocalCloudWatch is a local endpoint that decodes what the
// unmodified @aws-sdk/client-cloudwatch sends (PutMetricData, AWS JSON 1.0).

let stack: TestStack;
let kinesis: KinesisClient;
let dir: string;

beforeAll(() => {
  stack = getTestStack();
  kinesis = stack.kinesis.client;
});
afterAll(() => stack.destroy());
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-agent-metrics-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const lines = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const text = (values: string[]) => values.map((v) => `${v}\n`).join('');

async function newStream(): Promise<string> {
  const name = uniqueName('agent-metrics');
  await createStream(kinesis, name, 2);
  return name;
}

async function twoFlows(extra: Record<string, unknown>): Promise<{ config: string; a: string; b: string; aLines: string[]; bLines: string[] }> {
  const [a, b] = [await newStream(), await newStream()];
  const aLines = lines('a', 700);
  const bLines = lines('b', 130);
  await writeFile(join(dir, 'a.log'), text(aLines));
  await writeFile(join(dir, 'b.log'), text(bLines));
  const config = join(dir, 'agent.json');
  await writeFile(
    config,
    JSON.stringify({
      'kinesis.endpoint': stack.kinesis.endpoint,
      checkpointFile: join(dir, 'checkpoints'),
      ...extra,
      flows: [
        { filePattern: join(dir, 'a.log'), kinesisStream: a, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 },
        { filePattern: join(dir, 'b.log'), kinesisStream: b, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 },
      ],
    }),
  );
  return { config, a, b, aLines, bLines };
}

/** A TCP endpoint that accepts connections and never answers: a CloudWatch that hangs. */
async function blackhole(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sumOf = (datums: { dimensions: readonly { name: string; value: string }[]; metricName: string; statisticValues?: { sum: number } | undefined }[], name: string, destination: string) =>
  datums
    .filter((d) => d.metricName === name && d.dimensions.length === 1 && d.dimensions[0]!.name === 'Destination' && d.dimensions[0]!.value === destination)
    .reduce((sum, d) => sum + (d.statisticValues?.sum ?? 0), 0);

describe('kinesis-toolkit agent metrics (the binary; LocalCloudWatch, not CloudWatch)', () => {
  it('two flows with cloudwatch.endpoint at LocalCloudWatch (not CloudWatch): RecordSendAttempts per Destination equal the records sent, in cloudwatch.namespace, no errors', async () => {
    const cloudWatch = await LocalCloudWatch.start();
    try {
      const { config, a, b, aLines, bLines } = await twoFlows({ 'cloudwatch.endpoint': cloudWatch.endpoint, 'cloudwatch.namespace': 'KtAgentTest', 'cloudwatch.metricsBufferTimeMillis': 1000 });
      const result = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
      expect(result.stderr).toContain(`${aLines.length} records sent to ${a}, 0 failed`);
      expect(result.stderr).toContain(`${bLines.length} records sent to ${b}, 0 failed`);
      expect(result.code).toBe(0);
      const datums = cloudWatch.datums('KtAgentTest');
      expect(cloudWatch.datums('AWSKinesisAgent')).toEqual([]);
      for (const [stream, sent] of [[a, aLines], [b, bLines]] as const) {
        const destination = `KinesisStream:${stream}`;
        expect([destination, sumOf(datums, 'RecordSendAttempts', destination)]).toEqual([destination, sent.length]);
        expect(sumOf(datums, 'RecordSendErrors', destination)).toBe(0);
        expect(sumOf(datums, 'ServiceErrors', destination)).toBe(0);
        expect(sumOf(datums, 'BytesSent', destination)).toBeGreaterThanOrEqual(text(sent).length);
      }
      expect(cloudWatch.rejected).toBe(0);
    } finally {
      await cloudWatch.stop();
    }
  }, 40_000);

  it('cloudwatch.tagInstance (instance id from a local fake IMDS, no EC2 here): every datum in LocalCloudWatch carries Destination and InstanceId', async () => {
    const cloudWatch = await LocalCloudWatch.start();
    const imds = await FakeImds.start({ identity: IDENTITY });
    try {
      const { config, a, aLines } = await twoFlows({ 'cloudwatch.endpoint': cloudWatch.endpoint, 'cloudwatch.metricsBufferTimeMillis': 1000, 'cloudwatch.tagInstance': true });
      const result = await runCli(['agent', '--config', config, '--once'], { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint }, timeoutMs: 30_000 });
      expect(result.code).toBe(0);
      const datums = cloudWatch.datums('AWSKinesisAgent');
      expect(datums.length).toBeGreaterThan(0);
      for (const datum of datums) expect(datum.dimensions.map((d) => d.name)).toEqual(['Destination', 'InstanceId']);
      const attempts = datums.filter((d) => d.metricName === 'RecordSendAttempts' && d.dimensions[0]!.value === `KinesisStream:${a}` && d.dimensions[1]!.value === IDENTITY.instanceId);
      expect(attempts.reduce((sum, d) => sum + (d.statisticValues?.sum ?? 0), 0)).toBe(aLines.length);
      expect(imds.requests[0]).toBe('PUT /latest/api/token');
    } finally {
      await imds.stop();
      await cloudWatch.stop();
    }
  }, 40_000);

  it('a Kinesis flow and a Firehose flow (local Firehose endpoint): DeliveryStream:<name> and KinesisStream:<name> each count their own records in LocalCloudWatch (not CloudWatch)', async () => {
    const cloudWatch = await LocalCloudWatch.start();
    const local = await LocalFirehose.start({ kinesisEndpoint: stack.kinesis.endpoint, s3Endpoint: stack.s3.endpoint });
    const firehose = new FirehoseClient(clientConfigFor(local.endpoint));
    try {
      const bucket = await createBucket(stack.s3.client, uniqueName('agent-cw').toLowerCase());
      const deliveryStream = uniqueName('agent-cw-ds');
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: deliveryStream,
          ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
        }),
      );
      const stream = await newStream();
      const web = lines('web', 420);
      const app = lines('app', 55);
      await writeFile(join(dir, 'web.log'), text(web));
      await writeFile(join(dir, 'app.log'), text(app));
      const config = join(dir, 'agent.json');
      await writeFile(
        config,
        JSON.stringify({
          'kinesis.endpoint': stack.kinesis.endpoint,
          'firehose.endpoint': local.endpoint,
          'cloudwatch.endpoint': cloudWatch.endpoint,
          checkpointFile: join(dir, 'checkpoints'),
          flows: [
            { filePattern: join(dir, 'web.log'), deliveryStream, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, maxBufferSizeRecords: 100 },
            { filePattern: join(dir, 'app.log'), kinesisStream: stream, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 },
          ],
        }),
      );
      const result = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
      expect(result.code).toBe(0);
      const datums = cloudWatch.datums('AWSKinesisAgent');
      expect(sumOf(datums, 'RecordSendAttempts', `DeliveryStream:${deliveryStream}`)).toBe(web.length);
      expect(sumOf(datums, 'RecordSendAttempts', `KinesisStream:${stream}`)).toBe(app.length);
      expect(sumOf(datums, 'BytesSent', `DeliveryStream:${deliveryStream}`)).toBe(text(web).length);
    } finally {
      firehose.destroy();
      await local.stop();
      await cloudWatch.stop();
    }
  }, 40_000);

  it('a metrics endpoint that never answers: every record is delivered, the run exits 0 (the last interval abandoned at shutdownTimeoutMillis), one warning about them at most per interval plus one summary', async () => {
    const hole = await blackhole();
    try {
      const { config, a, b, aLines, bLines } = await twoFlows({ 'cloudwatch.endpoint': hole.endpoint, 'cloudwatch.emitMetrics': true, shutdownTimeoutMillis: 2000 });
      const result = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
      expect(result.code).toBe(0);
      expect((await readStream(kinesis, a)).map((r) => r.replace(/\n$/, '')).sort()).toEqual([...aLines].sort());
      expect((await readStream(kinesis, b)).map((r) => r.replace(/\n$/, '')).sort()).toEqual([...bLines].sort());
      const metricLines = result.stderr.split('\n').filter((line) => /PutMetricData|CloudWatch metric/.test(line));
      // The run is far shorter than the 30 s interval: the one PutMetricData (the last interval) is cut by the deadline.
      expect(metricLines.length).toBeLessThanOrEqual(2);
      expect(metricLines.some((line) => /CloudWatch metrics: 8 datum\(s\) not delivered/.test(line))).toBe(true);
    } finally {
      await hole.close();
    }
  }, 40_000);

  it('--metrics emf:PATH replaces agent.json’s CloudWatch settings: the EMF file has RecordSendAttempts per Destination equal to the records sent', async () => {
    const cloudWatch = await LocalCloudWatch.start();
    try {
      const { config, a, b, aLines, bLines } = await twoFlows({ 'cloudwatch.endpoint': cloudWatch.endpoint });
      const emf = join(dir, 'agent.emf');
      const result = await runCli(['agent', '--config', config, '--once', '--metrics', `emf:${emf}`], { timeoutMs: 30_000 });
      expect(result.code).toBe(0);
      const metrics = (await readFile(emf, 'utf8')).split('\n').filter((line) => line !== '').flatMap((line) => parseEmf(line));
      for (const [stream, sent] of [[a, aLines], [b, bLines]] as const) {
        const attempts = metrics.filter((m) => m.namespace === 'AWSKinesisAgent' && m.name === 'RecordSendAttempts' && m.dimensions.Destination === `KinesisStream:${stream}`);
        expect(attempts.reduce((sum, m) => sum + m.values.reduce((x, y) => x + y, 0), 0)).toBe(sent.length);
      }
      expect(cloudWatch.requests).toEqual([]); // agent.json's cloudwatch.endpoint was not used
    } finally {
      await cloudWatch.stop();
    }
  }, 40_000);
});
