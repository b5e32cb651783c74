import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

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
 * 429s and mapping errors); `requestStatus` fails whole requests.
 */
export class LocalBulkEndpoint {
  readonly documents = new Map<string, StoredDocument>();
  readonly requests: { path: string; contentType: string | undefined; documents: number }[] = [];
  answer: (source: Record<string, unknown>, index: string) => DocumentAnswer = () => 'index';
  requestStatus: number | undefined;
  #nextId = 0;

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  static async start(): Promise<LocalBulkEndpoint> {
    const holder: { endpoint?: LocalBulkEndpoint } = {};
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => holder.endpoint!.handle(request.url ?? '', request.headers['content-type'], Buffer.concat(chunks).toString('utf8'), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.endpoint = new LocalBulkEndpoint(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.endpoint;
  }

  private handle(path: string, contentType: string | undefined, body: string, response: import('node:http').ServerResponse): void {
    const send = (status: number, value: unknown): void => void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    if (path !== '/_bulk') return send(404, { error: 'no such endpoint' });
    const lines = body.split('\n').filter((line) => line !== '');
    this.requests.push({ path, contentType, documents: lines.length / 2 });
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
