import { headerOf } from './httpMessages';

/** Why an endpoint is taken to have refused a CBOR request. */
export interface Refusal {
  readonly statusCode: number;
  /** The error code of the answer, when it had one. */
  readonly errorCode: string | undefined;
  readonly reason: string;
}

// Error codes with which an AWS-style endpoint says it could not read the request at all.
const REFUSAL_CODES = new Set(['UnknownOperationException', 'SerializationException', 'UnsupportedMediaTypeException']);

/**
 * Whether an error answer to a CBOR request says "I cannot read CBOR" — HTTP 415; HTTP 404
 * (kinesalite and kinesis-mock answer an unknown content type with 404 `<UnknownOperationException/>`);
 * an `UnknownOperationException`, `SerializationException` or `UnsupportedMediaTypeException` —
 * rather than a verdict on the request (throttling, a missing stream…). In all three the endpoint
 * did nothing, so sending the request again as JSON repeats no write. Undefined when not a refusal.
 *
 * @param jsonBody the error body as JSON (a CBOR one already re-encoded), or the raw bytes.
 */
export function refusalOf(statusCode: number, answeredInCbor: boolean, jsonBody: Uint8Array, headers: Record<string, string | undefined>): Refusal | undefined {
  const errorCode = errorCodeOf(jsonBody, headers);
  if (statusCode === 415) return { statusCode, errorCode, reason: 'HTTP 415 Unsupported Media Type' };
  if (statusCode === 404 && !answeredInCbor) return { statusCode, errorCode, reason: `HTTP 404${errorCode === undefined ? '' : ` ${errorCode}`} to a CBOR request` };
  if (errorCode !== undefined && REFUSAL_CODES.has(errorCode)) return { statusCode, errorCode, reason: `${errorCode} to a CBOR request` };
  return undefined;
}

// As the SDK reads it: the x-amzn-errortype header, else `__type` / `code` in the body, without
// a `namespace#` prefix or a `:reason` suffix; else an XML root element (`<UnknownOperationException/>`).
function errorCodeOf(body: Uint8Array, headers: Record<string, string | undefined>): string | undefined {
  const sanitize = (code: string): string => code.split(':')[0]!.split('#').pop()!.trim();
  const header = headerOf(headers, 'x-amzn-errortype');
  if (header !== undefined && header !== '') return sanitize(header);
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8').trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as { __type?: unknown; code?: unknown; Output?: { __type?: unknown } };
      const code = parsed.__type ?? parsed.code ?? parsed.Output?.__type;
      return typeof code === 'string' && code !== '' ? sanitize(code) : undefined;
    } catch {
      return undefined;
    }
  }
  return /^<([A-Za-z][\w.]*)[\s/>]/.exec(text)?.[1];
}
