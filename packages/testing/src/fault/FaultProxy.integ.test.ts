import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { clientConfigFor } from '../aws/clientConfig';
import { createStream } from '../helpers/createStream';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { FaultProxy } from './FaultProxy';

/** Milliseconds one call takes. */
async function timed(call: () => Promise<unknown>): Promise<number> {
  const startedAt = performance.now();
  await call();
  return performance.now() - startedAt;
}

describe('FaultProxy between an SDK client and kinesalite', () => {
  let stack: TestStack;
  let proxy: FaultProxy;
  let client: KinesisClient;
  let streamName: string;
  let kinesalite: { host: string; port: number };

  beforeAll(async () => {
    stack = getTestStack();
    streamName = uniqueName('proxied');
    await createStream(stack.kinesis.client, streamName, 1);
    const url = new URL(stack.kinesis.endpoint);
    kinesalite = { host: url.hostname, port: Number(url.port) };
    proxy = await FaultProxy.start({ target: kinesalite });
    // One attempt and a short timeout: each fault shows in one call, as the SDK reports it.
    client = new KinesisClient(clientConfigFor(proxy.endpoint, { maxAttempts: 1, requestTimeoutMs: 400 }));
  });
  afterEach(() => proxy.reset());
  afterAll(async () => {
    client.destroy();
    await proxy.stop();
    stack.destroy();
  });

  const describeStream = (): Promise<unknown> => client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));

  it('passes calls through untouched', async () => {
    const { StreamDescriptionSummary } = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    expect(StreamDescriptionSummary?.StreamName).toBe(streamName);
    expect(proxy.stats.bytesForwarded.upstream).toBeGreaterThan(0);
  });

  it('adds latency to every call', async () => {
    proxy.setLatency({ upstreamMs: 100, downstreamMs: 50 });
    const elapsedMs = await timed(describeStream);
    expect(elapsedMs).toBeGreaterThanOrEqual(145);
  });

  it('makes calls time out while blackholed, and work again once lifted', async () => {
    proxy.setBlackhole(true);
    await expect(client.send(new ListStreamsCommand({}))).rejects.toMatchObject({ name: 'TimeoutError' });
    proxy.setBlackhole(false);
    // A blackholed connection is left corrupt; the SDK's timeout destroyed it, so this call opens a new one.
    await expect(client.send(new ListStreamsCommand({}))).resolves.toHaveProperty('StreamNames');
  });

  it('surfaces resets as network errors the SDK sees (ECONNRESET), which its retries then absorb', async () => {
    let draws = 0;
    const flaky = await FaultProxy.start({
      target: kinesalite,
      // The first request chunk is reset; every later one passes.
      random: () => (draws++ === 0 ? 0 : 0.99),
    });
    flaky.setResetRate(0.5, 'upstream');
    const once = new KinesisClient(clientConfigFor(flaky.endpoint, { maxAttempts: 1 }));
    const retrying = new KinesisClient(clientConfigFor(flaky.endpoint, { maxAttempts: 3 }));
    try {
      // Node's socket errors come from outside jest's sandbox, so the SDK wraps them ("AWS SDK error
      // wrapper for TimeoutError: read ECONNRESET"); the message is what survives in both worlds.
      await expect(once.send(new ListStreamsCommand({}))).rejects.toThrow(/ECONNRESET/);
      expect(flaky.stats.resets).toBe(1);
      draws = 0;
      const { $metadata } = await retrying.send(new ListStreamsCommand({}));
      expect($metadata.attempts).toBe(2);
      expect(flaky.stats.resets).toBe(2);
    } finally {
      once.destroy();
      retrying.destroy();
      await flaky.stop();
    }
  });
});
