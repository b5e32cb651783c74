import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { AwsRequestError, InvalidArgumentError } from '@kinesis-toolkit/core';
import { FaultProxy, createBucket, createS3Client, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch, retryOf, sequenceNumber } from '../../../test/emitters/makeBatch';
import { FakeCheckpointer, at, record } from '../../../test/pipelineFakes';
import { InMemoryFailureSink } from '../../failures/InMemoryFailureSink';
import { createPipeline } from '../../pipeline/createPipeline';
import { StringTransformer } from '../../transformers/StringTransformer';
import type { FailureRecord } from '../../failures/FailureRecord';
import { EmitterError } from '../EmitterError';
import { S3Emitter } from './S3Emitter';
import { S3FailureSink } from './S3FailureSink';

let stack: TestStack;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  bucket = await createBucket(s3, uniqueName('s3-emitter').toLowerCase());
});
afterAll(() => stack?.destroy());

async function listKeys(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

async function readObject(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

describe('S3Emitter against s3rver', () => {
  it('writes every item into one object named after the time and the batch range', async () => {
    const emitter = new S3Emitter({ client: s3, bucket, prefix: 'plain/!{timestamp:yyyy/MM/dd/HH}/', recordDelimiter: '\n' });
    const batch = makeBatch(['{"id":1}', Buffer.from('{"id":2}'), '{"id":3}'], { arrivalMs: Date.UTC(2024, 4, 1, 13, 59, 58) });

    await expect(emitter.emit(batch)).resolves.toEqual({ failed: [] });

    const key = `plain/2024/05/01/13/orders-shardId-000000000001-${sequenceNumber(1)}-0-${sequenceNumber(3)}-0`;
    expect(await listKeys('plain/')).toEqual([key]);
    expect((await readObject(key)).toString()).toBe('{"id":1}\n{"id":2}\n{"id":3}\n');
  });

  it('overwrites the same object when the batch is emitted again (idempotent)', async () => {
    const emitter = new S3Emitter({ client: s3, bucket, prefix: 'again/' });
    const batch = makeBatch(['a', 'b', 'c'], { firstSequence: 10 });
    await emitter.emit(batch);
    await emitter.emit({ ...batch, attempt: 1 });
    await emitter.emit(retryOf(batch, [0, 1, 2]));

    const keys = await listKeys('again/');
    expect(keys).toEqual([emitter.keyFor(batch)]);
    expect((await readObject(keys[0]!)).toString()).toBe('abc');
  });

  it('gzips the object and adds .gz to its key', async () => {
    const emitter = new S3Emitter({ client: s3, bucket, prefix: 'gz/', compression: 'gzip', fileExtension: '.jsonl', recordDelimiter: '\n' });
    const batch = makeBatch(['x'.repeat(1000), 'y'], { firstSequence: 20 });
    await emitter.emit(batch);

    const [key] = await listKeys('gz/');
    expect(key).toMatch(/\.jsonl\.gz$/);
    const stored = await readObject(key!);
    expect(stored.length).toBeLessThan(200);
    expect(gunzipSync(stored).toString()).toBe(`${'x'.repeat(1000)}\ny\n`);
  });

  /** A client of its own that records every command it sends, and can fail chosen ones (fault injection). */
  function recordingClient(failWhen: (command: string, count: number) => boolean = () => false): { client: S3Client; commands: string[] } {
    const commands: string[] = [];
    const client = createS3Client(stack.s3.endpoint, { maxAttempts: 1 });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName ?? '?';
        commands.push(command);
        if (failWhen(command, commands.filter((sent) => sent === command).length)) {
          throw Object.assign(new Error('injected fault'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    return { client, commands };
  }

  it('uploads a large batch in 5 MiB parts and reassembles it exactly', async () => {
    const { client, commands } = recordingClient();
    const emitter = new S3Emitter({ client, bucket, prefix: 'multipart/', multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    const items = Array.from({ length: 12 }, (_, index) => Buffer.alloc(1024 * 1024, 65 + index));
    const batch = makeBatch(items, { firstSequence: 30 });
    await emitter.emit(batch);
    client.destroy();

    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    const stored = await readObject(emitter.keyFor(batch));
    expect(stored.length).toBe(12 * 1024 * 1024);
    expect(stored.equals(Buffer.concat(items))).toBe(true);
  });

  it('aborts a multipart upload whose part fails and throws a retryable error', async () => {
    const { client, commands } = recordingClient((command, count) => command === 'UploadPartCommand' && count === 2);
    const emitter = new S3Emitter({ client, bucket, prefix: 'aborted/', multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    const batch = makeBatch([Buffer.alloc(11 * 1024 * 1024, 1)], { firstSequence: 35 });

    await expect(emitter.emit(batch)).rejects.toMatchObject({ code: 'S3WriteFailed', retryable: true });
    client.destroy();

    // s3rver itself does not implement AbortMultipartUpload (it answers NotImplemented); the
    // emitter sends it, logs the refusal, and still reports the part's failure.
    expect(commands).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'AbortMultipartUploadCommand']);
    expect(await listKeys('aborted/')).toEqual([]);
  });

  it('rejects items that are not bytes or strings (InvalidItem, never retried) and writes the rest', async () => {
    const emitter = new S3Emitter({ client: s3, bucket, prefix: 'partial/' });
    const bad = { not: 'bytes' } as unknown as string;
    const batch = makeBatch(['ok1', bad, 'ok2'], { firstSequence: 40 });

    const result = await emitter.emit(batch);

    expect(result.failed).toEqual([]);
    expect(result.rejected).toEqual([{ item: bad, error: expect.objectContaining({ code: 'InvalidItem', retryable: false }) }]);
    expect(result.rejected?.[0]?.item).toBe(bad);
    expect((await readObject(emitter.keyFor(batch))).toString()).toBe('ok1ok2');
  });

  it('throws a non-retryable S3WriteFailed when the bucket does not exist', async () => {
    const emitter = new S3Emitter({ client: s3, bucket: 'no-such-bucket-kt', prefix: 'x/' });
    const error = await emitter.emit(makeBatch(['a'])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'S3WriteFailed', retryable: false, context: { bucket: 'no-such-bucket-kt', shardId: 'shardId-000000000001' } });
    // s3rver's real error name, through core's classifier.
    expect((error as Error).cause).toBeInstanceOf(AwsRequestError);
    expect((error as Error).cause).toMatchObject({ code: 'NoSuchBucket', kind: 'fatal', attempts: 1 });
  });

  it('in a pipeline, dead-letters a batch for a missing bucket after one attempt instead of retrying it', async () => {
    const { client, commands } = recordingClient();
    const sink = new InMemoryFailureSink();
    const checkpointer = new FakeCheckpointer();
    const pipeline = createPipeline<string, string>({
      transformer: new StringTransformer() as never,
      emitter: new S3Emitter({ client, bucket: 'no-such-bucket-kt', prefix: 'x/' }),
      failureSink: sink,
      buffer: { maxRecords: 2 },
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await pipeline('shard-1').processRecords(checkpointer.input([record(1), record(2)]));
    client.destroy();
    expect(commands).toEqual(['PutObjectCommand']);
    expect(sink.records.map((r) => [r.attemptsMade, r.errorCode])).toEqual([
      [1, 'S3WriteFailed'],
      [1, 'S3WriteFailed'],
    ]);
    expect(sink.records[0]!.errorMessage).toMatch(/NoSuchBucket/);
    expect(checkpointer.checkpoints).toEqual([at(2)]);
  });

  it('abandons a PutObject that gets no answer (FaultProxy blackhole) after requestTimeoutMs, as a retryable failure', async () => {
    const target = new URL(stack.s3.endpoint);
    const proxy = await FaultProxy.start({ target: { host: target.hostname, port: Number(target.port) } });
    const client = createS3Client(proxy.endpoint, { maxAttempts: 1 });
    try {
      proxy.setBlackhole(true);
      const emitter = new S3Emitter({ client, bucket, prefix: 'blackhole/', requestTimeoutMs: 300 });
      const error = await emitter.emit(makeBatch(['x'], { firstSequence: 50 })).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'S3WriteFailed', retryable: true, cause: { code: 'DEADLINE_EXCEEDED', kind: 'transient' } });
    } finally {
      client.destroy();
      await proxy.stop();
    }
  });

  it('rejects bad options with an InvalidArgumentError naming the option', () => {
    expect(() => new S3Emitter({ client: s3 })).toThrow('bucket: expected a string of 1 to 255 characters, got undefined');
    expect(() => new S3Emitter({ client: s3, bucket, partSizeBytes: 1024 })).toThrow(/partSizeBytes: expected an integer >= 5242880, got 1024/);
    expect(() => new S3Emitter({ client: s3, bucket, prefix: '!{timestamp:YYYY}' })).toThrow(InvalidArgumentError);
    expect(() => new S3Emitter({ client: {} as S3Client, bucket })).toThrow(/client: expected an S3Client/);
    expect(() => new S3Emitter({ client: s3, bucket, bukket: 'x' } as never)).toThrow(/bukket: expected no such option — did you mean "bucket"\?/);
  });
});

describe('S3FailureSink against s3rver', () => {
  function failure(sequence: number, shardId = 'shardId-000000000001'): FailureRecord {
    return {
      attemptsMade: 4,
      arrivalTimestamp: Date.UTC(2024, 4, 1, 13, 0, 0),
      errorCode: 'HttpDeliveryFailed',
      errorMessage: 'endpoint said 500',
      attemptEndingTimestamp: Date.UTC(2024, 4, 1, 13, 5, 0),
      rawData: Buffer.from(`record ${sequence}`).toString('base64'),
      kinesisRecordMetadata: {
        shardId,
        partitionKey: 'pk',
        sequenceNumber: sequenceNumber(sequence),
        subsequenceNumber: 0,
        approximateArrivalTimestamp: Date.UTC(2024, 4, 1, 13, 0, 0),
      },
    };
  }

  it('writes JSON lines under the error prefix, one object per shard, idempotently', async () => {
    const sink = new S3FailureSink({ client: s3, bucket, errorPrefix: 'err/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/', errorOutputType: 'http-endpoint-failed' });
    const records = [failure(1), failure(2), failure(3, 'shardId-000000000002')];
    await sink.put(records);
    await sink.put(records);

    const keys = await listKeys('err/');
    expect(keys).toEqual([
      `err/http-endpoint-failed/2024/05/01/13/shardId-000000000001-${sequenceNumber(1)}-0-${sequenceNumber(2)}-0.jsonl`,
      `err/http-endpoint-failed/2024/05/01/13/shardId-000000000002-${sequenceNumber(3)}-0-${sequenceNumber(3)}-0.jsonl`,
    ]);
    const lines = (await readObject(keys[0]!)).toString().trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as FailureRecord)).toEqual([failure(1), failure(2)]);
  });

  it('throws S3WriteFailed when S3 refuses', async () => {
    const sink = new S3FailureSink({ client: s3, bucket: 'no-such-bucket-kt' });
    await expect(sink.put([failure(1)])).rejects.toMatchObject({ code: 'S3WriteFailed', retryable: false, cause: { code: 'NoSuchBucket' } });
  });
});
