import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/clientConfig';
import { createBucket } from '../helpers/createBucket';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { ChildServer } from '../process/ChildServer';

async function putObjects(client: S3Client, bucket: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `records/${String(i).padStart(5, '0')}.json`);
  const concurrency = 25;
  for (let i = 0; i < keys.length; i += concurrency) {
    await Promise.all(keys.slice(i, i + concurrency).map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
  }
  return keys;
}

async function listAll(client: S3Client, bucket: string, maxKeys?: number): Promise<{ keys: string[]; pages: number }> {
  const keys: string[] = [];
  let pages = 0;
  let ContinuationToken: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: maxKeys, ContinuationToken }));
    pages += 1;
    keys.push(...(page.Contents ?? []).map((object) => object.Key!));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken !== undefined);
  return { keys, pages };
}

describe('s3rver in the local stack', () => {
  let stack: TestStack;
  beforeAll(() => {
    stack = getTestStack();
  });
  afterAll(() => stack.destroy());

  it('pages a listing of more than 1000 objects with continuation tokens', async () => {
    const bucket = await createBucket(stack.s3.client, uniqueName('paging'));
    const keys = await putObjects(stack.s3.client, bucket, 1_005);
    const listing = await listAll(stack.s3.client, bucket);
    expect(listing.pages).toBe(2);
    expect(listing.keys).toEqual(keys);
  });

  it('pages small pages too (MaxKeys)', async () => {
    const bucket = await createBucket(stack.s3.client, uniqueName('paging-small'));
    const keys = await putObjects(stack.s3.client, bucket, 25);
    const listing = await listAll(stack.s3.client, bucket, 10);
    expect(listing.pages).toBe(3);
    expect(listing.keys).toEqual(keys);
  });

  it('needs --openssl-legacy-provider: without it, a truncated listing fails (why s3rver runs in a child process)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'kt-s3rver-'));
    const child = await ChildServer.start<{ port: number }>({
      name: 's3rver',
      script: join(__dirname, 's3rverProcess.js'),
      config: { host: '127.0.0.1', directory },
      execArgv: [],
      readyMessage: true,
      startTimeoutMs: 15_000,
      stopTimeoutMs: 5_000,
      logger: NOOP_LOGGER,
    });
    const client = createS3Client(`http://127.0.0.1:${child.ready.port}`, { maxAttempts: 1 });
    try {
      const bucket = await createBucket(client, uniqueName('no-legacy'));
      await putObjects(client, bucket, 3);
      // One page needs no continuation token and works; a truncated page must make one, and fails.
      await expect(listAll(client, bucket, 3)).resolves.toMatchObject({ pages: 1 });
      await expect(listAll(client, bucket, 2)).rejects.toMatchObject({ name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    } finally {
      client.destroy();
      await child.stop();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
