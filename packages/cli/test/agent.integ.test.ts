import { CreateDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalCloudWatch, LocalFirehose, clientConfigFor, createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { FakeImds, IDENTITY } from '../../agent/test/FakeImds';
import { readStream as readStreamOf } from './readStream';
import { runCli, startCli, type CliProcess } from './runCli';

// `kinesis-toolkit agent --config agent.json` (the built binary) against kinesalite, with agent.json
// files in the shapes of the AWS documentation; ADDEC2METADATA reads a local fake IMDS (no EC2 here).

let stack: TestStack;
let kinesis: KinesisClient;
let dir: string;
const children: CliProcess[] = [];
const fakes: FakeImds[] = [];
const afterThis: (() => Promise<void>)[] = [];

beforeAll(() => {
  stack = getTestStack();
  kinesis = stack.kinesis.client;
});
afterAll(() => stack.destroy());
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-agent-'))));
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const fake of fakes.splice(0)) await fake.stop();
  for (const cleanup of afterThis.splice(0)) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

const readStream = (streamName: string): Promise<string[]> => readStreamOf(kinesis, streamName);

const newStream = async () => {
  const name = uniqueName('agent');
  await createStream(kinesis, name, 2);
  return name;
};
const lines = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
const text = (values: string[]) => values.map((v) => `${v}\n`).join('');

