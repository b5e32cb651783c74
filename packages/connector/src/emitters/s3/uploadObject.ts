import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { callAws, type AwsClientLike, type Clock, type Logger } from '@kinesis-toolkit/core';

/** S3's smallest part (all but the last part of a multipart upload): 5 MiB. */
export const MIN_PART_SIZE_BYTES = 5 * 1024 * 1024;
/** S3's largest number of parts in one multipart upload. */
export const MAX_PARTS = 10_000;

/** What {@link uploadObject} writes. */
export interface ObjectUpload {
  readonly bucket: string;
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  /** SSE-KMS under this key (PutObject / CreateMultipartUpload `ServerSideEncryption: 'aws:kms'` + `SSEKMSKeyId`); none: the bucket's default. */
  readonly kmsKeyId?: string;
  /** Bodies larger than this go up in parts. */
  readonly multipartThresholdBytes: number;
  /** The size of each part but the last (≥ {@link MIN_PART_SIZE_BYTES}). */
  readonly partSizeBytes: number;
  /** Each request's deadline. */
  readonly timeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * Writes one object: a single PutObject, or — above the threshold — CreateMultipartUpload,
 * UploadPart for each `partSizeBytes` slice, CompleteMultipartUpload. A multipart upload that
 * fails is aborted (so its parts do not linger and cost), and the error is rethrown. Every request
 * goes through core's `callAws` with the upload's deadline and no retries of its own (the
 * pipeline retries the batch): a failure is an `AwsRequestError` classified by core.
 */
export async function uploadObject(client: S3Client, upload: ObjectUpload): Promise<void> {
  const { bucket, key, body, contentType } = upload;
  const encryption = upload.kmsKeyId === undefined ? {} : { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: upload.kmsKeyId };
  const send = <C extends object>(command: C) =>
    callAws(client as AwsClientLike, command, { service: 'S3', timeoutMs: upload.timeoutMs, clock: upload.clock, context: { bucket, key } });
  if (body.length <= upload.multipartThresholdBytes) {
    await send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, ...encryption }));
    return;
  }
  // Grow the parts if the body would need more than S3's 10,000.
  const partSize = Math.max(upload.partSizeBytes, Math.ceil(body.length / MAX_PARTS));
  const created = await send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: contentType, ...encryption }));
  const uploadId = created.UploadId;
  if (uploadId === undefined) throw new Error(`CreateMultipartUpload for ${key} returned no UploadId`);
  try {
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    for (let offset = 0, partNumber = 1; offset < body.length; offset += partSize, partNumber += 1) {
      const part = await send(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: partNumber,
          Body: body.subarray(offset, Math.min(offset + partSize, body.length)),
        }),
      );
      parts.push({ ETag: part.ETag, PartNumber: partNumber });
    }
    await send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
    );
  } catch (error) {
    try {
      await send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
    } catch (abortError) {
      // The original error matters more; a lifecycle rule can clean up what the abort left.
      upload.logger.warn({ bucket, key, uploadId, error: String(abortError) }, 'could not abort a failed multipart upload');
    }
    throw error;
  }
}
