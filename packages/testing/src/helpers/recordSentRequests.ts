import { requireObject } from '@kinesis-toolkit/core';

/** A request as an AWS SDK v3 client serialized it, just before sending. */
export interface SentRequest {
  readonly method: string;
  /** The path, URI-decoded (an S3 key as written). */
  readonly path: string;
  readonly query: Readonly<Record<string, unknown>>;
  readonly headers: Readonly<Record<string, string>>;
}

/** What {@link recordSentRequests} needs of a client: an SDK v3 client's middleware stack. */
export interface MiddlewareHost {
  readonly middlewareStack: { add(...args: never[]): unknown };
}

/**
 * Records each request `client` sends as the SDK serialized it — method, path, query and headers
 * — from a middleware at the end of the client's own stack (`finalizeRequest`, low priority), so
 * what is recorded is what goes on the wire. For checking what an emulator accepts but ignores
 * (s3rver and the `x-amz-server-side-encryption*` headers, for example).
 *
 * @returns the live list of requests, in order (empty it with `list.length = 0`).
 * @throws InvalidArgumentError when `client` has no middleware stack.
 */
export function recordSentRequests(client: MiddlewareHost): SentRequest[] {
  const stack = requireObject('client.middlewareStack', (client as { middlewareStack?: unknown } | undefined)?.middlewareStack) as {
    add(middleware: unknown, options: { step: 'finalizeRequest'; name: string; priority: 'low' }): void;
  };
  const sent: SentRequest[] = [];
  stack.add(
    (next: (args: { request: unknown }) => Promise<unknown>) => async (args: { request: unknown }) => {
      const request = args.request as { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string> };
      sent.push({ method: request.method, path: decodeURIComponent(request.path), query: { ...request.query }, headers: { ...request.headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name: 'recordSentRequests', priority: 'low' },
  );
  return sent;
}

/** The `x-amz-server-side-encryption*` headers of a sent request (what SSE settings put on the wire). */
export function serverSideEncryptionHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-amz-server-side-encryption')));
}
