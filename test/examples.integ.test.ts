import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { produceOrders } from '../examples/producer';
import { startOrdersConsumer } from '../examples/consumer';
import { startOrdersArchive } from '../examples/connector';

const root = join(__dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The code between `// #region readme` and `// #endregion readme` of an example file. */
function readmeRegion(file: string): string {
  const source = readFileSync(join(root, 'examples', file), 'utf8');
  const match = /\/\/ #region readme\n([\s\S]*?)\/\/ #endregion readme/.exec(source);
  if (match === null) throw new Error(`examples/${file} has no readme region`);
  return match[1]!.trimEnd();
}

describe('README quick starts are the examples, verbatim', () => {
  it.each(readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')))('%s', (file) => {
    expect(readme).toContain('```ts\n' + readmeRegion(file) + '\n```');
  });
});

describe('the examples run against the local stack', () => {
  let stack: TestStack;
  beforeAll(() => {
    stack = getTestStack();
  });
  afterAll(() => stack.destroy());

  it('producer → consumer: every order is acknowledged, then consumed once', async () => {
    const streamName = uniqueName('example');
    await createStream(stack.kinesis.client, streamName, 2);
    const results = await produceOrders(streamName, stack.kinesis.client);
    expect(results).toHaveLength(100);
    for (const result of results) expect(result.sequenceNumber).toMatch(/^[0-9]+$/);

    const seen: number[] = [];
    const worker = startOrdersConsumer(streamName, (order) => seen.push(order.orderId), {
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
    });
    await worker.start();
    try {
      await waitFor(() => seen.length >= 100, { timeoutMs: 20_000, description: '100 orders consumed' });
    } finally {
      await worker.shutdown();
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  }, 40_000);

  it('producer → connector: every order ends up in S3 once, as JSON lines', async () => {
    const streamName = uniqueName('example');
    const bucket = uniqueName('orders').toLowerCase();
    await createStream(stack.kinesis.client, streamName, 2);
    await createBucket(stack.s3.client, bucket);
    await produceOrders(streamName, stack.kinesis.client);

    const { worker, pipeline } = startOrdersArchive(streamName, bucket, {
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      s3Client: stack.s3.client,
    });
    await worker.start();
    try {
      await waitFor(async () => (await readLines(stack.s3.client, bucket, 'orders/')).length >= 100, {
        timeoutMs: 20_000,
        description: '100 orders in S3',
      });
    } finally {
      await worker.shutdown();
      await pipeline.shutdown();
    }
    const orders = (await readLines(stack.s3.client, bucket, 'orders/')).map((line) => (JSON.parse(line) as { orderId: number }).orderId);
    expect(orders.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(await readLines(stack.s3.client, bucket, 'errors/')).toEqual([]);
  }, 40_000);
});

/** Every line of every object under `prefix`. */
async function readLines(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const lines: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      const body = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }));
      lines.push(...(await body.Body!.transformToString()).split('\n').filter((line) => line !== ''));
    }
    token = page.NextContinuationToken;
  } while (token !== undefined);
  return lines;
}
