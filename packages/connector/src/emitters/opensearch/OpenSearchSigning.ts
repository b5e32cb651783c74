import { InvalidArgumentError, rejectUnknownOptions, requireObject, requireOneOf, requireString } from '@kinesis-toolkit/core';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * SigV4 signing of every `_bulk` request (Amazon OpenSearch Service with IAM access, or
 * OpenSearch Serverless): the `signing` option of {@link OpenSearchEmitterOptions}.
 */
export interface OpenSearchSigningOptions {
  /** The domain's (or collection's) region: `eu-west-1`. Required. */
  readonly region?: string;
  /** `es` for an OpenSearch Service domain, `aoss` for an OpenSearch Serverless collection. @defaultValue `es` */
  readonly service?: 'es' | 'aoss';
  /**
   * Static credentials, or a provider (as an AWS SDK v3 client takes them).
   * @defaultValue the AWS SDK's default provider chain (environment, profile, SSO, web identity, container, instance role)
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Every default of {@link OpenSearchSigningOptions}. */
export const OPENSEARCH_SIGNING_DEFAULTS = Object.freeze({
  service: 'es' as 'es' | 'aoss',
  /** Undefined: the AWS SDK's default provider chain, created when the first request is signed. */
  credentials: undefined as AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined,
});

/** {@link OpenSearchSigningOptions}, validated. */
export interface ResolvedOpenSearchSigning {
  readonly region: string;
  readonly service: 'es' | 'aoss';
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
}

/**
 * Validates the `signing` option.
 * @throws InvalidArgumentError naming the field (`signing.region`, `signing.credentials.secretAccessKey`…).
 */
export function resolveOpenSearchSigning(value: unknown): ResolvedOpenSearchSigning {
  const signing = requireObject('signing', value) as OpenSearchSigningOptions;
  rejectUnknownOptions('signing', signing, ['region', 'service', 'credentials']);
  const region = requireString('signing.region', signing.region, { pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/, expected: 'an AWS region like eu-west-1' });
  const service = requireOneOf('signing.service', signing.service ?? OPENSEARCH_SIGNING_DEFAULTS.service, ['es', 'aoss'] as const);
  const credentials = signing.credentials;
  if (credentials !== undefined && typeof credentials !== 'function') {
    const identity = requireObject('signing.credentials', credentials) as Partial<AwsCredentialIdentity>;
    requireString('signing.credentials.accessKeyId', identity.accessKeyId, { minLength: 1 });
    // The secret is never echoed in the error, only its type.
    if (typeof identity.secretAccessKey !== 'string' || identity.secretAccessKey === '') {
      throw new InvalidArgumentError('signing.credentials.secretAccessKey', 'a non-empty string', typeof identity.secretAccessKey);
    }
    if (identity.sessionToken !== undefined && typeof identity.sessionToken !== 'string') {
      throw new InvalidArgumentError('signing.credentials.sessionToken', 'a string', typeof identity.sessionToken);
    }
  }
  return Object.freeze({ region, service, credentials });
}
