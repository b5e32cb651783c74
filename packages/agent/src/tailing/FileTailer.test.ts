import { appendFile, mkdtemp, open, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { FileTailer, type FileTailerOptions } from './FileTailer';
import type { RecordOutcome } from './OffsetTracker';
import type { SourceRecord } from '../pipeline/SourceRecord';

/** A tailer over a temp dir whose records are collected; settle them by hand or automatically. */
function harness(dir: string, overrides: Partial<FileTailerOptions> = {}, autoSettle: RecordOutcome | 'by hand' = 'acknowledged') {
  const records: SourceRecord[] = [];
  const tailer = new FileTailer({
    globs: ['app.log*'],
    cwd: dir,
    initialPosition: 'START_OF_FILE',
    checkpoints: undefined,
    maxRecordBytes: 1024,
    multiLineStartPattern: undefined,
    skipHeaderLines: 0,
    readChunkBytes: 7, // tiny reads: lines cross chunk boundaries
    emit: (record) => {
      records.push(record);
      if (autoSettle !== 'by hand') record.settle(autoSettle);
    },
    waitForRoom: async () => undefined,
    logger: NOOP_LOGGER,
    ...overrides,
  });
  const texts = () => records.map((r) => r.data.toString());
  return { tailer, records, texts };
}

describe('FileTailer', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'kt-tail-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('on a first run starts existing files at the end of their last line, and reads files that appear later from the start', async () => {
    await writeFile(file('app.log'), 'old 1\nold 2\npart');
    const { tailer, texts } = harness(dir, { initialPosition: 'END_OF_FILE' });
    await tailer.poll();
    expect(texts()).toEqual([]);
    await appendFile(file('app.log'), 'ial\nnew\n');
    await writeFile(file('app.log.2'), 'second file\n');
    await tailer.poll();
    expect(texts().sort()).toEqual(['new', 'partial', 'second file']);
    await tailer.close();
  });

  it('holds a partial last line until its newline arrives', async () => {
    await writeFile(file('app.log'), 'a\nb');
    const { tailer, texts } = harness(dir);
    await tailer.poll();
    expect(texts()).toEqual(['a']);
    expect(tailer.incompleteLines()).toEqual([{ path: file('app.log'), bytes: 1 }]);
    expect(tailer.caughtUp).toBe(true);
    await appendFile(file('app.log'), 'c\n');
    await tailer.poll();
    expect(texts()).toEqual(['a', 'bc']);
    await tailer.close();
  });

  it('follows a rename rotation: reads the old file to its end (late writes and its partial last line too), then the new one, then drops the old', async () => {
    await writeFile(file('app.log'), 'l1\nl2\n');
    const writer = await open(file('app.log'), 'a');
    const { tailer, texts } = harness(dir, { globs: ['app.log'] });
    await tailer.poll();
    await rename(file('app.log'), file('app.log.1'));
    await writer.write('l3\nl4-no-newline'); // the app writes on to its open file after the rename
    await writeFile(file('app.log'), 'n1\n');
    await tailer.poll();
    expect(texts()).toEqual(['l1', 'l2', 'l3', 'n1']);
    expect(tailer.fileCount).toBe(2);
    expect(tailer.caughtUp).toBe(false); // the old file is not finished yet
    await tailer.poll(); // a whole poll without growth: the old file is done
    expect(texts()).toEqual(['l1', 'l2', 'l3', 'n1', 'l4-no-newline']);
    expect(tailer.fileCount).toBe(1);
    expect(tailer.checkpoints().map((c) => [c.path, c.offset])).toEqual([[file('app.log'), 3]]);
    expect(tailer.caughtUp).toBe(true);
    await writer.close();
    await tailer.close();
  });

  it('reads a copytruncated file again from the start, and its checkpoint restarts at 0', async () => {
    await writeFile(file('app.log'), 'first 1\nfirst 2\n');
    const { tailer, texts } = harness(dir);
    await tailer.poll();
    await truncate(file('app.log'), 0);
    await appendFile(file('app.log'), 'x\n');
    await tailer.poll();
    expect(texts()).toEqual(['first 1', 'first 2', 'x']);
    expect(tailer.checkpoints()[0]!.offset).toBe(2);
    await tailer.close();
  });

  it('notices a file rewritten in place past the read position by its changed first bytes', async () => {
    await writeFile(file('app.log'), 'aaaa\n');
    const { tailer, texts } = harness(dir);
    await tailer.poll();
    const handle = await open(file('app.log'), 'r+');
    await handle.write('bbbb\ncccc\n', 0);
    await handle.close();
    await tailer.poll();
    expect(texts()).toEqual(['aaaa', 'bbbb', 'cccc']);
    await tailer.close();
  });

  it('checkpoints only up to the last record acknowledged in order; a restart re-sends the rest and nothing before', async () => {
    await writeFile(file('app.log'), 'r1\nr2\nr3\nr4\n');
    const first = harness(dir, {}, 'by hand');
    await first.tailer.poll();
    expect(first.texts()).toEqual(['r1', 'r2', 'r3', 'r4']);
    first.records[0]!.settle('acknowledged');
    first.records[2]!.settle('acknowledged'); // out of order: r2 is still in flight
    const state = first.tailer.checkpoints();
    expect(state[0]!.offset).toBe(3);
    await first.tailer.close();

    await appendFile(file('app.log'), 'r5\n');
    const second = harness(dir, { checkpoints: state, initialPosition: 'END_OF_FILE' });
    await second.tailer.poll();
    expect(second.texts()).toEqual(['r2', 'r3', 'r4', 'r5']);
    await second.tailer.close();
  });

  it('a failed record holds the checkpoint; dropped ones do not', async () => {
    await writeFile(file('app.log'), 'ok\nbad\nlater\n');
    const { tailer, records } = harness(dir, {}, 'by hand');
    await tailer.poll();
    records[0]!.settle('dropped');
    records[1]!.settle('failed');
    records[2]!.settle('acknowledged');
    expect(tailer.checkpoints()[0]!.offset).toBe(3);
    await tailer.close();
  });

  it('on restart, reads a file from the start when it no longer matches its checkpoint', async () => {
    await writeFile(file('app.log'), 'one\ntwo\n');
    const first = harness(dir);
    await first.tailer.poll();
    const state = first.tailer.checkpoints();
    await first.tailer.close();
    const handle = await open(file('app.log'), 'r+'); // same inode, other content
    await handle.write('ONE\nTWO\nTHREE\n', 0);
    await handle.close();
    const second = harness(dir, { checkpoints: state });
    await second.tailer.poll();
    expect(second.texts()).toEqual(['ONE', 'TWO', 'THREE']);
    await second.tailer.close();
  });

  it('on restart, finds a file rotated away while stopped by its inode and reads it to its end', async () => {
    await writeFile(file('app.log'), 'a1\n');
    const first = harness(dir, { globs: ['app.log'] });
    await first.tailer.poll();
    const state = first.tailer.checkpoints();
    await first.tailer.close();
    await appendFile(file('app.log'), 'a2\n');
    await rename(file('app.log'), file('app.log.1'));
    await writeFile(file('app.log'), 'b1\n');
    const second = harness(dir, { globs: ['app.log'], checkpoints: state });
    await second.tailer.poll();
    expect(second.texts().sort()).toEqual(['a2', 'b1']);
    await second.tailer.poll();
    expect(second.tailer.fileCount).toBe(1);
    await second.tailer.close();
  });

  it('forgets the checkpoint of a file deleted while stopped', async () => {
    await writeFile(file('app.log'), 'a1\n');
    const first = harness(dir);
    await first.tailer.poll();
    const state = first.tailer.checkpoints();
    await first.tailer.close();
    await unlink(file('app.log'));
    const second = harness(dir, { checkpoints: state });
    expect(second.tailer.checkpoints()).toHaveLength(1); // before the first poll: kept as it was
    await second.tailer.poll();
    expect(second.tailer.checkpoints()).toEqual([]);
    await second.tailer.close();
  });

  it('skips header lines of files read from the start and groups multi-line records', async () => {
    await writeFile(file('app.log'), 'h1\nh2\nSTART a\n  cont\nSTART b\n');
    const { tailer, texts } = harness(dir, { skipHeaderLines: 2, multiLineStartPattern: /START/ });
    await tailer.poll();
    expect(texts()).toEqual(['START a\n  cont']);
    expect(tailer.checkpoints()[0]!.offset).toBe(Buffer.byteLength('h1\nh2\nSTART a\n  cont\n'));
    tailer.flushRecords();
    expect(texts()).toEqual(['START a\n  cont', 'START b']);
    await tailer.close();
  });

  it('names each record by file and byte offset', async () => {
    await writeFile(file('app.log'), 'a\nbb\n');
    const { tailer, records } = harness(dir);
    await tailer.poll();
    expect(records.map((r) => r.location)).toEqual([`${file('app.log')}:0`, `${file('app.log')}:2`]);
    await tailer.close();
  });

  describe('fileFooterPattern', () => {
    const footer = /^EOF$/;
    const warnings: string[] = [];
    const logger = { ...NOOP_LOGGER, warn: (_context: object, message: string) => void warnings.push(message), child: () => logger };
    beforeEach(() => (warnings.length = 0));

    it('does not send the footer line, reads nothing after it (then or later), checkpoints just after it and says what it left', async () => {
      await writeFile(file('app.log'), 'a\nb\nEOF\nafter\n');
      const { tailer, texts } = harness(dir, { fileFooterPattern: footer, logger });
      await tailer.poll();
      expect(texts()).toEqual(['a', 'b']);
      expect(tailer.caughtUp).toBe(true);
      expect(warnings).toEqual([`${file('app.log')}: footer line (fileFooterPattern) ends at offset 8; the 6 bytes after it are not sent`]);
      await appendFile(file('app.log'), 'later\n');
      await writeFile(file('app.log.2'), 'other\n');
      await tailer.poll();
      await tailer.poll();
      expect(texts()).toEqual(['a', 'b', 'other']);
      expect(tailer.checkpoints().map((c) => [c.path, c.offset]).sort()).toEqual([[file('app.log'), 8], [file('app.log.2'), 6]]);
      expect(tailer.fileCount).toBe(1); // the ended file is closed, and known by its checkpoint
      await tailer.close();
    });

    it('a restart finds the file ended at its checkpoint and sends nothing more from it', async () => {
      await writeFile(file('app.log'), 'a\nEOF\n');
      const first = harness(dir, { fileFooterPattern: footer });
      await first.tailer.poll();
      const state = first.tailer.checkpoints();
      await first.tailer.close();
      await appendFile(file('app.log'), 'after restart\n');
      const second = harness(dir, { fileFooterPattern: footer, checkpoints: state });
      await second.tailer.poll();
      await second.tailer.poll();
      expect(second.texts()).toEqual([]);
      expect(second.tailer.checkpoints().map((c) => c.offset)).toEqual([Buffer.byteLength('a\nEOF\n')]);
      // Without the pattern, the same checkpoint is an ordinary one: what follows is read.
      const third = harness(dir, { checkpoints: state });
      await third.tailer.poll();
      expect(third.texts()).toEqual(['after restart']);
      await Promise.all([second.tailer.close(), third.tailer.close()]);
    });

    it('header lines are skipped before any footer test; the footer ends the multi-line record in progress, which is sent at once', async () => {
      await writeFile(file('app.log'), 'EOF\nSTART a\n  cont\nEOF\nSTART b\n');
      const { tailer, texts, records } = harness(dir, { fileFooterPattern: footer, skipHeaderLines: 1, multiLineStartPattern: /START/ }, 'by hand');
      await tailer.poll();
      expect(texts()).toEqual(['START a\n  cont']);
      tailer.flushRecords();
      expect(texts()).toEqual(['START a\n  cont']);
      expect(tailer.checkpoints()[0]!.offset).toBe(4); // the header, until the record is acknowledged
      records[0]!.settle('acknowledged');
      expect(tailer.checkpoints()[0]!.offset).toBe(Buffer.byteLength('EOF\nSTART a\n  cont\nEOF\n'));
      await tailer.close();
    });

    it('a footer-ended file that is rotated away is dropped once settled, like any finished file', async () => {
      await writeFile(file('app.log'), 'a\nEOF\n');
      const { tailer } = harness(dir, { globs: ['app.log'], fileFooterPattern: footer });
      await tailer.poll();
      await rename(file('app.log'), file('app.log.1'));
      await writeFile(file('app.log'), 'b\n');
      await tailer.poll();
      expect(tailer.checkpoints().map((c) => c.path)).toEqual([file('app.log')]);
      await tailer.close();
    });
  });
});
