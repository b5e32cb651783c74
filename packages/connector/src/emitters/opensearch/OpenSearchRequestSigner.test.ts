import { createHash } from 'node:crypto';
import { DeadlineExceededError, ManualClock } from '@kinesis-toolkit/core';
import { verifySigV4 } from '../../../test/opensearch/SigV4Verifier';
import { EmitterError } from '../EmitterError';
import { OpenSearchRequestSigner } from './OpenSearchRequestSigner';

const KEY = { accessKeyId: 'AKIDUNIT', secretAccessKey: 'unit-secret' };
const url = new URL('https://search-logs.eu-west-1.es.amazonaws.com/_bulk');
const body = Buffer.from('{"index":{"_index":"logs"}}\n{"n":1}\n');

describe('OpenSearchRequestSigner (SigV4 for _bulk; no server)', () => {
  it('signs host, x-amz-content-sha256 (the body’s SHA-256) and x-amz-date; an independent SigV4 check with the secret accepts it, another secret does not', async () => {
    const signer = new OpenSearchRequestSigner({ region: 'eu-west-1', service: 'es', credentials: KEY }, { timeoutMs: 1000, clock: new ManualClock() });
    const headers = await signer.sign(url, { 'Content-Type': 'application/x-ndjson' }, body);
    expect(headers).toMatchObject({
      host: 'search-logs.eu-west-1.es.amazonaws.com',
      'x-amz-content-sha256': createHash('sha256').update(body).digest('hex'),
      'Content-Type': 'application/x-ndjson',
    });
    expect(headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDUNIT\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
    const request = { method: 'POST', url: '/_bulk', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body };
    expect(verifySigV4(request, { region: 'eu-west-1', service: 'es', secrets: { AKIDUNIT: 'unit-secret' } })).toMatchObject({ ok: true });
    expect(verifySigV4(request, { region: 'eu-west-1', service: 'es', secrets: { AKIDUNIT: 'other' } })).toMatchObject({ ok: false });
    expect(verifySigV4({ ...request, body: Buffer.from('{"index":{"_index":"logs"}}\n{"n":2}\n') }, { region: 'eu-west-1', service: 'es', secrets: { AKIDUNIT: 'unit-secret' } })).toMatchObject({ ok: false, message: expect.stringMatching(/x-amz-content-sha256/) });
  });

  it('a credentials provider that fails: EmitterError SigningFailed with the provider’s error as cause', async () => {
    const failure = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    const signer = new OpenSearchRequestSigner({ region: 'eu-west-1', service: 'es', credentials: () => Promise.reject(failure) }, { timeoutMs: 1000, clock: new ManualClock() });
    const error = await signer.sign(url, {}, body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmitterError);
    expect(error).toMatchObject({ code: 'SigningFailed', cause: failure, context: { endpoint: 'https://search-logs.eu-west-1.es.amazonaws.com' } });
    expect((error as Error).message).toMatch(/could not sign the _bulk request to search-logs\.eu-west-1\.es\.amazonaws\.com \(SigV4\): Could not load credentials/);
  });

  it('a credentials provider that never answers: SigningFailed once the request deadline passes (no hang)', async () => {
    const clock = new ManualClock();
    const signer = new OpenSearchRequestSigner({ region: 'eu-west-1', service: 'aoss', credentials: () => new Promise(() => undefined) }, { timeoutMs: 5000, clock });
    const outcome = signer.sign(url, {}, body).catch((e: unknown) => e);
    await clock.advance(5000);
    const error = await outcome;
    expect(error).toMatchObject({ code: 'SigningFailed' });
    expect((error as EmitterError).cause).toBeInstanceOf(DeadlineExceededError);
  });
});
