import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../helpers/waitFor';
import { FaultProxy } from './FaultProxy';

/** An HTTP server that echoes request bodies and counts the requests it saw. */
async function startEchoServer(): Promise<{ server: Server; port: number; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      res.writeHead(200, { 'content-length': body.length === 0 ? 2 : body.length });
      res.end(body.length === 0 ? 'ok' : body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests: () => requests };
}

interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

/** One request on a fresh connection (no keep-alive), failing after `timeoutMs` of silence. */
function send(port: number, body = '', timeoutMs = 2_000): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent: false, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    req.end(body);
  });
}

/** A random source that replays `values`, then fails the test if asked for more. */
function scripted(...values: number[]): () => number {
  return () => {
    const next = values.shift();
    if (next === undefined) throw new Error('the scripted random source ran out');
    return next;
  };
}

describe('FaultProxy', () => {
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  let proxy: FaultProxy | undefined;

  beforeAll(async () => {
    echo = await startEchoServer();
  });
  afterAll(async () => {
    await new Promise((resolve) => echo.server.close(resolve));
  });
  afterEach(async () => {
    await proxy?.stop();
    proxy = undefined;
  });

  it('passes traffic through unchanged and counts it', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    expect(proxy.endpoint).toBe(`http://127.0.0.1:${proxy.port}`);
    const payload = 'x'.repeat(3 * 1024 * 1024);
    const reply = await send(proxy.port, payload);
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe(payload);
    const stats = proxy.stats;
    expect(stats.connectionsAccepted).toBe(1);
    expect(stats.bytesForwarded.upstream).toBeGreaterThan(payload.length);
    expect(stats.bytesForwarded.downstream).toBeGreaterThan(payload.length);
    expect(stats.resets).toBe(0);
    await waitFor(() => proxy!.stats.connectionsActive === 0, { timeoutMs: 2_000, description: 'the connection to close' });
  });

  it('adds latency per direction, keeping large bodies intact and in order', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setLatency({ upstreamMs: 120, downstreamMs: 80 });
    expect(proxy.faults.latencyMs).toEqual({ upstream: 120, downstream: 80 });
    const payload = Buffer.alloc(1024 * 1024, 'abcdefgh');
    const startedAt = performance.now();
    const reply = await send(proxy.port, payload.toString());
    const elapsedMs = performance.now() - startedAt;
    expect(reply.body.equals(payload)).toBe(true);
    // The request waits 120 ms on the way in and the reply 80 ms on the way out.
    expect(elapsedMs).toBeGreaterThanOrEqual(195);

    proxy.setLatency({ downstreamMs: 0 });
    expect(proxy.faults.latencyMs).toEqual({ upstream: 120, downstream: 0 });
  });

  it('blackholes requests upstream: the server never sees them and the client times out', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setBlackhole(true, 'upstream');
    const before = echo.requests();
    await expect(send(proxy.port, 'hello', 300)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(echo.requests()).toBe(before);
    expect(proxy.stats.bytesDropped.upstream).toBeGreaterThan(0);

    proxy.setBlackhole(false, 'upstream');
    await expect(send(proxy.port, 'hello')).resolves.toMatchObject({ status: 200 });
  });

  it('blackholes replies downstream: the server handles the request but the client hears nothing', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setBlackhole(true, 'downstream');
    const before = echo.requests();
    await expect(send(proxy.port, 'hello', 300)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(echo.requests()).toBe(before + 1);
    expect(proxy.stats.bytesDropped.downstream).toBeGreaterThan(0);
  });

  it('resets connections as the random source decides, and the client sees ECONNRESET', async () => {
    // Upstream only, so only request chunks draw: the first request draws 0.9 (passes), the second 0.1 (reset).
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port }, random: scripted(0.9, 0.1) });
    proxy.setResetRate(0.5, 'upstream');
    await expect(send(proxy.port)).resolves.toMatchObject({ status: 200 });
    await expect(send(proxy.port)).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(proxy.stats.resets).toBe(1);
  });

  it('resets every connection at a rate of 1 and none after reset()', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setResetRate(1);
    await expect(send(proxy.port)).rejects.toMatchObject({ code: 'ECONNRESET' });
    proxy.setLatency({ upstreamMs: 5 });
    proxy.setBlackhole(true, 'downstream');
    proxy.reset();
    expect(proxy.faults).toEqual({
      latencyMs: { upstream: 0, downstream: 0 },
      resetRate: { upstream: 0, downstream: 0 },
      blackhole: { upstream: false, downstream: false },
    });
    await expect(send(proxy.port)).resolves.toMatchObject({ status: 200 });
  });

  it('drops open connections on demand', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setBlackhole(true, 'downstream');
    const pending = send(proxy.port, 'hello', 5_000);
    await waitFor(() => echo.requests() > 0 && proxy!.stats.bytesDropped.downstream > 0, { description: 'the request to be served' });
    proxy.dropConnections();
    await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(proxy.stats.resets).toBe(1);
  });

  it('resets the client when the target refuses the connection', async () => {
    const closed = await startEchoServer();
    await new Promise((resolve) => closed.server.close(resolve));
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: closed.port } });
    await expect(send(proxy.port)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('closes open connections and stops listening on stop()', async () => {
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    proxy.setBlackhole(true, 'downstream');
    const pending = send(proxy.port, 'hello', 5_000);
    await waitFor(() => proxy!.stats.connectionsActive === 1, { description: 'a connection' });
    const { port } = proxy;
    await proxy.stop();
    await expect(pending).rejects.toThrow();
    await expect(send(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects bad settings with a TypeError', async () => {
    await expect(FaultProxy.start({} as never)).rejects.toThrow(TypeError);
    await expect(FaultProxy.start({ target: { host: '127.0.0.1', port: 0 } })).rejects.toThrow(
      'target.port: expected an integer in [1, 65535], got 0',
    );
    proxy = await FaultProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
    expect(() => proxy!.setResetRate(1.5)).toThrow('probability: expected a number in [0, 1], got 1.5');
    expect(() => proxy!.setLatency({ upstreamMs: -1 })).toThrow('upstreamMs: expected a number >= 0, got -1');
    expect(() => proxy!.setBlackhole(true, 'sideways' as never)).toThrow(TypeError);
  });
});
