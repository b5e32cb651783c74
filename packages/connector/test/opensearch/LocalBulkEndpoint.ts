import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySigV4, type SigV4Expectation } from './SigV4Verifier';

/** A stored document. */
export interface StoredDocument {
  readonly index: string;
  readonly id: string;
  readonly source: Record<string, unknown>;
}

/** How the endpoint answers one document: index it, or an item error with this status. */
export type DocumentAnswer = { readonly status: number; readonly type: string; readonly reason: string } | 'index';

/**
 * A local endpoint implementing the OpenSearch / Elasticsearch `_bulk` protocol (no OpenSearch
 * server is available here): NDJSON action/document pairs, `index` actions with `_index` and an
 * optional `_id`, a `{took, errors, items}` answer with one status per item. Indexing the same id
 * again overwrites (status 200) as the real one does. `answer` decides per document (to inject
 * 429s and mapping errors); `requestStatus` fails whole requests. Started with `sigV4`, it checks
 * every request's SigV4 signature as Amazon OpenSearch Service does (recomputed with the secret it
 * knows, by `verifySigV4`) and answers 403 with AWS's message when it does not match.
 */
export class LocalBulkEndpoint {
  readonly documents = new Map<string, StoredDocument>();
  readonly requests: { path: string; contentType: string | undefined; documents: number; signedBy?: string; signedHeaders?: readonly string[] }[] = [];
  /** Requests refused by the SigV4 check, with why. */
  readonly refused: string[] = [];
  answer: (source: Record<string, unknown>, index: string) => DocumentAnswer = () => 'index';
  requestStatus: number | undefined;
  #nextId = 0;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    private readonly sigV4: SigV4Expectation | undefined,
  ) {}

  static async start(options: { readonly sigV4?: SigV4Expectation } = {}): Promise<LocalBulkEndpoint> {
    const holder: { endpoint?: LocalBulkEndpoint } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => holder.endpoint!.handle(request.method ?? 'GET', request.url ?? '', request.headers, Buffer.concat(chunks), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.endpoint = new LocalBulkEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, options.sigV4);
    return holder.endpoint;
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, raw: Buffer, response: import('node:http').ServerResponse): void {
    const send = (status: number, value: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    let signature: { signedBy: string; signedHeaders: readonly string[] } | undefined;
    if (this.sigV4 !== undefined) {
      const verdict = verifySigV4({ method, url: path, headers, body: raw }, this.sigV4);
      if (!verdict.ok) {
        this.refused.push(verdict.message);
        return send(403, { message: verdict.message });
      }
      signature = { signedBy: verdict.accessKeyId, signedHeaders: verdict.signedHeaders };
    }
    if (path !== '/_bulk') return send(404, { error: 'no such endpoint' });
    const contentType = headers['content-type'];
    const lines = raw.toString('utf8').split('\n').filter((line) => line !== '');
    this.requests.push({ path, contentType, documents: lines.length / 2, ...signature });
    if (this.requestStatus !== undefined) return send(this.requestStatus, { error: { type: 'es_rejected_execution_exception', reason: 'injected' } });
    const items: unknown[] = [];
    for (let i = 0; i < lines.length; i += 2) {
      const action = (JSON.parse(lines[i]!) as { index: { _index: string; _id?: string } }).index;
      const source = JSON.parse(lines[i + 1]!) as Record<string, unknown>;
      const answer = this.answer(source, action._index);
      if (answer !== 'index') {
        items.push({ index: { _index: action._index, _id: action._id ?? null, status: answer.status, error: { type: answer.type, reason: answer.reason } } });
        continue;
      }
      const id = action._id ?? `auto-${this.#nextId++}`;
      const key = `${action._index}/${id}`;
      const existed = this.documents.has(key);
      this.documents.set(key, { index: action._index, id, source });
      items.push({ index: { _index: action._index, _id: id, status: existed ? 200 : 201, result: existed ? 'updated' : 'created' } });
    }
    send(200, { took: 1, errors: items.some((item) => (item as { index: { status: number } }).index.status >= 300), items });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
