import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { callAws, RetryPolicy } from '@kinesis-toolkit/core';

/** Each GetObject attempt's deadline. */
const GET_OBJECT_TIMEOUT_MS = 10_000;

/**
 * Loads a reference table's S3 object (KDA's S3ReferenceDataSource): pass as `ReferenceSource.load`.
 * GetObject goes through core's `callAws` (a deadline per attempt, the one classifier, the default
 * retry policy); what still fails rejects with an AwsRequestError naming the bucket and key.
 */
export function s3ReferenceLoader(client: S3Client, bucket: string, key: string, retry: RetryPolicy = new RetryPolicy()): () => Promise<Buffer> {
  return async () => {
    const response = await callAws(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { service: 'S3', timeoutMs: GET_OBJECT_TIMEOUT_MS, retry, context: { bucket, key } });
    if (response.Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return Buffer.from(await response.Body.transformToByteArray());
  };
}
