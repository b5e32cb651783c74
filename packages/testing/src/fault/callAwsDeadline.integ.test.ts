import { DescribeStreamSummaryCommand, KinesisClient, ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { AwsRequestError, callAws, RetryPolicy, SDK_CLIENT_DEFAULTS, type RetryEvent } from '@kinesis-toolkit/core';
import { TEST_CREDENTIALS, TEST_REGION } from '../aws/clientConfig';
import { CLIENT_KINDS, type ClientKind } from '../front/fixtures/kinesisCalls';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { FaultProxy, type FaultProxyOptions } from './FaultProxy';

// core's callAws against a real server (kinesalite, through the local stack's HTTP/2 + HTTP/1.1
// front) with real SDK clients built as the toolkit builds its own (SDK_CLIENT_DEFAULTS: one SDK
// attempt, so every retry is core's), and the FaultProxy between them.

const TIMEOUT_MS = 300;
const retryPolicy = (): RetryPolicy => new RetryPolicy({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 });

function toolkitClient(kind: ClientKind, endpoint: string): KinesisClient {
  const config = { endpoint, region: TEST_REGION, credentials: { ...TEST_CREDENTIALS }, ...SDK_CLIENT_DEFAULTS };
  return new KinesisClient(kind === 'default client (HTTP/2)' ? config : { ...config, requestHandler: new NodeHttpHandler() });
}

describe.each(CLIENT_KINDS)("core's callAws through the FaultProxy to kinesalite, with a %s", (kind) => {
  let stack: TestStack;
  let target: FaultProxyOptions['target'];
  const proxies: FaultProxy[] = [];
  const clients: KinesisClient[] = [];

  beforeAll(() => {
    stack = getTestStack();
    const url = new URL(stack.kinesis.endpoint);
    target = { host: url.hostname, port: Number(url.port) };
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(proxies.splice(0).map((proxy) => proxy.stop()));
  });
  afterAll(() => stack.destroy());

  async function proxied(options: Partial<FaultProxyOptions> = {}): Promise<{ proxy: FaultProxy; client: KinesisClient }> {
    const proxy = await FaultProxy.start({ target, ...options });
    proxies.push(proxy);
    const client = toolkitClient(kind, proxy.endpoint);
    clients.push(client);
    return { proxy, client };
  }

  it('blackholed: every attempt is abandoned at its deadline, and the call rejects with AwsRequestError DEADLINE_EXCEEDED after the configured 3 attempts', async () => {
    const { proxy, client } = await proxied();
    proxy.setBlackhole(true);
    const retries: RetryEvent[] = [];
    const error = await callAws(client, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: TIMEOUT_MS, retry: retryPolicy(), onRetry: (event) => retries.push(event) }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'DEADLINE_EXCEEDED', kind: 'transient', retryable: true, attempts: 3, service: 'Kinesis', operation: 'ListStreams' });
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2]);
    // The requests did reach the proxy and vanished there.
    expect(proxy.stats.bytesDropped.upstream).toBeGreaterThan(0);
    expect(proxy.stats.bytesForwarded.upstream).toBe(0);
  });

  it('reset twice: the resets are retried under the policy and the third attempt succeeds', async () => {
    let resetsLeft = 2;
    // Whatever chunk comes first on a connection is reset while resets are left; then all pass.
    const { proxy, client } = await proxied({ random: () => (resetsLeft-- > 0 ? 0 : 0.99) });
    proxy.setResetRate(0.5, 'upstream');
    const retries: RetryEvent[] = [];
    const output = await callAws(client, new ListStreamsCommand({}), { service: 'Kinesis', timeoutMs: 2_000, retry: retryPolicy(), onRetry: (event) => retries.push(event) });
    expect(output.StreamNames).toBeInstanceOf(Array);
    expect(proxy.stats.resets).toBe(2);
    expect(retries.map((retry) => retry.attempt)).toEqual([1, 2]);
  });

  it('a fatal error (a stream that does not exist) is not retried: AwsRequestError ResourceNotFoundException after 1 attempt', async () => {
    const { client } = await proxied();
    const error = await callAws(client, new DescribeStreamSummaryCommand({ StreamName: uniqueName('missing') }), {
      service: 'Kinesis',
      timeoutMs: 2_000,
      retry: retryPolicy(),
    }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(AwsRequestError);
    expect(error).toMatchObject({ code: 'ResourceNotFoundException', kind: 'fatal', retryable: false, attempts: 1 });
  });
});
