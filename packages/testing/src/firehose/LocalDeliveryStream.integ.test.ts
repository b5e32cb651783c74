import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../aws/clientConfig';
import { createBucket } from '../helpers/createBucket';
import { recordSentRequests, serverSideEncryptionHeaders, type SentRequest } from '../helpers/recordSentRequests';
import { createStream } from '../helpers/createStream';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';
import { planDeliveryStream } from './deliveryStreamConfig';
import { LocalDeliveryStream } from './LocalDeliveryStream';

// One delivery stream of the local Firehose endpoint on kinesalite and s3rver, given an S3 client
// of the real SDK whose serialized requests are captured (s3rver accepts the
// x-amz-server-side-encryption* headers but does not encrypt: the headers are what is checked).

let stack: TestStack;
let s3: S3Client;
let sent: SentRequest[];

beforeAll(() => {
  stack = getTestStack();
  s3 = createS3Client(stack.s3.endpoint);
  sent = recordSentRequests(s3);
});
afterAll(() => {
  s3?.destroy();
  stack?.destroy();
});

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const pad = (n: number) => String(n).padStart(2, '0');
// Kolkata has no DST: a fixed UTC+05:30, computed without Intl.
const kolkataHour = (date: Date) => {
  const k = new Date(date.getTime() + 5.5 * 3_600_000);
  return `${k.getUTCFullYear()}/${pad(k.getUTCMonth() + 1)}/${pad(k.getUTCDate())}/${pad(k.getUTCHours())}/`;
};

describe('LocalDeliveryStream', () => {
  it('records the Lambda fails go to the error prefix in the stream’s CustomTimeZone with its SSE-KMS key (s3rver does not apply encryption: the serialized PutObject headers are checked)', async () => {
    const bucket = await createBucket(stack.s3.client, uniqueName('fh-fail').toLowerCase());
    const name = uniqueName('failzone');
    const backingStream = `firehose-${name}`;
    await createStream(stack.kinesis.client, backingStream);
    const lambdaArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    const plan = planDeliveryStream(
      {
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          BucketARN: `arn:aws:s3:::${bucket}`,
          RoleARN: 'r',
          Prefix: 'out/',
          ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
          CustomTimeZone: 'Asia/Kolkata',
          EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KEY } },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn }] }] },
        },
      },
      {
        glueTables: new Map(),
        lambdas: new Map([[lambdaArn, (event) => ({ records: event.records.map(({ recordId, data }) => ({ recordId, result: Buffer.from(data, 'base64').toString().startsWith('fail') ? ('ProcessingFailed' as const) : ('Ok' as const), data })) })]]),
      },
    );
    const stream = new LocalDeliveryStream(name, backingStream, plan, { kinesis: stack.kinesis.client, s3 });
    await stream.start();
    const before = new Date();
    try {
      expect(await stream.put([Buffer.from('ok-1\n'), Buffer.from('fail-2\n')])).toEqual([{ recordId: expect.any(String) }, { recordId: expect.any(String) }]);
      const failedKeys = async () => ((await stack.s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'err/' }))).Contents ?? []).map((o) => o.Key!);
      await waitFor(async () => (await failedKeys()).length > 0, { timeoutMs: 20_000, intervalMs: 200, description: 'the failed record under the error prefix' });
      const after = new Date();
      const [key] = await failedKeys();
      expect([kolkataHour(before), kolkataHour(after)].some((hour) => key!.startsWith(`err/processing-failed/${hour}`))).toBe(true);
      const body = await (await stack.s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      expect(Buffer.from((JSON.parse(body) as { rawData: string }).rawData, 'base64').toString()).toBe('fail-2\n');
      const put = sent.find((r) => r.method === 'PUT' && r.path.endsWith(`/${key}`));
      expect(put).toBeDefined();
      expect(serverSideEncryptionHeaders(put!.headers)).toEqual({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY });
    } finally {
      await stream.stop();
    }
  });
});
