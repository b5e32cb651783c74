import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { serverSideEncryptionHeaders, type SentRequest } from '@kinesis-toolkit/testing';
import { useRecordingS3 } from '../../../test/s3/useRecordingS3';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { FirehoseS3Emitter } from './FirehoseS3Emitter';

// Server-side encryption settings. s3rver accepts the x-amz-server-side-encryption* headers but
// does not encrypt: what is proven here is what the real SDK serializes onto the wire (captured by
// a middleware at the end of the SDK's own stack), and that s3rver then stores the object.

const fixture = useRecordingS3('firehose-sse');
let s3: S3Client;
let bucket: string;
let sent: SentRequest[];
beforeEach(() => ({ s3, bucket, sent } = fixture));

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('FirehoseS3Emitter server-side encryption (s3rver does not apply encryption: the test checks the serialized requests)', () => {
  it('KMSEncryptionConfig: PutObject carries x-amz-server-side-encryption: aws:kms and the key ARN; the object is stored', async () => {
    sent.length = 0;
    const emitter = new FirehoseS3Emitter({ client: s3, bucket, deliveryStreamName: 'kms', prefix: 'kms/', kmsKeyArn: KEY });
    await emitter.emit(makeBatch([Buffer.from('a\n'), Buffer.from('b\n')]));
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(serverSideEncryptionHeaders(puts[0]!.headers)).toEqual({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY });
    const [key] = ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'kms/' }))).Contents ?? []).map((o) => o.Key!);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()).toBe('a\nb\n');
  });

  it('KMSEncryptionConfig on a multipart upload: CreateMultipartUpload carries the SSE-KMS headers (UploadPart takes none)', async () => {
    sent.length = 0;
    const emitter = new FirehoseS3Emitter({ client: s3, bucket, deliveryStreamName: 'kms-mp', prefix: 'kms-mp/', kmsKeyArn: KEY, multipartThresholdBytes: 5 * 1024 * 1024, partSizeBytes: 5 * 1024 * 1024 });
    await emitter.emit(makeBatch([Buffer.alloc(6 * 1024 * 1024, 1)]));
    const create = sent.filter((r) => r.method === 'POST' && 'uploads' in r.query);
    const parts = sent.filter((r) => r.method === 'PUT' && 'partNumber' in r.query);
    expect(create).toHaveLength(1);
    expect(serverSideEncryptionHeaders(create[0]!.headers)).toEqual({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY });
    expect(parts.length).toBe(2);
    for (const part of parts) expect(serverSideEncryptionHeaders(part.headers)).toEqual({});
  });

  it('NoEncryptionConfig (no kmsKeyArn): no server-side-encryption header at all', async () => {
    sent.length = 0;
    const emitter = new FirehoseS3Emitter({ client: s3, bucket, deliveryStreamName: 'plain', prefix: 'plain/' });
    await emitter.emit(makeBatch([Buffer.from('a\n')]));
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(serverSideEncryptionHeaders(puts[0]!.headers)).toEqual({});
  });
});
