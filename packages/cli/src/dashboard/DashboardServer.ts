import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Clock, TimerHandle } from '@kinesis-toolkit/core';
import { isLoopbackHost } from './DashboardOptions';
import type { DashboardSnapshot } from './DashboardSnapshot';

/** The page's files: plain HTML, JS and CSS, no build step (shipped in the package as they are). */
export const STATIC_DIRECTORY = resolve(__dirname, '..', '..', 'src', 'dashboard', 'static');

const FILES: Record<string, { readonly file: string; readonly type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

/** What the server shows: a {@link DashboardMonitor} or a fake of one. */
export interface SnapshotFeed {
  snapshot(): DashboardSnapshot;
  subscribe(listener: (snapshot: DashboardSnapshot) => void): () => void;
}

/** Options of a {@link DashboardServer}. */
export interface DashboardServerOptions {
  readonly host: string;
  readonly port: number;
  /** Accept requests whose `Host` header is not a loopback name (the host was allowed to be remote). */
  readonly allowRemote: boolean;
  readonly clock: Clock;
  /** Event-stream connections at once; more get 503. @defaultValue 32 */
  readonly maxClients?: number;
  /** A comment line on idle event streams this often, so proxies keep them open. @defaultValue 15000 */
  readonly keepAliveMs?: number;
  /**
   * An event stream whose reader lets more than this many bytes pile up unsent is closed (the
   * browser reconnects and gets the latest snapshot), so a stalled tab cannot grow the server's
   * memory without bound. @defaultValue 4194304 (4 MiB)
   */
  readonly maxBufferedBytes?: number;
}

/**
 * The dashboard's web server (node:http, no framework): `GET /` the page, `/dashboard.js`,
 * `/dashboard.css`, `/api/snapshot` the latest snapshot as JSON, and `/api/events` a Server-Sent
 * Events stream that sends the latest snapshot at once and every new one after (event
 * `snapshot`). Only GET and HEAD. Listening on loopback, it answers only requests addressed to a
 * loopback name (`Host: 127.0.0.1:…`, `localhost:…`, `[::1]:…`), so a web page elsewhere cannot
 * read it through DNS rebinding.
 */
export class DashboardServer {
  readonly #feed: SnapshotFeed;
  readonly #options: Required<DashboardServerOptions>;
  readonly #files = new Map<string, { readonly body: Buffer; readonly type: string }>();
  readonly #clients = new Set<ServerResponse>();
  readonly #server: Server;
  #url: string | undefined;
  #viewerArrived!: () => void;
  /** Resolves when the first event stream opens: someone is watching. */
  readonly firstViewer = new Promise<void>((resolve) => (this.#viewerArrived = resolve));

  constructor(feed: SnapshotFeed, options: DashboardServerOptions) {
    this.#feed = feed;
    this.#options = { maxClients: 32, keepAliveMs: 15_000, maxBufferedBytes: 4 * 1024 * 1024, ...options };
    for (const [path, { file, type }] of Object.entries(FILES)) this.#files.set(path, { body: readFileSync(join(STATIC_DIRECTORY, file)), type });
    this.#server = createServer((request, response) => this.#handle(request, response));
  }

  /** Starts listening; resolves with the page's URL (`http://127.0.0.1:PORT/`). */
  listen(): Promise<string> {
    return new Promise((resolveUrl, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', reject);
        const { address, port } = this.#server.address() as AddressInfo;
        this.#url = `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
        resolveUrl(this.#url);
      });
    });
  }

  /** The page's URL once listening. */
  get url(): string | undefined {
    return this.#url;
  }

  /** Event-stream connections open now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Ends the event streams and stops listening. */
  close(): Promise<void> {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
    return new Promise((done) => {
      this.#server.close(() => done());
      this.#server.closeAllConnections();
    });
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', 'http://dashboard').pathname;
    if (!this.#options.allowRemote && !isLoopbackHost(hostnameOf(request.headers.host))) return plain(response, 403, 'This dashboard answers only requests addressed to a loopback name (127.0.0.1, localhost, [::1]).');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return plain(response, 405, 'Only GET and HEAD.');
    }
    const file = this.#files.get(path);
    if (file !== undefined) return send(response, 200, file.type, file.body, request.method === 'HEAD');
    if (path === '/api/snapshot') return send(response, 200, 'application/json; charset=utf-8', Buffer.from(JSON.stringify(this.#feed.snapshot())), request.method === 'HEAD');
    if (path === '/api/events') return this.#events(request, response);
    return plain(response, 404, 'Not found.');
  }

  #events(request: IncomingMessage, response: ServerResponse): void {
    if (this.#clients.size >= this.#options.maxClients) return plain(response, 503, `Too many open dashboards (${this.#options.maxClients}).`);
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
    if (request.method === 'HEAD') return void response.end();
    this.#clients.add(response);
    this.#viewerArrived();
    const clock = this.#options.clock;
    let keepAlive: TimerHandle | undefined;
    const scheduleKeepAlive = () => {
      clock.clearTimeout(keepAlive);
      keepAlive = clock.setTimeout(() => {
        response.write(': keep-alive\n\n');
        scheduleKeepAlive();
      }, this.#options.keepAliveMs);
    };
    const push = (snapshot: DashboardSnapshot) => {
      if (response.writableLength > this.#options.maxBufferedBytes) {
        response.destroy();
        return;
      }
      response.write(`event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`);
      scheduleKeepAlive();
    };
    // The browser reconnects after 2 s if the stream breaks.
    response.write('retry: 2000\n\n');
    push(this.#feed.snapshot());
    const unsubscribe = this.#feed.subscribe(push);
    response.on('close', () => {
      unsubscribe();
      clock.clearTimeout(keepAlive);
      this.#clients.delete(response);
    });
  }
}

function hostnameOf(host: string | undefined): string {
  if (host === undefined) return '';
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(host);
  if (bracketed !== null) return bracketed[1]!;
  return host.replace(/:\d+$/, '');
}

function send(response: ServerResponse, status: number, type: string, body: Buffer, headOnly: boolean): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': body.length });
  response.end(headOnly ? undefined : body);
}

function plain(response: ServerResponse, status: number, message: string): void {
  send(response, status, 'text/plain; charset=utf-8', Buffer.from(`${message}\n`), false);
}
