import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { FirehoseClient, ListDeliveryStreamsCommand } from '@aws-sdk/client-firehose';
import { KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { startCli, type CliProcess } from './runCli';

let running: CliProcess | undefined;
afterEach(() => running?.kill('SIGKILL'));

describe('kinesis-toolkit local', () => {
  it('prints endpoints that default SDK clients (HTTP/2 for Kinesis) and AWS_ENDPOINT_URL_* reach, never a secret from the environment, and stops cleanly on Ctrl-C', async () => {
    // A secret in our environment must not be echoed (only the emulators' public fake pair is).
    running = startCli(['local'], { env: { AWS_SECRET_ACCESS_KEY: 'real-secret-do-not-print', AWS_ACCESS_KEY_ID: 'AKIAREALKEY' } });
    await running.waitForOutput(/export AWS_SECRET_ACCESS_KEY=.*\n/, { timeoutMs: 20_000 });
    const endpoint = (name: string) => (running?.stdout.match(new RegExp(`^  export ${name}=(\\S+)`, 'm')) ?? [])[1] as string;
    // Clients as the printed guidance writes them: no request handler (Kinesis's default is HTTP/2),
    // region and credentials from the printed exports.
    const config = { region: endpoint('AWS_REGION'), credentials: { accessKeyId: endpoint('AWS_ACCESS_KEY_ID'), secretAccessKey: endpoint('AWS_SECRET_ACCESS_KEY') }, maxAttempts: 1 };
    const kinesis = new KinesisClient({ ...config, endpoint: endpoint('KT_KINESIS_ENDPOINT') });
    const dynamodb = new DynamoDBClient({ ...config, endpoint: endpoint('KT_DYNAMODB_ENDPOINT') });
    const s3 = new S3Client({ ...config, endpoint: endpoint('KT_S3_ENDPOINT'), forcePathStyle: true });
    const firehose = new FirehoseClient({ ...config, endpoint: endpoint('KT_FIREHOSE_ENDPOINT') });
    try {
      expect((kinesis.config.requestHandler as object).constructor.name).toBe('NodeHttp2Handler');
      expect(await firehose.send(new ListDeliveryStreamsCommand({}))).toMatchObject({ DeliveryStreamNames: [], HasMoreDeliveryStreams: false });
      expect(await kinesis.send(new ListStreamsCommand({}))).toMatchObject({ StreamNames: [] });
      expect(await dynamodb.send(new ListTablesCommand({}))).toMatchObject({ TableNames: [] });
      expect((await s3.send(new ListBucketsCommand({}))).$metadata.httpStatusCode).toBe(200);
    } finally {
      kinesis.destroy();
      dynamodb.destroy();
      s3.destroy();
      firehose.destroy();
    }
    // The same stack through the SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, with no endpoint in code.
    for (const name of ['KINESIS', 'DYNAMODB', 'S3', 'FIREHOSE']) expect(endpoint(`AWS_ENDPOINT_URL_${name}`)).toBe(endpoint(`KT_${name}_ENDPOINT`));
    expect(running.stdout).toContain(`new KinesisClient({ endpoint: '${endpoint('KT_KINESIS_ENDPOINT')}' })`);
    const saved = process.env.AWS_ENDPOINT_URL_KINESIS;
    process.env.AWS_ENDPOINT_URL_KINESIS = endpoint('AWS_ENDPOINT_URL_KINESIS');
    const fromEnvironment = new KinesisClient(config);
    try {
      expect(await fromEnvironment.send(new ListStreamsCommand({}))).toMatchObject({ StreamNames: [] });
    } finally {
      fromEnvironment.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_KINESIS;
      else process.env.AWS_ENDPOINT_URL_KINESIS = saved;
    }
    expect(endpoint('AWS_REGION')).toBe('us-east-1');
    expect(running.stdout).not.toContain('real-secret-do-not-print');
    expect(running.stdout).not.toContain('AKIAREALKEY');

    running.kill('SIGINT');
    const result = await running.exited;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stdout).toMatch(/Stopping the local stack…\nStopped\.\n$/);
    expect(result.stderr).toBe('');
  });

  it('with --postgres --json prints one JSON line whose PostgreSQL URL works; SIGTERM stops it', async () => {
    running = startCli(['local', '--postgres', '--json']);
    const [line] = await running.waitForOutput(/^\{.*\}\n/, { timeoutMs: 40_000 });
    const endpoints = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(endpoints).sort()).toEqual(['dynamodbEndpoint', 'firehoseEndpoint', 'kinesisEndpoint', 'postgresUrl', 'region', 's3Endpoint']);
    const pg = new Client({ connectionString: endpoints.postgresUrl });
    await pg.connect();
    try {
      expect((await pg.query('select 41 + 1 as answer')).rows).toEqual([{ answer: 42 }]);
    } finally {
      await pg.end();
    }
    running.kill('SIGTERM');
    expect(await running.exited).toMatchObject({ code: 0, signal: null, stdout: line });
  }, 60_000);
});
