import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { appendFile, copyFile, mkdir, mkdtemp, open, readFile, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { readStream as readStreamOf } from '../../test/readStream';
import { runCli, startCli, type CliProcess } from '../../test/runCli';

// Drives the built binary (`node packages/cli/dist/bin.js produce …`) against the jest global
// stack's kinesalite, and reads back what reached the stream with GetRecords + deaggregate.

let stack: TestStack;
let kinesis: KinesisClient;
let endpoint: string;
let dir: string;
const children: CliProcess[] = [];

beforeAll(() => {
  stack = getTestStack();
  kinesis = stack.kinesis.client;
  endpoint = stack.kinesis.endpoint;
});
afterAll(() => stack.destroy());
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-produce-'))));
afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** Every user record on the stream, as text, in no particular order across shards. */
const readStream = (streamName: string): Promise<string[]> => readStreamOf(kinesis, streamName);

/** The lines on the stream (records without their "\n"), with how often each arrived. */
async function counts(streamName: string): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (const record of await readStream(streamName)) {
    expect(record.endsWith('\n')).toBe(true);
    const line = record.slice(0, -1);
    seen.set(line, (seen.get(line) ?? 0) + 1);
  }
  return seen;
}

async function expectExactlyOnce(streamName: string, lines: string[]): Promise<void> {
  const seen = await counts(streamName);
  const missing = lines.filter((line) => !seen.has(line));
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([line]) => line);
  const unexpected = [...seen.keys()].filter((line) => !lines.includes(line));
  expect({ missing, duplicated, unexpected }).toEqual({ missing: [], duplicated: [], unexpected: [] });
}

/** Waits for `lines` on the stream; fails at once, with its output, if `child` (the agent) exits meanwhile. */
async function untilOnStream(streamName: string, lines: string[], child?: CliProcess, timeoutMs = 15_000): Promise<void> {
  const onStream = waitFor(async () => {
    const seen = await counts(streamName);
    return lines.every((line) => seen.has(line));
  }, { timeoutMs, intervalMs: 200, description: `${lines.length} lines on ${streamName}` });
  const died = child === undefined ? new Promise<never>(() => undefined) : child.exited.then(() => Promise.reject(new Error(`the agent exited: ${child.describe()}`)));
  await Promise.race([onStream, died]);
}

const numbered = (prefix: string, from: number, to: number) => Array.from({ length: to - from }, (_, i) => `${prefix}-${from + i}`);
const text = (lines: string[]) => lines.map((line) => `${line}\n`).join('');

async function newStream(shards = 2): Promise<string> {
  const name = uniqueName('produce');
  await createStream(kinesis, name, shards);
  return name;
}

function tail(streamName: string, file: string, extra: string[] = []): CliProcess {
  const child = startCli(
    ['produce', '--stream', streamName, '--file', file, '--from-start', '--kinesis-endpoint', endpoint, '--checkpoint-file', join(dir, 'cp.json'),
      '--poll-interval-ms', '50', '--checkpoint-interval-ms', '100', '--record-max-buffered-time-ms', '20', ...extra],
  );
  children.push(child);
  return child;
}

