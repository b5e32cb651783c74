import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { serverSideEncryptionHeaders, type SentRequest } from '@kinesis-toolkit/testing';
import { useRecordingS3 } from '../../../test/s3/useRecordingS3';
import type { FailureRecord } from '../../failures/FailureRecord';
import { S3FailureSink } from './S3FailureSink';

// The failure sink's server-side encryption and time zone against s3rver. s3rver accepts the
// x-amz-server-side-encryption* headers but does not encrypt: what is proven is what the real SDK
// serializes onto the wire (captured by a middleware at the end of the SDK's own stack), and that
// s3rver then stores the object under the key in the zone.

const fixture = useRecordingS3('failure-sse');
let s3: S3Client;
let bucket: string;
let sent: SentRequest[];
beforeEach(() => ({ s3, bucket, sent } = fixture));

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
// 2024-05-01 20:30 UTC: 2024-05-02 02:00 in Kolkata.
const records: FailureRecord[] = [
  {
    attemptsMade: 0,
    arrivalTimestamp: Date.UTC(2024, 4, 1, 20, 30),
    errorCode: 'ProcessingFailed',
    errorMessage: 'the Lambda answered ProcessingFailed',
    attemptEndingTimestamp: Date.UTC(2024, 4, 1, 20, 31),
    rawData: Buffer.from('{"n":1}').toString('base64'),
    kinesisRecordMetadata: { shardId: 'shardId-000000000001', partitionKey: 'k', sequenceNumber: '7', subsequenceNumber: 0, approximateArrivalTimestamp: Date.UTC(2024, 4, 1, 20, 30) },
  },
];

describe('S3FailureSink encryption and time zone (s3rver does not apply encryption: the test checks the serialized requests)', () => {
  it('kmsKeyArn: PutObject carries x-amz-server-side-encryption: aws:kms and the key ARN; customTimeZone: the key is under Kolkata’s hour; the object is stored', async () => {
    sent.length = 0;
    const sink = new S3FailureSink({ client: s3, bucket, errorPrefix: 'kms/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/', customTimeZone: 'Asia/Kolkata', kmsKeyArn: KEY });
    await sink.put(records);
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(serverSideEncryptionHeaders(puts[0]!.headers)).toEqual({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY });
    const key = 'kms/processing-failed/2024/05/02/02/shardId-000000000001-7-0-7-0.jsonl';
    expect(JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString())).toMatchObject({ errorCode: 'ProcessingFailed', rawData: records[0]!.rawData });
  });

  it('no kmsKeyArn: no server-side-encryption header at all', async () => {
    sent.length = 0;
    await new S3FailureSink({ client: s3, bucket, errorPrefix: 'plain/' }).put(records);
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(serverSideEncryptionHeaders(puts[0]!.headers)).toEqual({});
  });
});
