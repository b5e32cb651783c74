import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** Loads a reference table's S3 object (KDA's S3ReferenceDataSource): pass as `ReferenceSource.load`. */
export function s3ReferenceLoader(client: S3Client, bucket: string, key: string): () => Promise<Buffer> {
  return async () => {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (response.Body === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return Buffer.from(await response.Body.transformToByteArray());
  };
}