describe('kinesis-toolkit produce (the binary, against kinesalite)', () => {
  it('stdin → stream: every line once, a summary on stderr, exit 0', async () => {
    const streamName = await newStream();
    const lines = numbered('stdin', 0, 500);
    const result = await runCli(['produce', '--stream', streamName, '--kinesis-endpoint', endpoint, '--partition-key', 'deterministic'], { stdin: text(lines) });
    expect(result.stderr).toBe(`kinesis-toolkit produce: 500 records sent to ${streamName}, 0 failed\n`);
    expect(result.code).toBe(0);
    await expectExactlyOnce(streamName, lines);
  });

  it('--config agent.json supplies the stream when no --stream is given (flags not given leave the file alone)', async () => {
    const streamName = await newStream(1);
    const config = join(dir, 'agent.json');
    await writeFile(config, JSON.stringify({ flows: [{ kinesisStream: streamName, partitionKeyOption: 'field:host' }] }));
    const lines = ['{"host":"a","n":1}', '{"host":"b","n":2}'];
    const result = await runCli(['produce', '--config', config, '--kinesis-endpoint', endpoint, '--partition-key', 'deterministic'], { stdin: text(lines) });
    expect(result.stderr).toBe(`kinesis-toolkit produce: 2 records sent to ${streamName}, 0 failed\n`);
    expect(result.code).toBe(0);
    await expectExactlyOnce(streamName, lines);
  });

  it('stdin with LOGTOJSON: parsed lines arrive as JSON keyed by a field; a bad line is reported on one line and the exit code is 1', async () => {
    const streamName = await newStream(1);
    const input = 'Mar  7 04:02:16 web-1 sshd[42]: accepted\nnot syslog at all\nMar  7 04:02:17 web-2 cron: ran\n';
    const result = await runCli(
      ['produce', '--stream', streamName, '--kinesis-endpoint', endpoint, '--processing', 'LOGTOJSON', '--logtojson-format', 'SYSLOG', '--partition-key', 'field:hostname'],
      { stdin: input },
    );
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'kinesis-toolkit produce: record at stdin:2 not sent [LogParseFailed]: not a SYSLOG line: "not syslog at all"',
      `kinesis-toolkit produce: 2 records sent to ${streamName}, 1 failed`,
      '',
    ]);
    const records = (await readStream(streamName)).map((r) => JSON.parse(r) as { hostname: string; message: string });
    expect(records.map((r) => [r.hostname, r.message]).sort()).toEqual([['web-1', 'accepted'], ['web-2', 'ran']]);
  });

  it('tails a file across rename rotations while it is written, late writes to the renamed file included: every line exactly once', async () => {
    const streamName = await newStream();
    const log = join(dir, 'app.log');
    let written = numbered('r', 0, 50);
    await writeFile(log, text(written));
    const child = tail(streamName, log); // only the live name matches: rotated files are followed by their handle
    let next = 50;
    for (let rotation = 1; rotation <= 3; rotation++) {
      // Rotations are far apart next to a poll: the agent has seen the current file.
      await untilOnStream(streamName, written, child);
      const writer = await open(log, 'a');
      for (let batch = 0; batch < 5; batch++) {
        const lines = numbered('r', next, (next += 20));
        await writer.write(text(lines));
        written = [...written, ...lines];
      }
      await rename(log, `${log}.${rotation}`);
      const late = numbered('r', next, (next += 5)); // the app writes on until it reopens its log
      await writer.write(`${text(late)}r-partial-${rotation}`); // ... and dies mid-line
      written = [...written, ...late, `r-partial-${rotation}`];
      await writer.close();
      const fresh = numbered('r', next, (next += 10));
      await writeFile(log, text(fresh));
      written = [...written, ...fresh];
    }
    await untilOnStream(streamName, written, child);
    child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    await expectExactlyOnce(streamName, written);
  });

  it('with a glob that matches the rotated names too, rotations faster than a poll lose nothing', async () => {
    const streamName = await newStream();
    const log = join(dir, 'app.log');
    await writeFile(log, '');
    const child = tail(streamName, join(dir, 'app.log*'));
    await waitFor(async () => (await readFile(join(dir, 'cp.json'), 'utf8').catch(() => '')).includes('app.log'), { timeoutMs: 10_000, description: 'the agent to start' });
    const written: string[] = [];
    let next = 0;
    for (let rotation = 1; rotation <= 5; rotation++) {
      const lines = numbered('g', next, (next += 30));
      await appendFile(log, text(lines));
      written.push(...lines);
      await rename(log, `${log}.${rotation}`);
      await writeFile(log, '');
    }
    await untilOnStream(streamName, written, child);
    child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    await expectExactlyOnce(streamName, written);
  });

  it('tails a file through copytruncate: lines after the truncation are read from offset 0, none twice', async () => {
    const streamName = await newStream();
    const log = join(dir, 'app.log');
    const before = numbered('c', 0, 100);
    await writeFile(log, text(before));
    const child = tail(streamName, log);
    // The copy must not race the tailer: a line written after the tailer's last read and
    // before the truncation exists only in the copy (the agent has the same window).
    await untilOnStream(streamName, before, child);
    await copyFile(log, `${log}.1`);
    await truncate(log, 0);
    const after = numbered('c', 100, 160);
    for (let batch = 0; batch < 3; batch++) await appendFile(log, text(after.slice(batch * 20, batch * 20 + 20)));
    await untilOnStream(streamName, [...before, ...after], child);
    child.kill('SIGTERM');
    expect((await child.exited).code).toBe(0);
    await expectExactlyOnce(streamName, [...before, ...after]);
    const checkpoint = JSON.parse(await readFile(join(dir, 'cp.json'), 'utf8')) as { files: { offset: number }[] };
    expect(checkpoint.files.map((f) => f.offset)).toEqual([Buffer.byteLength(text(after))]);
  });

  it('SIGTERM while the file grows, then a restart: every line exactly once', async () => {
    const streamName = await newStream();
    const log = join(dir, 'app.log');
    await writeFile(log, '');
    const first = tail(streamName, log);
    const written: string[] = [];
    let next = 0;
    const append = async (batches: number) => {
      for (let i = 0; i < batches; i++) {
        const lines = numbered('t', next, (next += 50));
        await appendFile(log, text(lines));
        written.push(...lines);
      }
    };
    await append(10);
    await untilOnStream(streamName, written.slice(0, 100), first); // it is sending
    const appending = append(10); // goes on while the agent stops
    first.kill('SIGTERM');
    const stopped = await first.exited;
    await appending;
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toMatch(/records sent to .*, 0 failed\n$/);
    await append(4); // while it is down

    const second = tail(streamName, log, ['--once']);
    expect((await second.exited).code).toBe(0);
    await expectExactlyOnce(streamName, written);
  });

  it('SIGKILL, then a restart: no line lost; the only duplicates are lines after the last written checkpoint', async () => {
    const streamName = await newStream();
    const log = join(dir, 'app.log');
    await writeFile(log, '');
    const first = tail(streamName, log);
    const written: string[] = [];
    const endOffsets = new Map<string, number>();
    let offset = 0;
    let next = 0;
    const append = async (batches: number) => {
      for (let i = 0; i < batches; i++) {
        const lines = numbered('k', next, (next += 50));
        await appendFile(log, text(lines));
        for (const line of lines) endOffsets.set(line, (offset += line.length + 1));
        written.push(...lines);
      }
    };
    await append(10);
    await untilOnStream(streamName, written.slice(0, 100), first);
    const appending = append(6);
    first.kill('SIGKILL');
    await first.exited;
    await appending;
    // What the restart resumes from: the checkpoint the killed process wrote last.
    const checkpointed = (JSON.parse(await readFile(join(dir, 'cp.json'), 'utf8')) as { files: { offset: number }[] }).files[0]!.offset;

    const second = tail(streamName, log, ['--once']);
    expect((await second.exited).code).toBe(0);
    const seen = await counts(streamName);
    expect(written.filter((line) => !seen.has(line))).toEqual([]);
    const duplicated = [...seen].filter(([, n]) => n > 1).map(([line]) => line);
    // Bounded: lines acknowledged after the last checkpoint write (≤ one checkpoint interval of
    // acknowledgements) or in flight when killed. None before the checkpoint is sent again.
    expect(duplicated.filter((line) => endOffsets.get(line)! <= checkpointed)).toEqual([]);
    expect([...seen.values()].every((n) => n <= 2)).toBe(true);
  });

  it('fileFooterPattern from --config: the file is read up to its footer line — the lines before it once, the footer and every line after it never', async () => {
    const streamName = await newStream(1);
    const log = join(dir, 'batch.log');
    const before = numbered('before', 0, 50);
    await writeFile(log, text([...before, 'END OF BATCH', ...numbered('after', 0, 20)]));
    const config = join(dir, 'agent.json');
    await writeFile(config, JSON.stringify({ checkpointFile: join(dir, 'cp.json'), flows: [{ filePattern: log, kinesisStream: streamName, initialPosition: 'START_OF_FILE', fileFooterPattern: '^END OF BATCH$' }] }));
    const result = await runCli(['produce', '--config', config, '--kinesis-endpoint', endpoint, '--once', '--poll-interval-ms', '50']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`kinesis-toolkit produce: 50 records sent to ${streamName}, 0 failed\n`);
    await expectExactlyOnce(streamName, before);
  });

  it('bad input: one line that says what to do, exit code ≠ 0', async () => {
    await mkdir(join(dir, 'logs'));
    const cases: [string[], RegExp][] = [
      [['produce', '--stream', 's', '--frobnicate'], /^kinesis-toolkit produce: Unknown option '--frobnicate'\. Run `kinesis-toolkit produce --help` for the flags\.\n$/],
      [['produce', '--file', 'x.log'], /^kinesis-toolkit produce: missing --stream NAME .*--help.*\n$/],
      [['produce', '--stream', 's', '--file', join(dir, 'logs')], /^kinesis-toolkit produce: --file .*logs is a directory; give a glob such as ".*logs\/\*\.log"\.\n$/],
      [['produce', '--stream', 's', '--file', join(dir, 'nope.log')], /^kinesis-toolkit produce: --file .*nope\.log: no such file\. .*glob.*\n$/],
      [['produce', '--stream', 's', '--partition-key', 'md5'], /^kinesis-toolkit produce: --partition-key: expected random, deterministic or field:NAME, got "md5"\. Run .*\n$/],
      [['produce', '--stream', 's', '--config', join(dir, 'missing.json')], /^kinesis-toolkit produce: config file .*missing\.json: no such file\. Run .*\n$/],
      [['produce', '--stream', uniqueName('absent'), '--kinesis-endpoint', endpoint], /^kinesis-toolkit produce: stream "absent-[^"]+" not found .* — create it .*\n$/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, { stdin: 'x\n' });
      expect({ args, stderr: result.stderr, failed: result.code !== 0 && result.code !== null }).toEqual({ args, stderr: expect.stringMatching(message), failed: true });
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
