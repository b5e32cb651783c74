import { CreateBucketCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { requireAwsClient, requireString } from '@kinesis-toolkit/core';
import { waitFor, type WaitForOptions } from './waitFor';

/**
 * Creates a bucket and waits until HeadBucket finds it (at once on s3rver; on real S3 it can
 * take a moment). Pair it with {@link uniqueName}, since bucket names are global.
 *
 * @returns the bucket name, for chaining.
 */
export async function createBucket(client: S3Client, bucketName: string, wait: WaitForOptions = {}): Promise<string> {
  requireAwsClient('client', client);
  requireString('bucketName', bucketName);
  await client.send(new CreateBucketCommand({ Bucket: bucketName }));
  await waitFor(async () => Boolean(await client.send(new HeadBucketCommand({ Bucket: bucketName }))), {
    timeoutMs: 10_000,
    intervalMs: 20,
    description: `bucket ${bucketName} to exist`,
    ...wait,
  });
  return bucketName;
}