/** The lines of every S3 object under `prefix`, once there are at least `expected` (Firehose delivers asynchronously). */
async function deliveredLines(bucket: string, prefix: string, expected: number): Promise<string[]> {
  const inS3 = async () => {
    const listed = await stack.s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const bodies = await Promise.all((listed.Contents ?? []).map(async ({ Key }) => (await stack.s3.client.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString()));
    return bodies.join('').split('\n').filter((line) => line !== '');
  };
  await waitFor(async () => (await inS3()).length >= expected, { timeoutMs: 20_000, intervalMs: 200, description: 'the delivery stream’s records in S3' });
  return inS3();
}

async function agentJson(body: Record<string, unknown>): Promise<string> {
  const path = join(dir, 'agent.json');
  await writeFile(path, JSON.stringify({ 'kinesis.endpoint': stack.kinesis.endpoint, checkpointFile: join(dir, 'checkpoints'), ...body }));
  return path;
}

describe('kinesis-toolkit agent --config agent.json (the binary, against kinesalite)', () => {
  it('runs two flows of the documentation’s shape at once, each into its own stream, with every processing option (EC2 metadata from a local fake IMDS)', async () => {
    const imds = await FakeImds.start({ identity: IDENTITY, tags: { Name: 'web-1' } });
    fakes.push(imds);
    const cloudWatch = await LocalCloudWatch.start(); // not CloudWatch: a local PutMetricData endpoint
    afterThis.push(() => cloudWatch.stop());
    const [csvStream, logStream] = [await newStream(), await newStream()];
    await writeFile(join(dir, 'app.csv'), 'id,name\n1,alice\n2,bob\n');
    await writeFile(
      join(dir, 'access.log'),
      [
        '10.0.0.1 - - [01/Jan/2024:00:00:01 +0000] "GET / HTTP/1.1" 200 12 "-" "curl/8"',
        'not an access log line',
        '10.0.0.2 - frank [01/Jan/2024:00:00:02 +0000] "POST /x HTTP/1.1" 201 3 "http://r/" "Mozilla"',
      ].join('\n') + '\n',
    );
    await writeFile(join(dir, 'trace.log'), 'ERROR boom\n  at a()\n  at b()\nINFO fine\n');
    const config = await agentJson({
      'cloudwatch.emitMetrics': true,
      'cloudwatch.endpoint': cloudWatch.endpoint,
      flows: [
        {
          filePattern: join(dir, 'app.csv'),
          kinesisStream: csvStream,
          initialPosition: 'START_OF_FILE',
          skipHeaderLines: 1,
          partitionKeyOption: 'DETERMINISTIC',
          maxBufferAgeMillis: 1000,
          dataProcessingOptions: [
            { optionName: 'CSVTOJSON', customFieldNames: ['id', 'name'] },
            { optionName: 'ADDEC2METADATA', metadataFields: ['instanceId', 'region', 'instanceName'] },
          ],
        },
        {
          filePattern: join(dir, 'access.log*'),
          kinesisStream: logStream,
          initialPosition: 'START_OF_FILE',
          maxBufferAgeMillis: 1000,
          dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG', matchPattern: '^(\\S+) \\S+ (\\S+) .*" (\\d{3}) .*$', customFieldNames: ['host', 'user', 'status'] }],
        },
        {
          filePattern: join(dir, 'trace.log'),
          kinesisStream: logStream,
          initialPosition: 'START_OF_FILE',
          maxBufferAgeMillis: 1000,
          multiLineStartPattern: '^(ERROR|INFO)',
          dataProcessingOptions: [{ optionName: 'SINGLELINE' }, { optionName: 'ADDMETADATA', metadata: { app: 'shop' } }, { optionName: 'ADDBRACKETS' }],
        },
      ],
    });
    const result = await runCli(['agent', '--config', config, '--once'], { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.endpoint }, timeoutMs: 30_000 });
    expect(result.stderr.split('\n').filter((l) => l !== '')).toEqual([
      expect.stringMatching(/record at .*access\.log:\d+ not sent \[LogParseFailed\]/),
      `kinesis-toolkit agent: kinesis:${csvStream}:${join(dir, 'app.csv')}: 2 records sent to ${csvStream}, 0 failed`,
      `kinesis-toolkit agent: kinesis:${logStream}:${join(dir, 'access.log*')}: 2 records sent to ${logStream}, 1 failed`,
      `kinesis-toolkit agent: kinesis:${logStream}:${join(dir, 'trace.log')}: 2 records sent to ${logStream}, 0 failed`,
    ]);
    expect(result.code).toBe(1); // one line did not parse
    const destinations = new Set(cloudWatch.datums('AWSKinesisAgent').flatMap((d) => d.dimensions.map((x) => x.value)));
    expect([...destinations].sort()).toEqual([`KinesisStream:${csvStream}`, `KinesisStream:${logStream}`].sort());
    const csv = (await readStream(csvStream)).map((r) => JSON.parse(r) as unknown);
    expect(csv).toEqual(
      expect.arrayContaining([
        { id: '1', name: 'alice', instanceId: IDENTITY.instanceId, instanceName: 'web-1', region: 'eu-west-1' },
        { id: '2', name: 'bob', instanceId: IDENTITY.instanceId, instanceName: 'web-1', region: 'eu-west-1' },
      ]),
    );
    expect(csv).toHaveLength(2);
    const logs = await readStream(logStream);
    expect(logs.filter((r) => r.startsWith('{"host"')).map((r) => JSON.parse(r) as unknown)).toEqual(
      expect.arrayContaining([
        { host: '10.0.0.1', user: null, status: '200' }, // an Apache "-" is null, as in the agent
        { host: '10.0.0.2', user: 'frank', status: '201' },
      ]),
    );
    expect(logs.filter((r) => r.startsWith('{{'))).toEqual(
      expect.arrayContaining(['{{"metadata":{"app":"shop"},"data":"ERROR boomat a()at b()"}}\n', '{{"metadata":{"app":"shop"},"data":"INFO fine"}}\n']),
    );
    const checkpoints = JSON.parse(await readFile(join(dir, 'checkpoints'), 'utf8')) as { version: number; flows: Record<string, unknown> };
    expect(checkpoints.version).toBe(2);
    expect(Object.keys(checkpoints.flows).sort()).toEqual(
      [`kinesis:${csvStream}:${join(dir, 'app.csv')}`, `kinesis:${logStream}:${join(dir, 'access.log*')}`, `kinesis:${logStream}:${join(dir, 'trace.log')}`].sort(),
    );
  });

  it('a Firehose flow and a Kinesis flow in one agent.json: every line exactly once in the delivery stream’s S3 objects (local Firehose endpoint) and in the stream', async () => {
    const local = await LocalFirehose.start({ kinesisEndpoint: stack.kinesis.endpoint, s3Endpoint: stack.s3.endpoint });
    const firehose = new FirehoseClient(clientConfigFor(local.endpoint));
    try {
      const bucket = await createBucket(stack.s3.client, uniqueName('agent-fh').toLowerCase());
      const deliveryStream = uniqueName('agent-ds');
      await firehose.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: deliveryStream,
        ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', Prefix: 'agent/', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
      }));
      const stream = await newStream();
      const web = lines('web', 0, 1500);
      const app = lines('app', 0, 200);
      await writeFile(join(dir, 'web.log'), text(web));
      await writeFile(join(dir, 'app.log'), text(app));
      const config = await agentJson({
        'firehose.endpoint': local.endpoint,
        flows: [
          { filePattern: join(dir, 'web.log'), deliveryStream, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, maxBufferSizeRecords: 300 },
          { filePattern: join(dir, 'app.log'), kinesisStream: stream, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000 },
        ],
      });
      const result = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
      expect(result.stderr).toContain(`fh:${deliveryStream}:${join(dir, 'web.log')}: 1500 records sent to ${deliveryStream}, 0 failed`);
      // agent.json leaves cloudwatch.emitMetrics at its default and the destinations are local: no PutMetricData to the real CloudWatch.
      expect(result.stderr).not.toMatch(/PutMetricData|CloudWatch metrics/);
      expect(result.code).toBe(0);
      expect((await deliveredLines(bucket, 'agent/', web.length)).sort()).toEqual([...web].sort());
      expect((await readStream(stream)).map((r) => r.replace(/\n$/, '')).sort()).toEqual([...app].sort());
    } finally {
      firehose.destroy();
      await local.stop();
    }
  });

  it('aggregatedRecordSizeBytes: lines arrive joined into Firehose records within the bound (seen by a local Lambda processor), and S3 holds every line exactly once (local Firehose endpoint)', async () => {
    const local = await LocalFirehose.start({ kinesisEndpoint: stack.kinesis.endpoint, s3Endpoint: stack.s3.endpoint });
    const firehose = new FirehoseClient(clientConfigFor(local.endpoint));
    // Every Firehose record the delivery stream received, by its record id (a retried invocation sees one again).
    const received = new Map<string, string>();
    local.registerLambda('arn:aws:lambda:us-east-1:000000000000:function:observe', (event) =>
      event.records.map((record) => {
        received.set(record.recordId, Buffer.from(record.data, 'base64').toString('utf8'));
        return { recordId: record.recordId, result: 'Ok' as const, data: record.data };
      }),
    );
    try {
      const bucket = await createBucket(stack.s3.client, uniqueName('agent-agg').toLowerCase());
      const deliveryStream = uniqueName('agent-agg');
      await firehose.send(new CreateDeliveryStreamCommand({
        DeliveryStreamName: deliveryStream,
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${bucket}`,
          RoleARN: 'r',
          Prefix: 'agg/',
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'arn:aws:lambda:us-east-1:000000000000:function:observe' }] }] },
        },
      }));
      // Lines of 8 to 90 bytes; one of 1,500 bytes, bigger than the bound on its own.
      const web = Array.from({ length: 3000 }, (_, i) => `w${String(i).padStart(4, '0')}-${'x'.repeat(i === 1234 ? 1500 : (i * 37) % 80)}`);
      await writeFile(join(dir, 'web.log'), text(web));
      const config = await agentJson({
        'firehose.endpoint': local.endpoint,
        flows: [{ filePattern: join(dir, 'web.log'), deliveryStream, initialPosition: 'START_OF_FILE', maxBufferAgeMillis: 1000, aggregatedRecordSizeBytes: 1024 }],
      });
      const result = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
      expect(result.stderr).toContain(`fh:${deliveryStream}:${join(dir, 'web.log')}: 3000 records sent to ${deliveryStream}, 0 failed`);
      expect(result.code).toBe(0);
      expect((await deliveredLines(bucket, 'agg/', web.length)).sort()).toEqual([...web].sort());

      const aggregates = [...received.values()];
      // Each Firehose record is whole lines, each with its \n, nothing between them, consecutive in the file.
      const joined = aggregates.map((data) => {
        expect(data.endsWith('\n')).toBe(true);
        const parts = data.slice(0, -1).split('\n');
        if (parts.length > 1) expect(Buffer.byteLength(data)).toBeLessThanOrEqual(1024);
        const first = web.indexOf(parts[0]!);
        expect(parts).toEqual(web.slice(first, first + parts.length));
        return parts;
      });
      expect(joined.flat().sort()).toEqual([...web].sort());
      expect(joined.find((parts) => parts.includes(web[1234]!))).toEqual([web[1234]]);
      // About 20 lines of ~50 bytes fit in 1,024 bytes: far fewer Firehose records than lines.
      expect(aggregates.length).toBeLessThan(web.length / 10);
    } finally {
      firehose.destroy();
      await local.stop();
    }
  });

  it('SIGTERM drains and checkpoints every flow; a restart sends each line exactly once', async () => {
    const [a, b] = [await newStream(), await newStream()];
    await writeFile(join(dir, 'a.log'), '');
    await writeFile(join(dir, 'b.log'), '');
    const config = await agentJson({
      flows: [
        { filePattern: join(dir, 'a.log'), kinesisStream: a, maxBufferAgeMillis: 1000, minTimeBetweenFilePollsMillis: 50 },
        { filePattern: join(dir, 'b.log'), kinesisStream: b, maxBufferAgeMillis: 1000, minTimeBetweenFilePollsMillis: 50 },
      ],
    });
    const first = startCli(['agent', '--config', config]);
    children.push(first);
    await waitFor(async () => (await readFile(join(dir, 'checkpoints'), 'utf8').catch(() => '')).includes('b.log'), { timeoutMs: 10_000, description: 'the agent to start' });
    await appendFile(join(dir, 'a.log'), text(lines('a', 0, 300)));
    await appendFile(join(dir, 'b.log'), text(lines('b', 0, 300)));
    await waitFor(async () => (await readStream(a)).length > 0, { timeoutMs: 10_000, description: 'records on the first stream' });
    first.kill('SIGTERM');
    const stopped = await first.exited;
    expect(stopped.code).toBe(0);
    await appendFile(join(dir, 'a.log'), text(lines('a', 300, 400)));
    await appendFile(join(dir, 'b.log'), text(lines('b', 300, 400)));
    const second = await runCli(['agent', '--config', config, '--once'], { timeoutMs: 30_000 });
    expect(second.code).toBe(0);
    for (const [stream, prefix] of [[a, 'a'], [b, 'b']] as const) {
      const seen = (await readStream(stream)).map((r) => r.replace(/\n$/, '')).sort();
      expect(seen).toEqual(lines(prefix, 0, 400).sort());
    }
  });

  it('ADDEC2METADATA off EC2: exits 1 at start with a clear message (an IMDS that never answers)', async () => {
    const silent = await FakeImds.start({ identity: IDENTITY }, { silent: true });
    fakes.push(silent);
    const stream = await newStream();
    await writeFile(join(dir, 'x.log'), '{"a":1}\n');
    const config = await agentJson({ flows: [{ filePattern: join(dir, 'x.log'), kinesisStream: stream, dataProcessingOptions: [{ optionName: 'ADDEC2METADATA' }] }] });
    const result = await runCli(['agent', '--config', config, '--once'], { env: { AWS_EC2_METADATA_SERVICE_ENDPOINT: silent.endpoint } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kinesis-toolkit agent: ADDEC2METADATA: the EC2 instance metadata service at http:\/\/127\.0\.0\.1:\d+ is not usable: .* Not on EC2\? Remove ADDEC2METADATA/);
  });

  it('bad agent.json: one line naming the file and the key, exit 2; a missing stream: exit 1 naming the flow', async () => {
    const stream = await newStream();
    const unknown = await agentJson({ flows: [{ filePattern: join(dir, 'x.log'), kinesisStream: stream, maxBufferAgeMilis: 5000 }] });
    const bad = await runCli(['agent', '--config', unknown]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^kinesis-toolkit agent: .*agent\.json: flows\[0\]\.maxBufferAgeMilis: expected no such option — did you mean "maxBufferAgeMillis"\?/);
    const missing = await agentJson({ flows: [{ filePattern: join(dir, 'x.log'), kinesisStream: 'no-such-stream-here' }] });
    const absent = await runCli(['agent', '--config', missing]);
    expect(absent.code).toBe(1);
    expect(absent.stderr).toMatch(/stream "no-such-stream-here" \(kinesis:no-such-stream-here:.*x\.log\) not found/);
  });
});
