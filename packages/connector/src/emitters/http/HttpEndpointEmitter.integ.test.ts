import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ManualClock, waitFor } from '@kinesis-toolkit/testing';
import { makeBatch, retryOf } from '../../../test/emitters/makeBatch';
import { EmitterError } from '../EmitterError';
import { HttpEndpointEmitter } from './HttpEndpointEmitter';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: { requestId: string; timestamp: number; records: { data: string }[] };
}

type Behaviour = (response: ServerResponse, request: Received) => void;

/** A local endpoint that answers each request with the next scripted behaviour (default: a proper 200). */
let server: Server;
let url: string;
let received: Received[] = [];
let script: Behaviour[] = [];

const ok: Behaviour = (response, request) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ requestId: request.body.requestId, timestamp: Date.now() }));
};
const status = (code: number, errorMessage = 'nope'): Behaviour => (response, request) => {
  response.writeHead(code, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ requestId: request.body.requestId, timestamp: Date.now(), errorMessage }));
};
const dropConnection: Behaviour = (response) => response.socket?.destroy();
const wrongRequestId: Behaviour = (response) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ requestId: 'someone-else', timestamp: Date.now() }));
};
const neverAnswer: Behaviour = () => undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
      const entry = { headers: request.headers, body: JSON.parse(text) as Received['body'] };
      received.push(entry);
      (script.shift() ?? ok)(response, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/firehose?x=1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received = [];
  script = [];
});

const decoded = (request: Received): string[] => request.body.records.map((record) => Buffer.from(record.data, 'base64').toString());

