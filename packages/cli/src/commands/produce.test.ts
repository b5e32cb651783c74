import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryContext } from '../../test/memoryContext';
import { main } from '../main';

// Usage mistakes are found before any AWS call: these need no stack.
describe('produce usage errors: one line naming the flag or the config key, exit code 2', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-produce-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = async (argv: string[]) => {
    const context = memoryContext({ cwd: dir });
    const code = await main(['produce', ...argv], context);
    return { code, stderr: context.stderrText() };
  };
  const config = async (name: string, body: unknown) => {
    await writeFile(join(dir, name), JSON.stringify(body));
    return name;
  };

  it.each([
    [['--stream', 's', '--poll-interval-ms', '-5'], 'kinesis-toolkit produce: --poll-interval-ms: expected an integer in [1, 3600000], got -5. Run `kinesis-toolkit produce --help` for the flags.'],
    [['--stream', 's', '--record-ttl-ms', '5'], 'kinesis-toolkit produce: --record-ttl-ms: expected an integer >= 100, got 5. Run `kinesis-toolkit produce --help` for the flags.'],
    [['--stream', 's', '--kinesis-endpoint', 'notaurl'], 'kinesis-toolkit produce: --kinesis-endpoint: expected an http:// or https:// URL, got "notaurl".'],
    [['--stream', 's', '--log-level', 'loud'], 'kinesis-toolkit produce: --log-level: expected one of debug, info, warn, error, got "loud". Run `kinesis-toolkit produce --help` for the flags.'],
    [['--stream', 's', '--log-format', 'SYSLOG'], "kinesis-toolkit produce: --log-format is the format of the command's own log (pretty | json); for --processing LOGTOJSON use --logtojson-format SYSLOG."],
  ])('%j', async (argv, line) => {
    expect(await run(argv)).toEqual({ code: 2, stderr: `${line}\n` });
  });

  it("uses the config file's values where no flag was given, and names its key when one is wrong", async () => {
    const file = await config('agent.json', { flows: [{ kinesisStream: 'from-file', minTimeBetweenFilePollsMillis: 0 }] });
    expect(await run(['--config', file])).toEqual({
      code: 2,
      stderr: 'kinesis-toolkit produce: agent.json: flows[0].minTimeBetweenFilePollsMillis: expected an integer in [1, 3600000], got 0. Run `kinesis-toolkit produce --help` for the flags.\n',
    });
    // A flag given overrides the file's value (and is named as the flag).
    expect((await run(['--config', file, '--poll-interval-ms', '0'])).stderr).toMatch(/^kinesis-toolkit produce: --poll-interval-ms: expected an integer in \[1, 3600000\], got 0\./);
  });

  it('aggregatedRecordSizeBytes above 0 is refused — from the config file or the flag — saying that produce sends to a Kinesis stream and joining is for Firehose', async () => {
    const why = 'expected 0 for a Kinesis stream (records are joined into Firehose records for a delivery stream only — `kinesis-toolkit produce` sends to Kinesis streams; run a deliveryStream flow with `kinesis-toolkit agent` — and the KPL aggregates stream records itself), got 4096. Run `kinesis-toolkit produce --help` for the flags.';
    const file = await config('aggregated.json', { flows: [{ kinesisStream: 's', aggregatedRecordSizeBytes: 4096 }] });
    expect(await run(['--config', file])).toEqual({ code: 2, stderr: `kinesis-toolkit produce: aggregated.json: flows[0].aggregatedRecordSizeBytes: ${why}\n` });
    expect(await run(['--stream', 's', '--aggregated-record-size-bytes', '4096'])).toEqual({ code: 2, stderr: `kinesis-toolkit produce: --aggregated-record-size-bytes: ${why}\n` });
    // The agent's range is checked first, as for a delivery stream.
    expect((await run(['--stream', 's', '--aggregated-record-size-bytes', '2000000'])).stderr).toMatch(/^kinesis-toolkit produce: --aggregated-record-size-bytes: expected an integer in \[0, 1024000\], got 2000000\./);
  });

  it('fileFooterPattern: a bad pattern names the flag or the key; a pattern without files (stdin) is refused, not ignored', async () => {
    const file = await config('footer.json', { flows: [{ kinesisStream: 's', filePattern: '/var/log/app.log', fileFooterPattern: '(' }] });
    expect(await run(['--config', file])).toEqual({
      code: 2,
      stderr: expect.stringMatching(/^kinesis-toolkit produce: footer\.json: flows\[0\]\.fileFooterPattern: expected a regular expression \(.*\), got "\("\. Run/),
    });
    expect(await run(['--stream', 's', '--file-footer-pattern', '^END$'])).toEqual({
      code: 2,
      stderr: 'kinesis-toolkit produce: --file-footer-pattern: expected set with files to tail (a footer line ends a file; stdin ends at its EOF), got "^END$". Run `kinesis-toolkit produce --help` for the flags.\n',
    });
  });

  it('names the config key of a bad endpoint', async () => {
    const file = await config('endpoint.json', { 'kinesis.endpoint': 'http://', flows: [{ kinesisStream: 's' }] });
    const { code, stderr } = await run(['--config', file]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^kinesis-toolkit produce: config file .*endpoint\.json: "kinesis\.endpoint": expected a host name or an http\(s\) URL, got "http:\/\/"\. Run/);
  });
});
