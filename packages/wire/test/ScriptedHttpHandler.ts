// Test support: an SDK request handler that answers from a script instead of the
// network, recording each request as it was signed. The SDK client around it is the real one.
import { HttpRequest, HttpResponse } from '@smithy/core/protocols';

/** An answer the script gives. */
export interface ScriptedAnswer {
  readonly statusCode: number;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array | string;
}

/** A request as it left the client. */
export interface RecordedRequest {
  readonly hostname: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
  readonly original: HttpRequest;
}

export class ScriptedHttpHandler {
  readonly requests: RecordedRequest[] = [];

  constructor(private readonly script: (request: RecordedRequest) => ScriptedAnswer) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : (request.body as Uint8Array);
    // The body as sent, not a copy: the SDK never reuses it.
    const recorded = { hostname: request.hostname, headers: { ...request.headers }, body, original: HttpRequest.clone(request) };
    this.requests.push(recorded);
    const answer = this.script(recorded);
    const answerBody = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : (answer.body ?? new Uint8Array(0));
    return { response: new HttpResponse({ statusCode: answer.statusCode, headers: { 'x-amzn-requestid': 'req-1', ...answer.headers }, body: answerBody }) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}
