import { createHash } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { classifyAwsError, withDeadline, type Clock } from '@kinesis-toolkit/core';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { EmitterError } from '../EmitterError';
import type { ResolvedOpenSearchSigning } from './OpenSearchSigning';
import { Sha256 } from './Sha256';

/**
 * Signs `_bulk` requests with AWS Signature Version 4 for Amazon OpenSearch Service (`es`) or
 * OpenSearch Serverless (`aoss`): `host`, `x-amz-date`, `x-amz-content-sha256` (the payload's
 * SHA-256, which both services require) and, with temporary credentials,
 * `x-amz-security-token` are signed; `authorization` carries the signature. Credentials come from
 * the `signing.credentials` given, else the AWS SDK's default provider chain (refreshed by it).
 */
export class OpenSearchRequestSigner {
  readonly #signer: SignatureV4;
  readonly #timeoutMs: number;
  readonly #clock: Clock;

  constructor(signing: ResolvedOpenSearchSigning, options: { readonly timeoutMs: number; readonly clock: Clock }) {
    const credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = signing.credentials ?? lazyDefaultProvider();
    this.#signer = new SignatureV4({ service: signing.service, region: signing.region, credentials, sha256: Sha256, uriEscapePath: true });
    this.#timeoutMs = options.timeoutMs;
    this.#clock = options.clock;
  }

  /**
   * The headers to send for a POST of `body` to `url`: the given ones plus the signature's.
   * Loading credentials has the request's deadline.
   * @throws EmitterError `SigningFailed` when no credentials could be loaded (or signing failed).
   */
  async sign(url: URL, headers: Readonly<Record<string, string>>, body: Buffer): Promise<Record<string, string>> {
    const request = {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port !== '' ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      // The host header is set here, and sent as signed (node would write the same one).
      headers: { ...headers, host: url.host, 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') },
      body,
    };
    try {
      const signed = await withDeadline(`SigV4 signing for ${url.host}`, this.#timeoutMs, () => this.#signer.sign(request), { clock: this.#clock });
      return signed.headers;
    } catch (error) {
      throw new EmitterError('SigningFailed', `could not sign the _bulk request to ${url.host} (SigV4): ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { endpoint: url.origin },
      });
    }
  }
}

/** The SDK's default chain, created when first asked (creating it reads no file and makes no call). */
function lazyDefaultProvider(): AwsCredentialIdentityProvider {
  let provider: AwsCredentialIdentityProvider | undefined;
  return (properties) => (provider ??= defaultProvider())(properties);
}
