import { createStream, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { runCli, startCli, type CliProcess } from './runCli';

// `kinesis-toolkit dashboard` as a user runs it: the built binary, against the local stack (the
// KT_*_ENDPOINT variables jest's global setup exports).

let stack: TestStack;
let streamName: string;
let running: CliProcess | undefined;

beforeAll(async () => {
  stack = getTestStack();
  streamName = uniqueName('cli-dash');
  await createStream(stack.kinesis.client, streamName, 2);
});
afterEach(() => running?.kill('SIGKILL'));
afterAll(() => stack.destroy());

describe('kinesis-toolkit dashboard', () => {
  it('refuses a non-loopback --host without --allow-remote, and says why (exit code 2)', async () => {
    const result = await runCli(['dashboard', '--stream', streamName, '--application', 'app', '--host', '0.0.0.0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^kinesis-toolkit dashboard: --host: expected a loopback address \(127\.0\.0\.1, ::1, localhost\) unless --allow-remote is given — the page has no login and shows the stream, the lease table and the worker names to anyone who reaches it, got "0\.0\.0\.0"/);
  });

  it('needs --stream and --application (exit code 2)', async () => {
    expect(await runCli(['dashboard', '--application', 'app'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--stream NAME is required') });
    expect(await runCli(['dashboard', '--stream', streamName])).toMatchObject({ code: 2, stderr: expect.stringContaining('--application NAME') });
    expect(await runCli(['dashboard', '--stream', streamName, '--app', 'x', '--throughput', 'all'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--throughput: expected one of tail, off, got "all"') });
  });

  it('fails with one line for a stream that does not exist (exit code 1), serving nothing', async () => {
    const result = await runCli(['dashboard', '--stream', 'no-such-stream-here', '--application', 'app']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^kinesis-toolkit dashboard: stream "no-such-stream-here" not found .* check --stream/);
    expect(result.stdout).toBe('');
  });

  it('serves the page until Ctrl-C, warning when the lease table does not exist yet', async () => {
    const app = uniqueName('cli-dash-app');
    running = startCli(['dashboard', '--stream', streamName, '--application', app, '--refresh-ms', '500']);
    const [, url] = (await running.waitForOutput(/: (http:\/\/127\.0\.0\.1:\d+\/)\n/)) as RegExpMatchArray;
    await running.waitForOutput(new RegExp(`warning: lease table "${app}" not found`), { stream: 'stderr' });
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('kinesis-toolkit dashboard');
    const snapshot = (await (await fetch(`${url}api/snapshot`)).json()) as { streamName: string; shards: { shardId: string; open: boolean; lease: unknown }[] };
    expect(snapshot.streamName).toBe(streamName);
    expect(snapshot.shards.map((s) => [s.shardId, s.open, s.lease])).toEqual([
      ['shardId-000000000000', true, null],
      ['shardId-000000000001', true, null],
    ]);
    running.kill('SIGINT');
    const result = await running.exited;
    expect(result.code).toBe(0);
    await expect(fetch(url!)).rejects.toThrow();
  });
});