describe('HttpEndpointEmitter against a local HTTP endpoint', () => {
  it('posts the Firehose request format with its headers, and succeeds on a 200 that echoes the request id', async () => {
    const emitter = new HttpEndpointEmitter({
      url,
      accessKey: 'secret-key',
      sourceArn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/test',
      commonAttributes: { env: 'test' },
      currentTimeMs: () => 1_700_000_000_123,
    });
    const batch = makeBatch(['{"a":1}', Buffer.from([0, 255, 10])]);

    await expect(emitter.emit(batch)).resolves.toEqual({ failed: [] });

    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.body).toEqual({
      requestId: HttpEndpointEmitter.requestIdFor(batch, batch.sources),
      timestamp: 1_700_000_000_123,
      records: [{ data: Buffer.from('{"a":1}').toString('base64') }, { data: Buffer.from([0, 255, 10]).toString('base64') }],
    });
    expect(request!.body.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'x-amz-firehose-protocol-version': '1.0',
      'x-amz-firehose-request-id': request!.body.requestId,
      'x-amz-firehose-access-key': 'secret-key',
      'x-amz-firehose-source-arn': 'arn:aws:firehose:us-east-1:123456789012:deliverystream/test',
      'x-amz-firehose-common-attributes': '{"commonAttributes":{"env":"test"}}',
    });
    expect(request!.headers['content-encoding']).toBeUndefined();
  });

  it('fails retryably on 500, 429, a dropped connection and a wrong request id, keeping the request id across the retries', async () => {
    script = [status(500), status(429, 'slow down'), dropConnection, wrongRequestId, ok];
    const emitter = new HttpEndpointEmitter({ url });
    const batch = makeBatch(['a', 'b', 'c']);

    const errors: unknown[] = [];
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      errors.push(await emitter.emit(retryOf(batch, [0, 1, 2], attempt)).catch((error: unknown) => error));
    }
    await expect(emitter.emit(retryOf(batch, [0, 1, 2], 5))).resolves.toEqual({ failed: [] });

    expect(errors.map((error) => error instanceof EmitterError && [error.code, error.retryable])).toEqual(Array(4).fill(['HttpDeliveryFailed', true]));
    expect((errors[0] as EmitterError).context).toMatchObject({ status: 500 });
    expect((errors[1] as EmitterError).message).toMatch(/status 429: slow down/);
    expect((errors[3] as EmitterError).message).toMatch(/requestId "someone-else"/);
    expect(received).toHaveLength(5);
    const ids = new Set(received.map((request) => request.headers['x-amz-firehose-request-id']));
    expect(ids.size).toBe(1);
    expect(new Set(received.map((request) => request.body.requestId))).toEqual(ids);
    expect(received.map(decoded)).toEqual(Array(5).fill(['a', 'b', 'c']));
  });

  it('gives a different request id to a different batch', () => {
    const one = makeBatch(['a'], { batchId: 'one' });
    expect(HttpEndpointEmitter.requestIdFor(one, one.sources)).not.toBe(HttpEndpointEmitter.requestIdFor({ ...one, batchId: 'two' }, one.sources));
  });

  it('fails non-retryably on a 4xx such as 400 or 413', async () => {
    script = [status(413, 'Payload too large')];
    const error = await new HttpEndpointEmitter({ url }).emit(makeBatch(['a'])).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'HttpDeliveryFailed', retryable: false, context: { status: 413 } });
  });

  it('gzips the body with Content-Encoding: gzip', async () => {
    await new HttpEndpointEmitter({ url, compression: 'gzip' }).emit(makeBatch(['x'.repeat(5000)]));
    expect(received[0]!.headers['content-encoding']).toBe('gzip');
    expect(Number(received[0]!.headers['content-length'])).toBeLessThan(500);
    expect(decoded(received[0]!)).toEqual(['x'.repeat(5000)]);
  });

  it('splits a large batch into requests in order and fails exactly the items of the failed request and after', async () => {
    script = [ok, status(503)];
    const emitter = new HttpEndpointEmitter({ url, maxRecordsPerRequest: 2 });
    const items = ['a', 'b', 'c', 'd', 'e'];
    const batch = makeBatch(items);

    const result = await emitter.emit(batch);

    expect(result.failed).toEqual(['c', 'd', 'e']);
    expect(received.map(decoded)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(new Set(received.map((request) => request.body.requestId)).size).toBe(2);

    // The pipeline retries what failed: the same records get the same request ids as before.
    const failedRequestId = received[1]!.body.requestId;
    received = [];
    await expect(emitter.emit(retryOf(batch, [2, 3, 4]))).resolves.toEqual({ failed: [] });
    expect(received.map(decoded)).toEqual([['c', 'd'], ['e']]);
    expect(received[0]!.body.requestId).toBe(failedRequestId);
  });

  it('times out a request that gets no answer, on the injected clock', async () => {
    script = [neverAnswer];
    const clock = new ManualClock();
    const emitter = new HttpEndpointEmitter({ url, clock, requestTimeoutMs: 5_000 });
    const outcome = emitter.emit(makeBatch(['a'])).catch((error: unknown) => error);
    await waitFor(() => received.length === 1, { timeoutMs: 5_000, intervalMs: 5, description: 'the request to arrive' });
    await clock.advance(4_999);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(await outcome).toMatchObject({ code: 'HttpDeliveryFailed', retryable: true, message: expect.stringMatching(/no response within 5000 ms/) });
  });

  it('fails retryably when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(new HttpEndpointEmitter({ url: `http://127.0.0.1:${port}/` }).emit(makeBatch(['a']))).rejects.toMatchObject({ code: 'HttpDeliveryFailed', retryable: true });
  });

  it('rejects bad options with an InvalidArgumentError naming the option', () => {
    expect(() => new HttpEndpointEmitter({})).toThrow('url: expected an http:// or https:// URL, got undefined');
    expect(() => new HttpEndpointEmitter({ url: 'ftp://x' })).toThrow('url: expected an http:// or https:// URL, got "ftp://x"');
    expect(() => new HttpEndpointEmitter({ url: 'not a url' })).toThrow('url: expected an http:// or https:// URL, got "not a url"');
    expect(() => new HttpEndpointEmitter({ url, accessKey: 'a\nb' })).toThrow(/accessKey/);
    expect(() => new HttpEndpointEmitter({ url, requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs: expected an integer in \[1, 2147483647\], got 0/);
  });
});
