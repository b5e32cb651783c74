import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { makeBatch, sequenceNumber } from '../../../test/emitters/makeBatch';
import { FileEmitter } from './FileEmitter';
import { StdoutEmitter } from './StdoutEmitter';

describe('StdoutEmitter', () => {
  it('writes each item as a line to the given stream', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const emitter = new StdoutEmitter({ stream, includePosition: true });
    await expect(emitter.emit(makeBatch(['one', Buffer.from('two')]))).resolves.toEqual({ failed: [] });
    expect(chunks.join('')).toBe(`shardId-000000000001 ${sequenceNumber(1)}/0 one\nshardId-000000000001 ${sequenceNumber(2)}/0 two\n`);
  });

  it('writes base64 for binary data and rejects items that are not bytes or text (InvalidItem, never retried)', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const bad = 42 as unknown as string;
    const result = await new StdoutEmitter({ stream, encoding: 'base64' }).emit(makeBatch([Buffer.from([0, 1]), bad]));
    expect(result.failed).toEqual([]);
    expect(result.rejected).toEqual([{ item: bad, error: expect.objectContaining({ code: 'InvalidItem', retryable: false }) }]);
    expect(chunks.join('')).toBe('AAE=\n');
  });

  it('throws a retryable FileWriteFailed when the stream fails', async () => {
    const broken = new Writable({ write: (_chunk, _encoding, callback) => callback(new Error('EPIPE')) });
    broken.on('error', () => undefined);
    await expect(new StdoutEmitter({ stream: broken }).emit(makeBatch(['x']))).rejects.toMatchObject({ code: 'FileWriteFailed', retryable: true });
  });

  it('rejects bad options with a TypeError', () => {
    expect(() => new StdoutEmitter({ stream: {} as Writable })).toThrow(/stream: expected a Writable/);
    expect(() => new StdoutEmitter({ encoding: 'hex' as 'utf8' })).toThrow(/encoding: expected one of "utf8", "base64", got "hex"/);
  });
});

describe('FileEmitter', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kt-file-emitter-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('appends each batch as lines, across emits, and closes at shutdown', async () => {
    const path = join(directory, 'out.log');
    const emitter = new FileEmitter({ path });
    await emitter.emit(makeBatch(['a', 'b']));
    await emitter.emit(makeBatch(['c'], { firstSequence: 3 }));
    await emitter.shutdown();
    expect(await readFile(path, 'utf8')).toBe('a\nb\nc\n');
    // After shutdown a new emit reopens the file and keeps appending.
    await new FileEmitter({ path }).emit(makeBatch(['d']));
    expect(await readFile(path, 'utf8')).toBe('a\nb\nc\nd\n');
  });

  it('throws a non-retryable FileWriteFailed when the directory does not exist', async () => {
    const emitter = new FileEmitter({ path: join(directory, 'missing', 'out.log') });
    await expect(emitter.emit(makeBatch(['a']))).rejects.toMatchObject({ code: 'FileWriteFailed', retryable: false });
  });

  it('rejects a missing path with a TypeError', () => {
    expect(() => new FileEmitter({})).toThrow('path: expected a non-empty string, got undefined');
  });
});
