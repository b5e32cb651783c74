import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createBucket, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { FakeCheckpointer, at, dropOrFailLambda, record, seq } from '../../../test/pipelineFakes';
import type { FailureRecord } from '../../failures/FailureRecord';
import { createPipeline } from '../../pipeline/createPipeline';
import { FirehoseTransformer } from '../../transformers/FirehoseTransformer';
import type { EmitBatch } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { S3FailureSink } from '../s3/S3FailureSink';
import { FirehoseS3Emitter } from './FirehoseS3Emitter';

// Source record backup against s3rver: both buckets are read back.

let stack: TestStack;
let s3: S3Client;
let destination: string;
let raw: string;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  destination = await createBucket(s3, uniqueName('fh-dest').toLowerCase());
  raw = await createBucket(s3, uniqueName('fh-raw').toLowerCase());
});
afterAll(() => stack?.destroy());

async function objects(bucket: string, prefix = ''): Promise<{ key: string; body: Buffer }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Promise.all((listed.Contents ?? []).map(async ({ Key }) => ({ key: Key!, body: Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray()) })));
}

/** A batch as a transformation leaves it: items are the transformed bytes, sources keep the records as read. */
function transformedBatch(originals: readonly string[]): EmitBatch<Buffer> {
  const batch = makeBatch(originals.map((o) => Buffer.from(`${o.toUpperCase()}\n`)), { arrivalMs: Date.UTC(2024, 4, 1, 13, 59, 58) });
  return { ...batch, sources: batch.sources.map((source, i) => ({ ...source, data: Buffer.from(`${originals[i]}\n`) })) };
}

describe('FirehoseS3Emitter source record backup (S3BackupMode Enabled) against s3rver', () => {
  it('writes the transformed records to the destination and the untransformed source records, GZIP, to the backup bucket and prefix (backup times in UTC, the destination in its CustomTimeZone)', async () => {
    const emitter = new FirehoseS3Emitter({
      client: s3,
      bucket: destination,
      deliveryStreamName: 'orders',
      prefix: 'out/',
      customTimeZone: 'Asia/Kolkata',
      s3Backup: { mode: 'Enabled', bucket: raw, prefix: 'src/', compressionFormat: 'GZIP' },
    });
    expect((await emitter.emit(transformedBatch(['{"n":1}', '{"n":2}']))).failed).toEqual([]);
    const [delivered] = await objects(destination, 'out/');
    expect(delivered!.key).toMatch(/^out\/2024\/05\/01\/19\/orders-1-2024-05-01-19-29-58-[0-9a-f-]{36}$/);
    expect(delivered!.body.toString()).toBe('{"N":1}\n{"N":2}\n');
    const backups = await objects(raw, 'src/');
    expect(backups.map((b) => b.key)).toEqual([expect.stringMatching(/^src\/2024\/05\/01\/13\/orders-1-2024-05-01-13-59-58-[0-9a-f-]{36}\.gz$/)]);
    expect(gunzipSync(backups[0]!.body).toString()).toBe('{"n":1}\n{"n":2}\n');
  });

  it('a backup bucket that cannot be written fails the batch with S3WriteFailed naming it, and nothing reaches the destination', async () => {
    const missing = uniqueName('fh-missing').toLowerCase();
    const emitter = new FirehoseS3Emitter({ client: s3, bucket: destination, deliveryStreamName: 'nobackup', prefix: 'nobackup/', s3Backup: { mode: 'Enabled', bucket: missing } });
    const error = await emitter.emit(transformedBatch(['x'])).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'S3WriteFailed', context: { bucket: missing }, message: expect.stringMatching(/source record backup/) });
    expect(await objects(destination, 'nobackup/')).toEqual([]);
  });

  it('in a pipeline whose Firehose Lambda drops some records and fails others: every record read is in the backup once (a flush of only dropped and failed ones too), the Ok ones once in the destination, the failed ones in the error prefix', async () => {
    const emitter = new FirehoseS3Emitter({ client: s3, bucket: destination, deliveryStreamName: 'lambda', prefix: 'lambda/', s3Backup: { mode: 'Enabled', bucket: raw, prefix: 'lambda-src/' } });
    const failureSink = new S3FailureSink({ client: s3, bucket: destination, errorPrefix: 'lambda-errors/' });
    const pipeline = createPipeline<Buffer, Buffer>({ streamName: 'orders', transformer: new FirehoseTransformer(dropOrFailLambda), emitter, failureSink, buffer: { maxRecords: 4 } });
    const checkpointer = new FakeCheckpointer();
    const processor = pipeline('shardId-000000000001');
    // Four records held flush the first batch (records 1–4); records 5–6 become no item and are flushed at shutdown.
    await processor.processRecords(checkpointer.input(['ok-1\n', 'drop-2\n', 'fail-3\n', 'ok-4\n'].map((data, i) => record(i + 1, data))));
    await processor.processRecords(checkpointer.input([record(5, 'drop-5\n'), record(6, 'fail-6\n')]));
    await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
    await pipeline.shutdown();
    expect(checkpointer.checkpoints).toEqual([at(4), at(6)]);
    const backups = await objects(raw, 'lambda-src/');
    expect(backups.map((b) => b.body.toString()).sort()).toEqual(['drop-5\nfail-6\n', 'ok-1\ndrop-2\nfail-3\nok-4\n']);
    expect((await objects(destination, 'lambda/')).map((o) => o.body.toString())).toEqual(['OK-1\nOK-4\n']);
    const failed = (await objects(destination, 'lambda-errors/')).flatMap((o) => o.body.toString().trim().split('\n').map((line) => JSON.parse(line) as FailureRecord));
    expect(failed.map((f) => [f.kinesisRecordMetadata.sequenceNumber, f.errorCode, Buffer.from(f.rawData, 'base64').toString()]).sort()).toEqual([
      [seq(3), 'ProcessingFailed', 'fail-3\n'],
      [seq(6), 'ProcessingFailed', 'fail-6\n'],
    ]);
  });
});
