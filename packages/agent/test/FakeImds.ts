import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake IMDS serves. */
export interface FakeImdsContent {
  readonly identity: Record<string, string>;
  /** Instance tags; undefined: tags are not exposed in the metadata (404). */
  readonly tags?: Record<string, string>;
}

/**
 * A local stand-in for the EC2 instance metadata service (there is no EC2 here): IMDSv2 only —
 * GETs without the session token from `PUT /latest/api/token` are refused with 401, as IMDS does
 * when IMDSv2 is required. `silent: true` accepts connections and never answers (a blackholed IMDS).
 */
export class FakeImds {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    /** Every request, as `METHOD /path`, in order. */
    readonly requests: string[],
  ) {}

  static async start(content: FakeImdsContent, options: { silent?: boolean } = {}): Promise<FakeImds> {
    const token = 'fake-token-' + Math.random().toString(36).slice(2);
    const seen: string[] = [];
    const server = createServer((request, response) => {
      seen.push(`${request.method} ${request.url}`);
      if (options.silent) return;
      const send = (status: number, body: string) => response.writeHead(status, { 'content-type': 'text/plain' }).end(body);
      if (request.method === 'PUT' && request.url === '/latest/api/token') {
        if (request.headers['x-aws-ec2-metadata-token-ttl-seconds'] === undefined) return send(400, 'missing ttl');
        return send(200, token);
      }
      if (request.headers['x-aws-ec2-metadata-token'] !== token) return send(401, 'Unauthorized');
      if (request.url === '/latest/dynamic/instance-identity/document') return send(200, JSON.stringify(content.identity));
      if (content.tags !== undefined && request.url === '/latest/meta-data/tags/instance') return send(200, Object.keys(content.tags).join('\n'));
      const prefix = '/latest/meta-data/tags/instance/';
      if (content.tags !== undefined && request.url?.startsWith(prefix)) {
        const value = content.tags[decodeURIComponent(request.url.slice(prefix.length))];
        if (value !== undefined) return send(200, value);
      }
      send(404, 'Not Found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeImds(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An instance identity document as IMDS returns it. */
export const IDENTITY = Object.freeze({
  accountId: '123456789012',
  architecture: 'x86_64',
  availabilityZone: 'eu-west-1b',
  imageId: 'ami-0123456789abcdef0',
  instanceId: 'i-0123456789abcdef0',
  instanceType: 'm5.large',
  privateIp: '10.0.1.23',
  region: 'eu-west-1',
});
