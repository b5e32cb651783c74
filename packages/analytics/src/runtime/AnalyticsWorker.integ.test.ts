import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createBucket, createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { readStream } from '../../../kpl/test/readStream';
import { countPerTickerConfig, putTrades, REFERENCE_CSV, totalsOf, totalsOfOutput } from '../../test/analyticsFixtures';
import { AnalyticsWorker } from './AnalyticsWorker';

let stack: TestStack;
const sorted = (object: object) => JSON.stringify(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
beforeAll(() => {
  stack = getTestStack();
});
afterAll(() => stack.destroy());

describe('AnalyticsWorker on the local stack', () => {
  it('reads a 2-shard stream through the KCL, joins an S3 reference table and writes every window to the output stream', async () => {
    const input = uniqueName('an-in');
    const output = uniqueName('an-out');
    const bucket = uniqueName('an-ref');
    await Promise.all([createStream(stack.kinesis.client, input, 2), createStream(stack.kinesis.client, output, 1), createBucket(stack.s3.client, bucket)]);
    await stack.s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: 'TickerReference.csv', Body: REFERENCE_CSV }));
    const worker = new AnalyticsWorker({
      config: countPerTickerConfig({ applicationName: uniqueName('an-app'), input, output, bucket, windowSeconds: 1 }),
      kinesisClient: stack.kinesis.client,
      dynamoClient: stack.dynamodb.client,
      s3Client: stack.s3.client,
      worker: { failoverTimeMs: 3000, idleTimeBetweenReadsMs: 200 },
      application: { idleWindowCloseMs: 300, idleCheckIntervalMs: 100 },
    });
    await worker.start();
    try {
      const trades = [...(await putTrades(stack.kinesis.client, input, 300)), ...(await putTrades(stack.kinesis.client, input, 300, 300))];
      const expected = totalsOf(trades);
      let seen: ReturnType<typeof totalsOfOutput> | undefined;
      await waitFor(
        async () => {
          seen = totalsOfOutput((await readStream(stack.kinesis.client, output)).records);
          return sorted(seen.totals) === sorted(expected);
        },
        { timeoutMs: 20_000, intervalMs: 250, description: 'every trade counted in the output stream' },
      ).catch((error: Error) => {
        throw new Error(`${error.message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(seen?.totals)}`);
      });
      expect(seen!.totals).toEqual(expected);
      expect(seen!.companies).toEqual({ AMZN: 'Amazon', ASD: 'SomeCompanyA', QXR: null });
    } finally {
      await worker.shutdown();
    }
  }, 40_000);
});
