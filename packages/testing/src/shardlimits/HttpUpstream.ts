import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { HttpReply } from './kinesisProtocol';

/** A client request whose body has been read in full. */
export interface BufferedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

// Hop-by-hop headers belong to one connection: each side of the proxy sets its own.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

/**
 * The target behind the proxy, reached over one keep-alive HTTP agent. Requests are either
 * streamed through untouched ({@link pipe}) or sent with a body the proxy has read, and perhaps
 * rewritten, and the answer read in full ({@link send}).
 */
export class HttpUpstream {
  readonly #url: URL;
  readonly #agent = new Agent({ keepAlive: true });

  constructor(target: string) {
    this.#url = new URL(target);
  }

  /**
   * Sends `request` with `body` in place of the one the client sent: the client's headers with
   * `Content-Length` (and `X-Amz-Content-SHA256`, if signed) made to fit. The signature no longer
   * matches a rewritten body; emulators do not check it.
   */
  send(request: BufferedRequest, body: Buffer = request.body): Promise<HttpReply> {
    const headers = withoutHopByHop(request.headers);
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    if (body !== request.body && typeof headers['x-amz-content-sha256'] === 'string') {
      headers['x-amz-content-sha256'] = createHash('sha256').update(body).digest('hex');
    }
    return new Promise<HttpReply>((resolve, reject) => {
      const upstream = this.#request(request.method, request.url, headers);
      upstream.on('error', reject);
      upstream.on('response', (response: IncomingMessage) => {
        readBody(response).then(
          (responseBody) => {
            const responseHeaders = withoutHopByHop(response.headers);
            delete responseHeaders['transfer-encoding'];
            delete responseHeaders['content-length'];
            resolve({ statusCode: response.statusCode ?? 502, headers: definedHeaders(responseHeaders), body: responseBody });
          },
          reject,
        );
      });
      upstream.end(body);
    });
  }

  /** Streams a request to the target and its answer back, byte for byte. */
  pipe(client: IncomingMessage, reply: ServerResponse, onError: (error: Error) => void): void {
    const upstream = this.#request(client.method ?? 'POST', client.url ?? '/', withoutHopByHop(client.headers));
    upstream.on('error', onError);
    upstream.on('response', (response: IncomingMessage) => {
      reply.writeHead(response.statusCode ?? 502, definedHeaders(withoutHopByHop(response.headers)));
      response.pipe(reply);
    });
    client.pipe(upstream);
  }

  /** Closes the idle connections to the target. */
  destroy(): void {
    this.#agent.destroy();
  }

  #request(method: string, path: string, headers: OutgoingHttpHeaders): ReturnType<typeof request> {
    return request({ host: this.#url.hostname, port: this.#url.port, method, path, headers, agent: this.#agent });
  }
}

/** Reads a whole message body. */
export function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

/** Writes a whole reply, with its `Content-Length`. */
export function writeReply(response: ServerResponse, reply: HttpReply): void {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.headers)) {
    if (name.toLowerCase() !== 'content-length') headers[name] = value;
  }
  headers['content-length'] = reply.body.length;
  response.writeHead(reply.statusCode, headers);
  response.end(reply.body);
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const kept: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}

function definedHeaders(headers: OutgoingHttpHeaders): Record<string, string | string[] | number> {
  const defined: Record<string, string | string[] | number> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  return defined;
}
