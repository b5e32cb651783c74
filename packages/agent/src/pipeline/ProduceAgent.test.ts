import { appendFile, mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { ManualClock, waitFor } from '@kinesis-toolkit/testing';
import { FakeProducer } from '../../test/FakeProducer';
import { CheckpointFileError } from '../checkpoint/CheckpointFileError';
import { ProduceAgent } from './ProduceAgent';
import { resolveProduceOptions, type ProduceOptions } from '../config/ProduceOptions';

describe('ProduceAgent', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-agent-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function agent(options: ProduceOptions, producer: FakeProducer, extra: { stdin?: Readable; signal?: AbortSignal; clock?: ManualClock } = {}) {
    const reports: string[] = [];
    const run = new ProduceAgent(resolveProduceOptions({ streamName: 'logs', ...options }), {
      producer,
      stdin: extra.stdin ?? Readable.from([]),
      cwd: dir,
      signal: extra.signal ?? new AbortController().signal,
      clock: extra.clock ?? new ManualClock(),
      logger: NOOP_LOGGER,
      report: (message) => reports.push(message),
    }).run();
    return { run, reports };
  }
  const checkpointOffsets = async () =>
    (JSON.parse(await readFile(join(dir, '.kinesis-toolkit-agent.checkpoints.json'), 'utf8')) as { files: { path: string; offset: number }[] }).files.map((f) => f.offset);

  it('stdin: sends every line (the last one without a newline too), flushes and counts', async () => {
    const producer = new FakeProducer(true);
    const { run } = agent({}, producer, { stdin: Readable.from([Buffer.from('one\ntw'), Buffer.from('o\nthree')]) });
    expect(await run).toEqual({ sent: 3, failed: 0, truncated: 0, interrupted: false });
    expect(producer.acknowledged).toEqual(['one', 'two', 'three']);
  });

  it('stdin: names failed records by line number, counting multi-line records as their lines', async () => {
    const producer = new FakeProducer(true);
    const { run, reports } = agent({ multiLineStartPattern: '\\[', dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'SYSLOG' }] }, producer, {
      stdin: Readable.from([Buffer.from('[a\n  more\n[b\n')]),
    });
    expect((await run).failed).toBe(2);
    expect(reports.map((r) => r.split(' not sent')[0])).toEqual(['record at stdin:1', 'record at stdin:3']);
  });

  it('stdin: on the signal, stops reading, still settles what was read, and says it was interrupted', async () => {
    const producer = new FakeProducer(true);
    const stdin = new PassThrough();
    const controller = new AbortController();
    const { run } = agent({}, producer, { stdin, signal: controller.signal });
    stdin.write('a\nb\n');
    await waitFor(() => producer.acknowledged.length === 2, { timeoutMs: 2000 });
    controller.abort();
    expect(await run).toMatchObject({ sent: 2, interrupted: true });
  });

  it('files, --once: sends what the files hold, waits for the acknowledgements and checkpoints their end; a second run sends only what was appended', async () => {
    await writeFile(join(dir, 'a.log'), 'a1\na2\n');
    await writeFile(join(dir, 'b.log'), 'b1\n');
    const producer = new FakeProducer(true);
    expect(await agent({ files: ['*.log'], initialPosition: 'START_OF_FILE', exitWhenDone: true }, producer).run).toMatchObject({ sent: 3, failed: 0 });
    expect(producer.acknowledged.sort()).toEqual(['a1', 'a2', 'b1']);
    expect((await checkpointOffsets()).sort()).toEqual([3, 6]);

    await appendFile(join(dir, 'a.log'), 'a3\n');
    const again = new FakeProducer(true);
    expect(await agent({ files: ['*.log'], exitWhenDone: true }, again).run).toMatchObject({ sent: 1 });
    expect(again.acknowledged).toEqual(['a3']);
  });

  it('files: the periodic checkpoint covers only lines acknowledged in order; stopping flushes and checkpoints the rest', async () => {
    await writeFile(join(dir, 'a.log'), 'l1\nl2\nl3\n');
    const producer = new FakeProducer(false);
    const clock = new ManualClock();
    const controller = new AbortController();
    const { run } = agent({ files: ['a.log'], initialPosition: 'START_OF_FILE', pollIntervalMs: 100, checkpointIntervalMs: 100 }, producer, { clock, signal: controller.signal });
    await waitFor(() => producer.puts.length === 3, { timeoutMs: 2000 });
    // Written right after the first poll: where reading began.
    await waitFor(async () => (await checkpointOffsets().catch(() => []))[0] === 0, { timeoutMs: 2000, description: 'the first checkpoint' });
    producer.puts[1]!.acknowledge(); // l2 before l1 (the OffsetTracker tests cover the ordering)
    producer.puts[0]!.acknowledge();
    await clock.advance(100);
    await waitFor(async () => (await checkpointOffsets())[0] === 6, { timeoutMs: 2000, description: 'the checkpoint after l2' });

    controller.abort();
    let finished = false;
    const ending = run.then((summary) => ((finished = true), summary));
    await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false); // the shutdown waits for l3's outcome
    producer.puts[2]!.acknowledge();
    expect(await ending).toMatchObject({ sent: 3, failed: 0, interrupted: false });
    expect(await checkpointOffsets()).toEqual([9]);
  });

  it('files, aggregatedRecordSizeBytes: the last line of a rotated-away file (handed on after the poll read it) is put at once, not held for an aggregate that never fills', async () => {
    await writeFile(join(dir, 'a.log'), 'x1\n');
    const writer = await open(join(dir, 'a.log'), 'a');
    const producer = new FakeProducer(true);
    const clock = new ManualClock();
    const controller = new AbortController();
    const { run } = agent({ streamName: undefined, deliveryStreamName: 'd', files: ['a.log'], initialPosition: 'START_OF_FILE', pollIntervalMs: 100, aggregatedRecordSizeBytes: 1000 }, producer, { clock, signal: controller.signal });
    await waitFor(() => producer.acknowledged.length === 1, { timeoutMs: 2000 });
    await rename(join(dir, 'a.log'), join(dir, 'a.log.1'));
    await writer.write('tail-no-newline'); // the app writes on to its open file after the rename
    await writer.close();
    await writeFile(join(dir, 'a.log'), 'n1\n');
    await clock.advance(100); // reads the renamed file's growth (held: no newline) and the new file
    await waitFor(() => producer.acknowledged.includes('n1'), { timeoutMs: 2000 });
    await clock.advance(100); // the renamed file did not grow for a poll: its partial last line is a record
    await waitFor(() => producer.acknowledged.includes('tail-no-newline'), { timeoutMs: 2000, description: 'the rotated file’s last line, put before any stop' });
    controller.abort();
    expect(await run).toMatchObject({ sent: 3, failed: 0 });
  });

  it('files: refuses a checkpoint file written for another stream', async () => {
    await writeFile(join(dir, '.kinesis-toolkit-agent.checkpoints.json'), JSON.stringify({ version: 1, streamName: 'other', files: [] }));
    await expect(agent({ files: ['*.log'], exitWhenDone: true }, new FakeProducer(true)).run).rejects.toThrow(CheckpointFileError);
  });
});
