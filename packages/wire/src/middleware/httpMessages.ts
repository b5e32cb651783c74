// The parts of the SDK's HttpRequest / HttpResponse (from @smithy/protocol-http) the middleware
// touches, read structurally so that this package does not pin the SDK's own types.

/** An SDK HTTP request at the build step. */
export interface HttpRequestLike {
  hostname?: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** An SDK HTTP response at the deserialize step. */
export interface HttpResponseLike {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export const CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1';

/** Sets a header, replacing any spelling of its name the SDK put there first. */
export function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) delete headers[key];
  headers[name] = value;
}

/** A header's value, whatever the case of its name. */
export function headerOf(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

/** The media type of a response (`application/x-amz-cbor-1.1`), lower case, without parameters. */
export function mediaTypeOf(response: HttpResponseLike): string {
  return (headerOf(response.headers, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/** All of a response body: a Node stream, a web stream, or bytes already read. */
export async function collectBody(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    chunks.push(bytes);
    length += bytes.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
}
