import { Agent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server as HttpServer } from 'node:http';
import { constants as http2Constants, createServer as createHttp2Server, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { pipeline } from 'node:stream';
import type { Logger } from '@kinesis-toolkit/core';
import { ServerStartError } from '../errors/ServerStartError';
import { formatHost } from '../net/formatHost';
import { sniffProtocol, type WireProtocol } from './sniffProtocol';

/** Options of {@link ProtocolFront.start}. */
export interface ProtocolFrontOptions {
  /** The server behind the front, for messages: `kinesalite`, `kinesis-mock`. */
  readonly name: string;
  /** The address the front listens on. */
  readonly host: string;
  /** The port the front listens on; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** The HTTP/1.1 server behind the front: HTTP/2 requests are forwarded to it over HTTP/1.1. */
  readonly target: { readonly host: string; readonly port: number };
  /**
   * The target itself, when it runs in this process: HTTP/1.1 connections are handed to it as they
   * are (no second hop). Without it they are piped to `target` byte for byte.
   */
  readonly http1Server?: HttpServer | undefined;
  /** Receives forwarding trouble at debug level. */
  readonly logger: Logger;
}

/** What a {@link ProtocolFront} has served. */
export interface ProtocolFrontStats {
  /** Connections by the protocol they spoke. */
  readonly connections: Readonly<Record<WireProtocol, number>>;
  /** HTTP/2 requests forwarded. */
  readonly http2Requests: number;
}

// Connection-specific headers HTTP/2 forbids (RFC 9113 §8.2.2), and `host`, which `:authority` replaces.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'host', 'http2-settings']);
// Flow-control windows larger than HTTP/2's 64 KiB default, so that a multi-megabyte PutRecords
// body is not sent in 64 KiB steps, each waiting for a WINDOW_UPDATE.
const STREAM_WINDOW_BYTES = 8 * 1024 * 1024;
const SESSION_WINDOW_BYTES = 32 * 1024 * 1024;

/**
 * One port that speaks both HTTP/2 (cleartext, prior knowledge: what the AWS SDK's default
 * `NodeHttp2Handler` does for an `http://` endpoint) and HTTP/1.1, in front of a server that
 * speaks HTTP/1.1 only (kinesalite, kinesis-mock's plain port). Each connection's first bytes
 * decide: the HTTP/2 preface goes to an HTTP/2 server that forwards every stream as an HTTP/1.1
 * request (bodies streamed both ways, so a long `SubscribeToShard` response flows as it comes);
 * anything else is HTTP/1.1 and goes to the target untouched.
 */
export class ProtocolFront {
  readonly #server: Server;
  readonly #http2: Http2Server;
  readonly #options: ProtocolFrontOptions;
  readonly #agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
  readonly #sockets = new Set<Socket>();
  readonly #connections: Record<WireProtocol, number> = { h2: 0, 'http/1.1': 0 };
  #http2Requests = 0;
  #stopping: Promise<void> | undefined;
  /** The port the front listens on. */
  readonly port: number;

  private constructor(server: Server, options: ProtocolFrontOptions) {
    this.#server = server;
    this.#options = options;
    this.port = (server.address() as AddressInfo).port;
    this.#http2 = createHttp2Server({ settings: { initialWindowSize: STREAM_WINDOW_BYTES } });
    this.#http2.on('session', (session) => {
      session.on('error', (error) => this.#options.logger.debug({ server: options.name, error: String(error) }, 'front: HTTP/2 session failed'));
      // Only the connection-level window is not covered by `settings`.
      session.on('connect', () => session.setLocalWindowSize(SESSION_WINDOW_BYTES));
    });
    this.#http2.on('stream', (stream, headers) => this.#forward(stream, headers));
    server.on('connection', (socket: Socket) => this.#accept(socket));
  }

  /**
   * Listens on a free port of `options.host`.
   * @throws ServerStartError when the port cannot be bound.
   */
  static async start(options: ProtocolFrontOptions): Promise<ProtocolFront> {
    const server = createServer({ allowHalfOpen: false });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      throw new ServerStartError(options.name, `its HTTP/2 + HTTP/1.1 front could not listen on ${options.host}: ${(error as Error).message}`, { cause: error });
    }
    return new ProtocolFront(server, options);
  }

  /** `http://HOST:PORT` of the front. */
  get endpoint(): string {
    return `http://${formatHost(this.#options.host)}:${this.port}`;
  }

  /** A snapshot of the counters. */
  get stats(): ProtocolFrontStats {
    return { connections: { ...this.#connections }, http2Requests: this.#http2Requests };
  }

  /** Stops listening and closes every connection it accepted. Safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      for (const socket of this.#sockets) socket.destroy();
      this.#agent.destroy();
    });
    return this.#stopping;
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.setNoDelay(true);
    sniffProtocol(socket, (protocol) => {
      this.#connections[protocol] += 1;
      if (protocol === 'h2') this.#http2.emit('connection', socket);
      else if (this.#options.http1Server !== undefined) this.#options.http1Server.emit('connection', socket);
      else this.#pipe(socket);
    });
  }

  /** HTTP/1.1 to an out-of-process target: bytes both ways, ends and errors passed on. */
  #pipe(socket: Socket): void {
    const upstream = connect({ host: this.#options.target.host, port: this.#options.target.port });
    upstream.setNoDelay(true);
    const onError = (error: Error): void => {
      this.#options.logger.debug({ server: this.#options.name, error: String(error) }, 'front: HTTP/1.1 connection failed');
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', onError);
    upstream.on('error', onError);
    socket.pipe(upstream);
    upstream.pipe(socket);
  }

  /** One HTTP/2 stream as one HTTP/1.1 request on a kept-alive connection to the target. */
  #forward(stream: ServerHttp2Stream, headers: IncomingHttpHeaders & Record<string, string | string[] | undefined>): void {
    this.#http2Requests += 1;
    const upstream = httpRequest({
      host: this.#options.target.host,
      port: this.#options.target.port,
      agent: this.#agent,
      method: headers[':method'] as string,
      path: headers[':path'] as string,
      headers: { ...withoutHopByHop(headers), host: (headers[':authority'] as string | undefined) ?? `${this.#options.target.host}:${this.#options.target.port}` },
    });
    let responded = false;
    stream.on('error', (error) => this.#options.logger.debug({ server: this.#options.name, error: String(error) }, 'front: HTTP/2 stream failed'));
    // A client that gives up (deadline, abort, end of a subscription) ends the upstream request too.
    stream.once('close', () => {
      if (!responded) upstream.destroy();
    });
    upstream.on('response', (response) => {
      responded = true;
      if (stream.destroyed) {
        response.destroy();
        return;
      }
      stream.respond({ ...withoutHopByHop(response.headers), ':status': response.statusCode ?? 502 });
      pipeline(response, stream, () => undefined);
    });
    upstream.on('error', (error) => {
      if (stream.destroyed) return;
      if (stream.headersSent) {
        stream.close(http2Constants.NGHTTP2_INTERNAL_ERROR);
        return;
      }
      // Before any answer: a 5xx in the target's own error format, which clients retry.
      const body = JSON.stringify({ __type: 'InternalFailure', message: `${this.#options.name} did not answer: ${error.message}` });
      stream.respond({ ':status': 502, 'content-type': 'application/x-amz-json-1.1', 'content-length': Buffer.byteLength(body) });
      stream.end(body);
    });
    stream.pipe(upstream);
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !name.startsWith(':') && !HOP_BY_HOP.has(name)) kept[name] = value;
  }
  return kept;
}
