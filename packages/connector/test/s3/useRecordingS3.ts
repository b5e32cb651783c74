import type { S3Client } from '@aws-sdk/client-s3';
import { createBucket, createS3Client, getTestStack, recordSentRequests, uniqueName, type SentRequest, type TestStack } from '@kinesis-toolkit/testing';

/** What {@link useRecordingS3} provides; set by its hooks (read it inside tests, not at load). */
export interface RecordingS3 {
  /** The integ project's local stack. */
  stack: TestStack;
  /** A client of this file's own to s3rver, whose requests are recorded in `sent`. */
  s3: S3Client;
  /** A bucket of this test file's own. */
  bucket: string;
  /** Every request `s3` sent, as serialized (testing's `recordSentRequests`). */
  sent: SentRequest[];
}

/**
 * Registers the hooks of a test file that checks what an S3 writer puts on the wire (s3rver
 * accepts the `x-amz-server-side-encryption*` headers but does not encrypt): the local stack, a
 * recording client and a bucket (named after `bucketTag`) once. Call it at the top level of the file.
 */
export function useRecordingS3(bucketTag: string): RecordingS3 {
  const fixture = {} as RecordingS3;
  beforeAll(async () => {
    fixture.stack = getTestStack();
    fixture.s3 = createS3Client(fixture.stack.s3.endpoint);
    fixture.sent = recordSentRequests(fixture.s3);
    fixture.bucket = await createBucket(fixture.stack.s3.client, uniqueName(bucketTag).toLowerCase());
  });
  afterAll(() => {
    fixture.s3?.destroy();
    fixture.stack?.destroy();
  });
  return fixture;
}
