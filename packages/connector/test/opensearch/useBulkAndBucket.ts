import type { S3Client } from '@aws-sdk/client-s3';
import { createBucket, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { LocalBulkEndpoint } from './LocalBulkEndpoint';

/** What {@link useBulkAndBucket} provides; set by its hooks (read it inside tests, not at load). */
export interface BulkAndBucket {
  /** The integ project's local stack. */
  stack: TestStack;
  /** The stack's s3rver client. */
  s3: S3Client;
  /** A bucket of this test file's own. */
  bucket: string;
  /** A fresh local `_bulk` stand-in (not OpenSearch) for each test. */
  bulk: LocalBulkEndpoint;
}

/**
 * Registers the hooks an OpenSearchEmitter integration test file needs: the local stack and a
 * bucket (named after `bucketTag`) once, a local `_bulk` stand-in started and stopped around
 * each test. Call it at the top level of the file.
 */
export function useBulkAndBucket(bucketTag: string): BulkAndBucket {
  const fixture = {} as BulkAndBucket;
  beforeAll(async () => {
    fixture.stack = getTestStack();
    fixture.s3 = fixture.stack.s3.client;
    fixture.bucket = await createBucket(fixture.s3, uniqueName(bucketTag).toLowerCase());
  });
  beforeEach(async () => {
    fixture.bulk = await LocalBulkEndpoint.start();
  });
  afterEach(() => fixture.bulk.stop());
  afterAll(() => fixture.stack?.destroy());
  return fixture;
}
