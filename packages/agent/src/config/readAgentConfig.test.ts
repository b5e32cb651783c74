import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { resolveProduceOptions } from './ProduceOptions';
import { readAgentConfig } from './readAgentConfig';

describe('readAgentConfig', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-config-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const config = async (body: unknown) => {
    const path = join(dir, 'agent.json');
    await writeFile(path, typeof body === 'string' ? body : JSON.stringify(body));
    return readAgentConfig(path);
  };

  it('maps the agent’s flow keys to produce options', async () => {
    expect(
      await config({
        'kinesis.endpoint': 'kinesis.eu-west-1.amazonaws.com',
        checkpointFile: '/var/run/cp.json',
        flows: [
          {
            filePattern: '/var/log/httpd/access_log*',
            kinesisStream: 'web',
            partitionKeyOption: 'DETERMINISTIC',
            dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }],
            multiLineStartPattern: '^\\[',
            skipHeaderLines: 1,
            initialPosition: 'START_OF_FILE',
            maxBufferAgeMillis: 500,
          },
        ],
      }),
    ).toEqual({
      kinesisEndpoint: 'https://kinesis.eu-west-1.amazonaws.com',
      options: {
        files: ['/var/log/httpd/access_log*'],
        streamName: 'web',
        partitionKey: 'DETERMINISTIC',
        dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }],
        multiLineStartPattern: '^\\[',
        skipHeaderLines: 1,
        initialPosition: 'START_OF_FILE',
        recordMaxBufferedTimeMs: 500,
        checkpointFile: '/var/run/cp.json',
      },
    });
  });

  it('takes fileFooterPattern (an empty one is none, as the agent reads it) and aggregatedRecordSizeBytes, values checked by resolveProduceOptions', async () => {
    const flow = { filePattern: '/var/log/app.log', kinesisStream: 'app' };
    expect((await config({ flows: [{ ...flow, fileFooterPattern: '^END$', aggregatedRecordSizeBytes: 0 }] })).options).toEqual({
      files: ['/var/log/app.log'],
      streamName: 'app',
      fileFooterPattern: '^END$',
      aggregatedRecordSizeBytes: 0,
    });
    expect((await config({ flows: [{ ...flow, fileFooterPattern: '' }] })).options).toEqual({ files: ['/var/log/app.log'], streamName: 'app' });
    // A Kinesis stream is all this form sends to: joining records (Firehose) is refused, saying why.
    const { options } = await config({ flows: [{ ...flow, aggregatedRecordSizeBytes: 4096 }] });
    expect(() => resolveProduceOptions(options)).toThrow(InvalidArgumentError);
    expect(() => resolveProduceOptions(options)).toThrow(/^aggregatedRecordSizeBytes: expected 0 for a Kinesis stream \(records are joined into Firehose records for a delivery stream only — `kinesis-toolkit produce` sends to Kinesis streams; .*`kinesis-toolkit agent`.*\), got 4096$/);
  });

  it.each([
    ['not json', /agent\.json: /],
    [{ flows: [{}, {}] }, /must hold one flow/],
    [{ flows: [{ deliveryStream: 'x' }] }, /Firehose is not supported/],
    [{ flows: [{ kinesisStream: 'x', frobnicate: true }] }, /unsupported key flows\[0\]\.frobnicate/],
    [{ 'cloudwatch.emitMetrics': true }, /unsupported key "cloudwatch\.emitMetrics"/],
    [{ awsSecretAccessKey: 'SECRET-VALUE' }, /awsSecretAccessKey is not read from config files/],
  ])('rejects %j naming the file and the key', async (body, message) => {
    const error = await config(body).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('SECRET-VALUE');
  });

  it('says so when the file does not exist', async () => {
    await expect(readAgentConfig(join(dir, 'missing.json'))).rejects.toThrow(/missing\.json: no such file/);
  });
});
