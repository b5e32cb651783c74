import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { startCli, type CliProcess } from './runCli';

let stack: TestStack;
let running: CliProcess | undefined;
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => {
  running?.kill('SIGKILL');
  stack.destroy();
});

describe('kinesis-toolkit analytics run', () => {
  it('runs a describe-application JSON against the local stack, prints the destination on stdout and stops on Ctrl-C', async () => {
    const input = uniqueName('cli-an-in');
    await createStream(stack.kinesis.client, input, 1);
    const detail = JSON.parse(readFileSync(join(__dirname, '../../analytics/test/fixtures/describe-application.json'), 'utf8')).ApplicationDetail;
    const application = {
      ApplicationDetail: {
        ...detail,
        ApplicationName: uniqueName('cli-an-app'),
        ReferenceDataSourceDescriptions: [],
        InputDescriptions: [{ ...detail.InputDescriptions[0], KinesisStreamsInputDescription: { ResourceARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${input}` } }],
        OutputDescriptions: [{ Name: 'DESTINATION_SQL_STREAM', DestinationSchema: { RecordFormatType: 'JSON' } }],
        ApplicationCode: `CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (ticker VARCHAR(4), n BIGINT);
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
  SELECT STREAM TICKER, COUNT(*) FROM "SOURCE_SQL_STREAM_001" WINDOWED BY STAGGER (PARTITION BY TICKER RANGE INTERVAL '1' SECOND);`,
      },
    };
    const file = join(mkdtempSync(join(tmpdir(), 'kt-an-run-')), 'app.json');
    writeFileSync(file, JSON.stringify(application));
    running = startCli(['analytics', 'run', '--application', file, '--output', 'DESTINATION_SQL_STREAM=-', '--position', 'TRIM_HORIZON', '--idle-close-ms', '300', '--progress-interval-ms', '500']);
    await stack.kinesis.client.send(
      new PutRecordsCommand({ StreamName: input, Records: ['AMZN', 'AMZN', 'ASD'].map((ticker, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(JSON.stringify({ EVENT_TIME: '2024-01-01T00:00:00Z', TICKER: ticker })) })) }),
    );
    await waitFor(() => (running!.stdout.match(/\n/g) ?? []).length >= 2, { timeoutMs: 20_000, intervalMs: 100, description: 'two stagger windows on stdout' });
    running.kill('SIGINT');
    const result = await running.exited;
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((row) => [row.stream, row.TICKER, row.N])).toEqual([
      ['DESTINATION_SQL_STREAM', 'AMZN', 2],
      ['DESTINATION_SQL_STREAM', 'ASD', 1],
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/analytics .*: running on cli-an-in/);
    expect(result.stderr).toMatch(/rows out \d+/);
  }, 40_000);
});
