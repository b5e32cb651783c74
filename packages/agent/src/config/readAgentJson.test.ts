import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { AGENT_RECORD_TTL_MS, parseAgentJson, readAgentJson } from './readAgentJson';

const parse = (document: unknown) => parseAgentJson('agent.json', document, '/work');

describe('readAgentJson', () => {
  it('reads the documentation’s two-flow agent.json with the agent’s defaults', () => {
    const config = parse({
      'cloudwatch.emitMetrics': true,
      'kinesis.endpoint': '',
      'firehose.endpoint': 'firehose.us-west-2.amazonaws.com',
      flows: [
        { filePattern: '/tmp/app1.log*', kinesisStream: 'yourkinesisstream' },
        { filePattern: '/tmp/app2.log*', deliveryStream: 'yourfirehosedeliverystream' },
      ],
    });
    expect(config.flows.map((f) => f.id)).toEqual(['kinesis:yourkinesisstream:/tmp/app1.log*', 'fh:yourfirehosedeliverystream:/tmp/app2.log*']);
    expect(config.flows[0]!.options).toMatchObject({
      streamName: 'yourkinesisstream',
      files: ['/tmp/app1.log*'],
      partitionKey: 'RANDOM',
      initialPosition: 'END_OF_FILE',
      recordMaxBufferedTimeMs: 60_000,
      maxBufferRecords: 500,
      maxBufferBytes: 5 * 1024 * 1024,
      pollIntervalMs: 100,
      retryBaseDelayMs: 100,
      retryMaxDelayMs: 10_000,
      recordTtlMs: AGENT_RECORD_TTL_MS,
    });
    expect(config.flows[1]!.options).toMatchObject({ deliveryStreamName: 'yourfirehosedeliverystream', streamName: undefined, maxBufferBytes: 4 * 1024 * 1024, maxRecordBytes: 1_023_999 });
    expect(config.settings).toMatchObject({ checkpointFile: '/var/run/aws-kinesis-agent/checkpoints', shutdownTimeoutMs: 10_000, firehoseEndpoint: 'https://firehose.us-west-2.amazonaws.com', firehoseRegion: 'us-west-2' });
    expect(config.notices).toEqual([]);
    expect(config.settings.metrics).toEqual({ cloudWatch: true, cloudWatchExplicit: true, endpoint: undefined, region: undefined, intervalMs: 30_000, queueSize: 10_000, namespace: 'AWSKinesisAgent', log: false, tagInstance: false });
  });

  it('maps the cloudwatch.* and log.emitMetrics keys, with the Java agent’s defaults when absent', () => {
    const flows = [{ filePattern: '/a', kinesisStream: 's' }];
    expect(parse({ flows }).settings.metrics).toEqual({ cloudWatch: true, cloudWatchExplicit: false, endpoint: undefined, region: undefined, intervalMs: 30_000, queueSize: 10_000, namespace: 'AWSKinesisAgent', log: false, tagInstance: false });
    const given = parse({
      'kinesis.region': 'eu-west-1',
      'cloudwatch.emitMetrics': false,
      'cloudwatch.endpoint': 'monitoring.us-west-2.amazonaws.com',
      'cloudwatch.metricsBufferTimeMillis': 5_000,
      'cloudwatch.metricsQueueSize': 50,
      'cloudwatch.namespace': 'MyAgents',
      'log.emitMetrics': true,
      flows,
    }).settings.metrics;
    expect(given).toEqual({ cloudWatch: false, cloudWatchExplicit: true, endpoint: 'https://monitoring.us-west-2.amazonaws.com', region: 'us-west-2', intervalMs: 5_000, queueSize: 50, namespace: 'MyAgents', log: true, tagInstance: false });
    expect(parse({ 'kinesis.region': 'eu-west-1', 'cloudwatch.endpoint': 'http://127.0.0.1:4599', flows }).settings.metrics.region).toBe('eu-west-1');
  });

  it('aggregatedRecordSizeBytes: joins records of a deliveryStream flow; on a kinesisStream flow it is accepted with a notice (the Java agent reads it for Firehose flows only)', () => {
    const config = parse({
      flows: [
        { filePattern: '/a', deliveryStream: 'd', aggregatedRecordSizeBytes: 5120 },
        { filePattern: '/b', kinesisStream: 's', aggregatedRecordSizeBytes: 5120 },
        { filePattern: '/c', deliveryStream: 'e' },
      ],
    });
    expect(config.flows.map((f) => f.options.aggregatedRecordSizeBytes)).toEqual([5120, 0, 0]);
    expect(config.notices).toEqual([expect.stringMatching(/^flows\[1\]\.aggregatedRecordSizeBytes is accepted but has no effect on a kinesisStream flow/)]);
    expect(() => parse({ flows: [{ filePattern: '/a', deliveryStream: 'd', aggregatedRecordSizeBytes: 1_024_001 }] })).toThrow(/^flows\[0\]\.aggregatedRecordSizeBytes: expected an integer in \[0, 1024000\], got 1024001/);
  });

  it('fileFooterPattern is passed on to the flow (an empty one is none, as for the Java agent)', () => {
    const config = parse({ flows: [{ filePattern: '/a', kinesisStream: 's', fileFooterPattern: '^EOF$' }, { filePattern: '/b', kinesisStream: 's', fileFooterPattern: '' }] });
    expect(config.flows.map((f) => f.options.fileFooterPattern)).toEqual(['^EOF$', undefined]);
    expect(config.notices).toEqual([]);
  });

  it('cloudwatch.tagInstance is read (default false, as the Java agent), with no notice', () => {
    const config = parse({ 'cloudwatch.tagInstance': true, flows: [{ filePattern: '/a', kinesisStream: 's' }] });
    expect(config.settings.metrics.tagInstance).toBe(true);
    expect(config.notices).toEqual([]);
    expect(parse({ flows: [{ filePattern: '/a', kinesisStream: 's' }] }).settings.metrics.tagInstance).toBe(false);
    expect(() => parse({ 'cloudwatch.tagInstance': 'yes', flows: [{ filePattern: '/a', kinesisStream: 's' }] })).toThrow(/^cloudwatch\.tagInstance: expected/);
  });

  it.each([
    [{ 'cloudwatch.emitMetrics': 'yes' }, 'cloudwatch.emitMetrics: expected true or false, got "yes"'],
    [{ 'log.emitMetrics': 1 }, /^log\.emitMetrics: expected true or false, got 1/],
    [{ 'cloudwatch.metricsBufferTimeMillis': 999 }, 'cloudwatch.metricsBufferTimeMillis: expected an integer in [1000, 3600000], got 999'],
    [{ 'cloudwatch.metricsQueueSize': 0 }, 'cloudwatch.metricsQueueSize: expected an integer in [1, 10000000], got 0'],
    [{ 'cloudwatch.namespace': '' }, /^cloudwatch\.namespace: expected /],
    [{ 'cloudwatch.namespace': 'AWS/Kinesis' }, 'cloudwatch.namespace: expected a namespace not starting with "AWS/" (reserved for AWS services), got "AWS/Kinesis"'],
    [{ 'cloudwatch.endpoint': 'ftp://x' }, /^cloudwatch\.endpoint: expected /],
  ])('metrics key %j out of range is an InvalidArgumentError naming it', (keys, message) => {
    let error: unknown;
    try {
      parse({ ...keys, flows: [{ filePattern: '/a', kinesisStream: 's' }] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
  });

  it.each([
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', frobnicate: 1 }] }, /^flows\[0\]\.frobnicate: expected no such option/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', maxBufferAgeMilis: 1 }] }, /did you mean "maxBufferAgeMillis"\?/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', maxBufferAgeMillis: 999 }] }, /^flows\[0\]\.maxBufferAgeMillis: expected an integer in \[1000, 900000\], got 999/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', maxBufferSizeRecords: 501 }] }, /^flows\[0\]\.maxBufferSizeRecords: expected an integer in \[1, 500\]/],
    [{ flows: [{ filePattern: '/a', deliveryStream: 'd', maxBufferSizeBytes: 5 * 1024 * 1024 }] }, /^flows\[0\]\.maxBufferSizeBytes: expected an integer in \[1, 4194304\]/],
    [{ flows: [{ filePattern: '/a', deliveryStream: 'd', partitionKeyOption: 'RANDOM' }] }, /partitionKeyOption: expected not set for a deliveryStream/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', deliveryStream: 'd' }] }, /^flows\[0\]: expected exactly one destination/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', fileFooterPattern: '(' }] }, /^flows\[0\]\.fileFooterPattern: expected a regular expression/],
    [{ 'userDefinedCredentialsProvider.classname': 'com.x.P', flows: [] }, /^userDefinedCredentialsProvider\.classname: expected not set — .*Java credentials provider/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's', dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'NGINX' }] }] }, /^flows\[0\]\.dataProcessingOptions\[0\] \(LOGTOJSON\) logFormat/],
    [{ flows: [{ filePattern: '/a', kinesisStream: 's' }, { filePattern: '/a', kinesisStream: 's' }] }, /appears twice/],
    [{ awsSecretAccessKey: 'SECRET-VALUE', flows: [{ filePattern: '/a', kinesisStream: 's' }] }, /^awsAccessKeyId: expected set together/],
    [{ awsSecretAcessKey: 'SECRET-VALUE', flows: [] }, /did you mean "awsSecretAccessKey"/],
  ])('%j is an error that names the key', (document, message) => {
    let error: unknown;
    try {
      parse(document);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('SECRET-VALUE');
  });

  it('prefixes the file name and says when the file is missing or not JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kt-agentjson-'));
    try {
      await expect(readAgentJson(join(dir, 'missing.json'))).rejects.toMatchObject({ code: 'InvalidAgentConfig', message: expect.stringMatching(/missing\.json: no such file$/) });
      await writeFile(join(dir, 'bad.json'), '{');
      await expect(readAgentJson(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json: not JSON/);
      await writeFile(join(dir, 'range.json'), JSON.stringify({ flows: [{ filePattern: 'a.log', kinesisStream: 's', skipHeaderLines: -1 }] }));
      await expect(readAgentJson(join(dir, 'range.json'))).rejects.toThrow(/range\.json: flows\[0\]\.skipHeaderLines: expected an integer in \[0, 1000000\], got -1/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
