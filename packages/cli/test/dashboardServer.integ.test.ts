import { request, type IncomingMessage } from 'node:http';
import { SYSTEM_CLOCK } from '@kinesis-toolkit/core';
import { DashboardServer, type SnapshotFeed } from '../src/dashboard/DashboardServer';
import type { DashboardSnapshot } from '../src/dashboard/DashboardSnapshot';

// The dashboard's HTTP server on a real socket, fed by a fake feed (no AWS here).

const snapshot = (takenAtMs: number): DashboardSnapshot =>
  ({ streamName: 'st', applicationName: 'app', takenAtMs, shards: [], edges: [], columns: 0, orphanLeases: [], workers: [], problems: [], calls: [] }) as unknown as DashboardSnapshot;

class FakeFeed implements SnapshotFeed {
  latest = snapshot(1);
  readonly listeners = new Set<(s: DashboardSnapshot) => void>();
  snapshot = () => this.latest;
  subscribe(listener: (s: DashboardSnapshot) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  publish(next: DashboardSnapshot) {
    this.latest = next;
    for (const listener of this.listeners) listener(next);
  }
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.host !== undefined ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the event stream and resolves with the first `count` snapshot events' data. */
function events(url: string, count: number, onOpen: () => void = () => undefined): Promise<{ data: DashboardSnapshot[]; contentType: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}api/events`, (res) => {
      let buffer = '';
      const data: DashboardSnapshot[] = [];
      res.setEncoding('utf8');
      onOpen();
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const line = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: snapshot') && line !== undefined) data.push(JSON.parse(line.slice(6)) as DashboardSnapshot);
          if (data.length === count) {
            req.destroy();
            resolve({ data, contentType: res.headers['content-type'] });
            return;
          }
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DashboardServer (real HTTP on loopback; fake snapshot feed)', () => {
  let feed: FakeFeed;
  let server: DashboardServer;
  let url: string;
  beforeEach(async () => {
    feed = new FakeFeed();
    server = new DashboardServer(feed, { host: '127.0.0.1', port: 0, allowRemote: false, clock: SYSTEM_CLOCK, maxClients: 2 });
    url = await server.listen();
  });
  afterEach(() => server.close());

  it('serves the page, its script and its stylesheet with a strict content security policy', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script src="dashboard.js" defer></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await get(`${url}dashboard.js`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await get(`${url}dashboard.css`)).body).toContain('#problems');
  });

  it('gives the latest snapshot as JSON', async () => {
    feed.latest = snapshot(42);
    const answer = await get(`${url}api/snapshot`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ streamName: 'st', takenAtMs: 42 });
  });

  it('streams the latest snapshot at once and every published one after it (Server-Sent Events)', async () => {
    feed.latest = snapshot(7);
    const received = await events(url, 2, () => setImmediate(() => feed.publish(snapshot(8))));
    expect(received.contentType).toBe('text/event-stream; charset=utf-8');
    expect(received.data.map((s) => s.takenAtMs)).toEqual([7, 8]);
  });

  it('answers 403 to a request addressed to another host name (DNS rebinding), 405 to POST, 404 elsewhere', async () => {
    const port = new URL(url).port;
    expect((await get(url, { host: `attacker.example:${port}` })).status).toBe(403);
    expect((await get(url, { host: `localhost:${port}` })).status).toBe(200);
    expect((await get(url, { host: `[::1]:${port}` })).status).toBe(200);
    const post = await get(`${url}api/snapshot`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await get(`${url}../../package.json`)).status).toBe(404);
    expect((await get(`${url}static/index.html`)).status).toBe(404);
  });

  it('refuses event streams beyond maxClients with 503', async () => {
    const open: Promise<unknown>[] = [];
    const opened: (() => void)[] = [];
    for (let i = 0; i < 2; i++) open.push(new Promise<void>((resolve) => opened.push(resolve)).then(() => undefined));
    const streams = opened.map((resolve) => {
      const req = request(`${url}api/events`, () => resolve());
      req.end();
      return req;
    });
    await Promise.all(open);
    expect(server.clients).toBe(2);
    expect((await get(`${url}api/events`)).status).toBe(503);
    for (const req of streams) req.destroy();
  });
});

describe('DashboardServer with a reader that stops reading', () => {
  it('closes that event stream once more than maxBufferedBytes pile up, instead of buffering without bound', async () => {
    const feed = new FakeFeed();
    const server = new DashboardServer(feed, { host: '127.0.0.1', port: 0, allowRemote: false, clock: SYSTEM_CLOCK, maxBufferedBytes: 64 * 1024 });
    const url = await server.listen();
    try {
      const stalled = await new Promise<IncomingMessage>((resolve) => request(`${url}api/events`, resolve).end());
      stalled.pause();
      const big = { ...snapshot(2), padding: 'x'.repeat(1024 * 1024) } as unknown as DashboardSnapshot;
      // Bounded: the kernel's socket buffers take a few MiB before the server's own buffer grows.
      for (let i = 0; i < 200 && server.clients > 0; i++) {
        feed.publish(big);
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect(server.clients).toBe(0);
      stalled.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('DashboardServer with allowRemote', () => {
  it('answers requests addressed to any host name', async () => {
    const server = new DashboardServer(new FakeFeed(), { host: '127.0.0.1', port: 0, allowRemote: true, clock: SYSTEM_CLOCK });
    const url = await server.listen();
    try {
      expect((await get(url, { host: 'dashboard.internal:80' })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
