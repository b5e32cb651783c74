import { requireString } from '@kinesis-toolkit/core';

// KMSEncryptionConfig.AWSKMSKeyARN's pattern and length in the Firehose API.
const KMS_KEY_ARN = /^arn:.*:kms:[a-zA-Z0-9-]+:\d{12}:(key|alias)\/[a-zA-Z_0-9+=,.@\-/]+$/;

/**
 * Validates Firehose's `AWSKMSKeyARN` (undefined: no encryption).
 * @throws InvalidArgumentError naming `name`.
 */
export function requireKmsKeyArn(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return requireString(name, value, { maxLength: 512, pattern: KMS_KEY_ARN, expected: 'a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (or …:alias/NAME), at most 512 characters' });
}
