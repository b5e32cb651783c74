import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** What a SigV4-checking stand-in accepts: the region, the service and the secret of each access key. */
export interface SigV4Expectation {
  readonly region: string;
  readonly service: string;
  readonly secrets: Readonly<Record<string, string>>;
  /** Epoch milliseconds now (a signature more than 15 minutes off is refused). @defaultValue `Date.now` */
  readonly now?: () => number;
}

/** A request as the server saw it. */
export interface ReceivedRequest {
  readonly method: string;
  /** The request target: path and query, as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type SigV4Verdict = { readonly ok: true; readonly accessKeyId: string; readonly signedHeaders: readonly string[] } | { readonly ok: false; readonly message: string };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
// RFC 3986: everything but unreserved characters is percent-encoded (what SigV4 wants).
const encode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Recomputes a request's AWS Signature Version 4 from the secret the server knows — written here
 * from the published algorithm (canonical request, string to sign, derived signing key), sharing
 * no code with the signer under test — and says whether the signature matches. The payload hash
 * must be sent in `x-amz-content-sha256` (as OpenSearch Service requires) and match the body.
 */
export function verifySigV4(request: ReceivedRequest, expected: SigV4Expectation): SigV4Verdict {
  const header = (name: string): string | undefined => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const match = AUTHORIZATION.exec(header('authorization') ?? '');
  if (match === null) return { ok: false, message: 'Authorization header requires a SigV4 Credential, SignedHeaders and Signature' };
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string, string];
  const secret = expected.secrets[accessKeyId];
  if (secret === undefined) return { ok: false, message: 'The security token included in the request is invalid.' };
  if (region !== expected.region || service !== expected.service) return { ok: false, message: `Credential should be scoped to a valid region and service (${expected.region}/${expected.service}), got ${region}/${service}` };
  const amzDate = header('x-amz-date') ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date) return { ok: false, message: 'x-amz-date is missing or does not match the credential scope date' };
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  if (Math.abs((expected.now ?? Date.now)() - signedAt) > 15 * 60_000) return { ok: false, message: 'Signature expired' };
  const payloadHash = header('x-amz-content-sha256');
  if (payloadHash === undefined) return { ok: false, message: 'x-amz-content-sha256 is required' };
  if (payloadHash !== sha256(request.body)) return { ok: false, message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  const signedHeaders = signedHeaderList.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
    if (!signedHeaders.includes(required)) return { ok: false, message: `${required} must be a signed header` };
  }
  if (header('x-amz-security-token') !== undefined && !signedHeaders.includes('x-amz-security-token')) return { ok: false, message: 'x-amz-security-token must be signed' };

  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  const canonicalUri = rawPath.split('/').map((segment) => encode(segment)).join('/');
  const canonicalQuery = rawQuery === '' ? '' : rawQuery.split('&').map((pair) => pair.split('=', 2).map((part) => encode(decodeURIComponent(part ?? ''))).join('=')).sort().join('&');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${(header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const canonicalRequest = [request.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaderList, payloadHash].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const computed = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  if (!timingSafeEqual(computed, Buffer.from(signature, 'hex'))) {
    return { ok: false, message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.' };
  }
  return { ok: true, accessKeyId, signedHeaders };
}
