import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KinesisToolkitError, type Clock } from '@kinesis-toolkit/core';

/** What came back from {@link postJson}: the status and the body (at most `maxResponseBytes`). */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** Why {@link postJson} got no complete response (`code` is `HttpTimeout`, `HttpResponseTooLarge` or `HttpNetworkError`). */
export class HttpTransportError extends KinesisToolkitError {
  constructor(
    message: string,
    /** `timeout`, `tooLarge`, or `network` (a refused or dropped connection). */
    readonly reason: 'timeout' | 'tooLarge' | 'network',
    options: { cause?: unknown } = {},
  ) {
    super(reason === 'timeout' ? 'HttpTimeout' : reason === 'tooLarge' ? 'HttpResponseTooLarge' : 'HttpNetworkError', message, { retryable: reason !== 'tooLarge', cause: options.cause });
  }
}

/** Sends one POST and reads the whole response, failing it when `timeoutMs` passes on `clock`. */
export function postJson(
  url: URL,
  headers: Record<string, string>,
  body: Buffer,
  { clock, timeoutMs, maxResponseBytes }: { clock: Clock; timeoutMs: number; maxResponseBytes: number },
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      outcome();
    };
    const request = send(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(body.length) } }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxResponseBytes) {
          request.destroy();
          finish(() => reject(new HttpTransportError(`response body over ${maxResponseBytes} bytes`, 'tooLarge')));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish(() => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') })));
      response.on('error', (error) => finish(() => reject(new HttpTransportError(`response failed: ${error.message}`, 'network', { cause: error }))));
    });
    const timer = clock.setTimeout(() => {
      finish(() => reject(new HttpTransportError(`no response within ${timeoutMs} ms`, 'timeout')));
      request.destroy();
    }, timeoutMs);
    request.on('error', (error) => finish(() => reject(new HttpTransportError(`request failed: ${error.message}`, 'network', { cause: error }))));
    request.end(body);
  });
}
