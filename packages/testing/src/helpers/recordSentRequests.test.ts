import { Readable } from 'node:stream';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { recordSentRequests } from './recordSentRequests';

// The real SDK serializes; a request handler of our own answers 200 without any server.

function offlineS3Client(): S3Client {
  return new S3Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    endpoint: 'http://127.0.0.1:1',
    forcePathStyle: true,
    maxAttempts: 1,
    requestHandler: { handle: async () => ({ response: { statusCode: 200, headers: {}, body: Readable.from([]) } }) } as never,
  });
}

describe('recordSentRequests', () => {
  it('records each request as serialized and signed (method, decoded path, headers), in order', async () => {
    const client = offlineS3Client();
    const sent = recordSentRequests(client);
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'a key/x.json', Body: '{}', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'k' }));
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'second', Body: '' }));
    expect(sent.map((r) => [r.method, r.path])).toEqual([
      ['PUT', '/b/a key/x.json'],
      ['PUT', '/b/second'],
    ]);
    expect(sent[0]!.headers).toMatchObject({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'k', authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 /) });
    client.destroy();
  });

  it('refuses something that is not an SDK client', () => {
    expect(() => recordSentRequests({} as never)).toThrow(InvalidArgumentError);
  });
});
