import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createStream, getTestStack, uniqueName, waitFor, type TestStack } from '@kinesis-toolkit/testing';
import { produceOrders } from '../examples/producer';
import { startOrdersConsumer } from '../examples/consumer';

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
});
