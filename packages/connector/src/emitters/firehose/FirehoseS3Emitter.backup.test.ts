import type { S3Client } from '@aws-sdk/client-s3';
import { makeBatch, retryOf } from '../../../test/emitters/makeBatch';
import { setLambdaPartitionKeys } from '../../transformers/lambdaPartitionKeys';
import { EmitterError } from '../EmitterError';
import { FirehoseS3Emitter } from './FirehoseS3Emitter';

// The source record backup's delivery semantics, with a fake S3 client (what is checked is which
// objects the emitter writes and when, not S3's behaviour: that is FirehoseS3Emitter.integ.test.ts).

interface Put {
  readonly bucket: string;
  readonly key: string;
  readonly body: string;
}

/** An S3 client whose PutObject fails once for each key matching `failOnce`. */
function fakeS3(failOnce: RegExp[] = []) {
  const puts: Put[] = [];
  const failures = [...failOnce];
  const client = {
    send: async (command: { constructor: { name: string }; input: { Bucket: string; Key: string; Body: Buffer } }) => {
      if (command.constructor.name !== 'PutObjectCommand') throw new Error(`unexpected ${command.constructor.name}`);
      const { Bucket, Key, Body } = command.input;
      const failing = failures.findIndex((pattern) => pattern.test(`${Bucket}/${Key}`));
      if (failing >= 0) {
        failures.splice(failing, 1);
        throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
      }
      puts.push({ bucket: Bucket, key: Key, body: Buffer.from(Body).toString() });
      return {};
    },
  };
  return { client: client as unknown as S3Client, puts };
}

const item = (text: string, device: string) => {
  const buffer = Buffer.from(`${text}\n`);
  setLambdaPartitionKeys(buffer, { device });
  return buffer;
};
const options = (client: S3Client) => ({
  client,
  bucket: 'dest',
  deliveryStreamName: 'orders',
  prefix: 'd/device=!{partitionKeyFromLambda:device}/',
  errorOutputPrefix: 'errors/',
  dynamicPartitioning: { enabled: true },
  s3Backup: { mode: 'Enabled' as const, bucket: 'raw', prefix: 'src/' },
});

describe('FirehoseS3Emitter source record backup: a batch is delivered only when the destination and the backup objects are written', () => {
  it('writes each source record once, as read (before transformation), and the transformed items to the destination', async () => {
    const { client, puts } = fakeS3();
    const batch = makeBatch([item('A', 'a'), item('B', 'b')]);
    // One source record that became two items (a one-to-many transformation): backed up once.
    const oneToMany = { ...batch, items: [...batch.items, item('A2', 'a')], sources: [...batch.sources, batch.sources[0]!] };
    expect((await new FirehoseS3Emitter(options(client)).emit(oneToMany)).failed).toEqual([]);
    expect(puts.filter((p) => p.bucket === 'raw')).toEqual([{ bucket: 'raw', key: expect.stringMatching(/^src\/2024\/05\/01\/13\/orders-1-2024-05-01-13-59-58-[0-9a-f-]{36}$/), body: 'record 1record 2' }]);
    expect(puts.filter((p) => p.bucket === 'dest').map((p) => p.body).sort()).toEqual(['A\nA2\n', 'B\n']);
  });

  it('a failed backup write fails the whole batch before any destination object is written (S3WriteFailed naming the backup bucket, retryable); the retry writes the same backup key', async () => {
    const { client, puts } = fakeS3([/^raw\//]);
    const emitter = new FirehoseS3Emitter(options(client));
    const batch = makeBatch([item('A', 'a'), item('B', 'b')]);
    const error = await emitter.emit(batch).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'S3WriteFailed', retryable: true, context: { bucket: 'raw' } });
    expect(puts).toEqual([]);
    await emitter.emit(retryOf(batch, [0, 1]));
    expect(puts.map((p) => p.bucket).sort()).toEqual(['dest', 'dest', 'raw']);
  });

  it('after the backup is written, a retry of the destination objects that failed does not rewrite the backup with fewer records', async () => {
    const { client, puts } = fakeS3([/^dest\/d\/device=b\//]);
    const emitter = new FirehoseS3Emitter(options(client));
    const batch = makeBatch([item('A', 'a'), item('B', 'b')]);
    const first = await emitter.emit(batch);
    expect(first.failed).toEqual([batch.items[1]]);
    expect((await emitter.emit(retryOf(batch, [1]))).failed).toEqual([]);
    expect(puts.filter((p) => p.bucket === 'raw').map((p) => p.body)).toEqual(['record 1record 2']);
    expect(puts.filter((p) => p.bucket === 'dest').map((p) => p.body).sort()).toEqual(['A\n', 'B\n']);
  });

  it('asks the pipeline for every record only with a backup (receivesEveryRecord), and backs up the batch’s records — those that became no item too — once, even across retries and for a batch without items', async () => {
    const { client, puts } = fakeS3([/^dest\/d\/device=b\//]);
    expect(new FirehoseS3Emitter({ ...options(client), s3Backup: undefined }).receivesEveryRecord).toBe(false);
    const emitter = new FirehoseS3Emitter(options(client));
    expect(emitter.receivesEveryRecord).toBe(true);
    // Records 1–4 read; the transformation dropped record 2 and failed record 4: items came from 1 and 3.
    const all = makeBatch([item('A', 'a'), item('x', 'x'), item('B', 'b'), item('y', 'y')]);
    const batch = { ...all, items: [all.items[0]!, all.items[2]!], sources: [all.sources[0]!, all.sources[2]!], records: all.sources };
    expect((await emitter.emit(batch)).failed).toEqual([batch.items[1]]);
    expect((await emitter.emit({ ...retryOf(batch, [1]), records: all.sources })).failed).toEqual([]);
    expect(puts.filter((p) => p.bucket === 'raw').map((p) => p.body)).toEqual(['record 1record 2record 3record 4']);
    // A flush whose records all became no item: only the backup is written.
    const dropped = makeBatch([item('z', 'z')], { firstSequence: 9 });
    expect(await emitter.emit({ ...dropped, items: [], sources: [], records: dropped.sources })).toEqual({ failed: [] });
    expect(puts.filter((p) => p.bucket === 'raw').map((p) => p.body)).toEqual(['record 1record 2record 3record 4', 'record 9']);
    expect(puts.filter((p) => p.bucket === 'dest').map((p) => p.body).sort()).toEqual(['A\n', 'B\n']);
  });

  it('a retry the emitter does not know (another emitter instance) writes the retried records’ sources to an object of their own, never over the full one', async () => {
    const { client, puts } = fakeS3();
    const batch = makeBatch([item('A', 'a'), item('B', 'b')]);
    await new FirehoseS3Emitter(options(client)).emit(batch);
    await new FirehoseS3Emitter(options(client)).emit(retryOf(batch, [1]));
    const backups = puts.filter((p) => p.bucket === 'raw');
    expect(backups.map((p) => p.body)).toEqual(['record 1record 2', 'record 2']);
    expect(new Set(backups.map((p) => p.key)).size).toBe(2);
  });
});
