import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  FirehoseClient,
  ListDeliveryStreamsCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
} from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { clientConfigFor } from '../aws/clientConfig';
import { createBucket } from '../helpers/createBucket';
import { getTestStack, type TestStack } from '../helpers/getTestStack';
import { uniqueName } from '../helpers/uniqueName';
import { waitFor } from '../helpers/waitFor';
import { LocalFirehose } from './LocalFirehose';

// The local Firehose endpoint on the jest stack's kinesalite and s3rver, driven by the unmodified
// @aws-sdk/client-firehose; what it delivers is read back from S3 (gzip with zlib, Parquet with DuckDB).

let stack: TestStack;
let s3: S3Client;
let local: LocalFirehose;
let firehose: FirehoseClient;
let dir: string;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  local = await LocalFirehose.start({ kinesisEndpoint: stack.kinesis.endpoint, s3Endpoint: stack.s3.endpoint });
  firehose = new FirehoseClient(clientConfigFor(local.endpoint));
  dir = await mkdtemp(join(tmpdir(), 'kt-local-firehose-'));
});
afterAll(async () => {
  firehose.destroy();
  await local.stop();
  stack.destroy();
  await rm(dir, { recursive: true, force: true });
});

async function objects(bucket: string, prefix = ''): Promise<{ key: string; body: Buffer }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Promise.all(
    (listed.Contents ?? []).map(async ({ Key }) => ({ key: Key!, body: Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray()) })),
  );
}
const record = (value: unknown) => ({ Data: Buffer.from(`${JSON.stringify(value)}\n`) });
const hourPrefix = (date: Date) => `${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${String(date.getUTCDate()).padStart(2, '0')}/${String(date.getUTCHours()).padStart(2, '0')}/`;

describe('LocalFirehose driven by the unmodified @aws-sdk/client-firehose', () => {
  it('creates, describes, lists and deletes delivery streams, with Firehose’s errors', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-api').toLowerCase());
    const name = uniqueName('api');
    const created = await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'arn:aws:iam::000000000000:role/firehose' } }));
    expect(created.DeliveryStreamARN).toBe(`arn:aws:firehose:us-east-1:000000000000:deliverystream/${name}`);
    const { DeliveryStreamDescription: description } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    expect(description).toMatchObject({ DeliveryStreamName: name, DeliveryStreamStatus: 'ACTIVE', DeliveryStreamType: 'DirectPut', Destinations: [{ ExtendedS3DestinationDescription: { BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 } } }] });
    expect((await firehose.send(new ListDeliveryStreamsCommand({}))).DeliveryStreamNames).toContain(name);
    await expect(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: name, ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r' } }))).rejects.toMatchObject({ name: 'ResourceInUseException' });
    await expect(firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: Array.from({ length: 501 }, () => ({ Data: Buffer.from('x') })) }))).rejects.toMatchObject({ name: 'InvalidArgumentException', message: expect.stringMatching(/at most 500 records/) });
    await expect(firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.alloc(1_024_001) } }))).rejects.toMatchObject({ name: 'InvalidArgumentException', message: expect.stringMatching(/1,000 KiB/) });
    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: name }));
    await expect(firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('bad'), ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', BufferingHints: { SizeInMBs: 200 } } }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: expect.stringMatching(/bufferingHints\.sizeInMBs: expected an integer in \[1, 128\]/),
    });
  });

  it('PutRecordBatch: every record delivered once, GZIP, under the default yyyy/MM/dd/HH/ prefix with Firehose’s object name', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-gzip').toLowerCase());
    const name = uniqueName('gzip');
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', Prefix: 'events/', CompressionFormat: 'GZIP', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
    }));
    const before = new Date();
    const sent = Array.from({ length: 1200 }, (_, n) => ({ n }));
    for (let i = 0; i < sent.length; i += 500) {
      const answer = await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: sent.slice(i, i + 500).map(record) }));
      expect(answer.FailedPutCount).toBe(0);
      expect(answer.RequestResponses?.every((r) => typeof r.RecordId === 'string')).toBe(true);
    }
    await waitFor(async () => (await objects(bucket)).flatMap((o) => gunzipSync(o.body).toString().trim().split('\n')).length >= sent.length, { timeoutMs: 20_000, intervalMs: 200, description: 'every record in S3' });
    const written = await objects(bucket);
    for (const object of written) expect(object.key).toMatch(new RegExp(`^events/${hourPrefix(before)}${name}-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}\\.gz$`));
    const received = written.flatMap((o) => gunzipSync(o.body).toString().trim().split('\n')).map((line) => (JSON.parse(line) as { n: number }).n);
    expect(received.sort((a, b) => a - b)).toEqual(sent.map((r) => r.n));
  });

  it('CustomTimeZone Asia/Kolkata: objects land under Kolkata’s yyyy/MM/dd/HH/ (UTC+05:30) with Kolkata’s time in the name; an unknown zone is refused', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-tz').toLowerCase());
    const name = uniqueName('tz');
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', Prefix: 'tz/', CustomTimeZone: 'Asia/Kolkata', BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
    }));
    const kolkata = (date: Date) => new Date(date.getTime() + 5.5 * 3_600_000); // no DST: a fixed offset, computed without Intl
    const before = new Date();
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [record({ n: 1 })] }))).FailedPutCount).toBe(0);
    await waitFor(async () => (await objects(bucket)).length > 0, { timeoutMs: 20_000, intervalMs: 200, description: 'the object in S3' });
    const after = new Date();
    const [object] = await objects(bucket);
    const stamp = (date: Date) => `${hourPrefix(date)}${name}-1-${hourPrefix(date).replaceAll('/', '-')}`;
    expect([stamp(kolkata(before)), stamp(kolkata(after))].some((start) => object!.key.startsWith(`tz/${start}`))).toBe(true);
    await expect(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: uniqueName('tz-bad'), ExtendedS3DestinationConfiguration: { BucketARN: `arn:aws:s3:::${bucket}`, RoleARN: 'r', CustomTimeZone: 'EST' } }))).rejects.toMatchObject({
      name: 'InvalidArgumentException',
      message: expect.stringMatching(/^CustomTimeZone: expected an IANA time zone name/),
    });
  });

  it('source record backup: a Lambda processor’s output goes to the destination, the records as put (before the Lambda) to the S3BackupConfiguration bucket and prefix, GZIP', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-dest').toLowerCase());
    const backup = await createBucket(s3, uniqueName('fh-raw').toLowerCase());
    const name = uniqueName('backup');
    const lambdaArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    local.registerLambda(lambdaArn, (event) => ({
      records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok' as const, data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase()).toString('base64') })),
    }));
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        RoleARN: 'r',
        Prefix: 'out/',
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn }] }] },
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: { BucketARN: `arn:aws:s3:::${backup}`, RoleARN: 'r', Prefix: 'src/', CompressionFormat: 'GZIP' },
      },
    }));
    const { DeliveryStreamDescription: description } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
    expect(description?.Destinations?.[0]?.ExtendedS3DestinationDescription).toMatchObject({ S3BackupMode: 'Enabled', S3BackupDescription: { BucketARN: `arn:aws:s3:::${backup}`, Prefix: 'src/', CompressionFormat: 'GZIP' } });
    const sent = Array.from({ length: 20 }, (_, n) => ({ name: `r${n}` }));
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: sent.map(record) }))).FailedPutCount).toBe(0);
    const lines = (bodies: Buffer[]) => bodies.flatMap((b) => b.toString().trim().split('\n')).sort();
    await waitFor(async () => lines((await objects(backup, 'src/')).map((o) => gunzipSync(o.body))).length >= sent.length && lines((await objects(bucket, 'out/')).map((o) => o.body)).length >= sent.length, {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'every record in both buckets',
    });
    const backups = await objects(backup, 'src/');
    for (const object of backups) expect(object.key).toMatch(new RegExp(`^src/\\d{4}/\\d{2}/\\d{2}/\\d{2}/${name}-1-.*\\.gz$`));
    expect(lines(backups.map((o) => gunzipSync(o.body)))).toEqual(sent.map((r) => JSON.stringify(r)).sort());
    expect(lines((await objects(bucket, 'out/')).map((o) => o.body))).toEqual(sent.map((r) => JSON.stringify(r).toUpperCase()).sort());
  });

  it('source record backup with a Lambda that drops some records and fails others: every record put is in the backup once (a flush of only dropped and failed records too), the Ok ones once in the destination, the failed ones under processing-failed', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-dest').toLowerCase());
    const backup = await createBucket(s3, uniqueName('fh-raw').toLowerCase());
    const name = uniqueName('drops');
    const lambdaArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
    local.registerLambda(lambdaArn, (event) => ({
      records: event.records.map(({ recordId, data }) => {
        const { fate } = JSON.parse(Buffer.from(data, 'base64').toString()) as { fate: string };
        if (fate === 'drop') return { recordId, result: 'Dropped' as const };
        if (fate === 'fail') return { recordId, result: 'ProcessingFailed' as const };
        return { recordId, result: 'Ok' as const, data: Buffer.from(Buffer.from(data, 'base64').toString().toUpperCase()).toString('base64') };
      }),
    }));
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        RoleARN: 'r',
        Prefix: 'out/',
        ErrorOutputPrefix: 'err/!{firehose:error-output-type}/',
        BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        ProcessingConfiguration: { Enabled: true, Processors: [{ Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: lambdaArn }] }] },
        S3BackupMode: 'Enabled',
        S3BackupConfiguration: { BucketARN: `arn:aws:s3:::${backup}`, RoleARN: 'r', Prefix: 'src/' },
      },
    }));
    const fates = ['ok', 'drop', 'fail'];
    const mixed = Array.from({ length: 15 }, (_, n) => ({ n, fate: fates[n % 3] }));
    // Put after the mixed ones are backed up, so they are read (and flushed) on their own.
    const noItems = Array.from({ length: 6 }, (_, n) => ({ n: 100 + n, fate: fates[1 + (n % 2)] }));
    const lines = (bodies: Buffer[]) => bodies.flatMap((b) => b.toString().trim().split('\n')).filter((line) => line !== '');
    const backedUp = async () => lines((await objects(backup, 'src/')).map((o) => o.body));
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: mixed.map(record) }))).FailedPutCount).toBe(0);
    await waitFor(async () => (await backedUp()).length >= mixed.length, { timeoutMs: 20_000, intervalMs: 200, description: 'the mixed records in the backup' });
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: noItems.map(record) }))).FailedPutCount).toBe(0);
    const all = [...mixed, ...noItems];
    const failures = async () => lines((await objects(bucket, 'err/processing-failed/')).map((o) => o.body)).map((line) => Buffer.from((JSON.parse(line) as { rawData: string }).rawData, 'base64').toString().trim());
    await waitFor(async () => (await backedUp()).length >= all.length && (await failures()).length >= all.filter((r) => r.fate === 'fail').length, {
      timeoutMs: 20_000,
      intervalMs: 200,
      description: 'every record in the backup, every failed one under processing-failed',
    });
    expect((await backedUp()).sort()).toEqual(all.map((r) => JSON.stringify(r)).sort());
    expect(lines((await objects(bucket, 'out/')).map((o) => o.body)).sort()).toEqual(all.filter((r) => r.fate === 'ok').map((r) => JSON.stringify(r).toUpperCase()).sort());
    expect((await failures()).sort()).toEqual(all.filter((r) => r.fate === 'fail').map((r) => JSON.stringify(r)).sort());
  });

  it('dynamic partitioning (jq) with JSON → Parquet from a registered Glue table: one object per partition, read by DuckDB; records that do not fit go to format-conversion-failed', async () => {
    const bucket = await createBucket(s3, uniqueName('fh-parquet').toLowerCase());
    const name = uniqueName('parquet');
    local.registerGlueTable('shop', 'orders', [
      { name: 'customer', type: 'string' },
      { name: 'amount', type: 'double' },
    ]);
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: {
        BucketARN: `arn:aws:s3:::${bucket}`,
        RoleARN: 'r',
        Prefix: 'orders/customer=!{partitionKeyFromQuery:customer}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
        BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
        DynamicPartitioningConfiguration: { Enabled: true },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [{ Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer: .customer}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] }],
        },
        DataFormatConversionConfiguration: {
          Enabled: true,
          SchemaConfiguration: { DatabaseName: 'shop', TableName: 'orders', RoleARN: 'r' },
          InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
          OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
        },
      },
    }));
    const records = [{ customer: 'a', amount: 1 }, { customer: 'b', amount: 2 }, { customer: 'a', amount: 3 }, { customer: 'b', amount: 'four' }];
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records.map(record) }))).FailedPutCount).toBe(0);
    await waitFor(async () => (await objects(bucket, 'errors/')).length > 0 && (await objects(bucket, 'orders/')).length >= 2, { timeoutMs: 20_000, intervalMs: 200, description: 'partitions and errors in S3' });
    const rows: [string, string, number][] = [];
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    for (const object of await objects(bucket, 'orders/')) {
      expect(object.key).toMatch(new RegExp(`^orders/customer=[ab]/${name}-1-.*\\.parquet$`));
      const file = join(dir, `${uniqueName('p')}.parquet`);
      await writeFile(file, object.body);
      const result = (await connection.runAndReadAll(`SELECT customer, amount FROM read_parquet('${file}')`)).getRowObjectsJson() as { customer: string; amount: number }[];
      for (const row of result) rows.push([object.key.split('/')[1]!, row.customer, row.amount]);
    }
    connection.closeSync();
    expect(rows.sort()).toEqual([
      ['customer=a', 'a', 1],
      ['customer=a', 'a', 3],
      ['customer=b', 'b', 2],
    ]);
    const [errors] = await objects(bucket, 'errors/format-conversion-failed/');
    const failed = JSON.parse(errors!.body.toString().trim()) as { lastErrorCode: string; rawData: string };
    expect(failed.lastErrorCode).toBe('DataFormatConversion.InvalidSchema');
    expect(JSON.parse(Buffer.from(failed.rawData, 'base64').toString())).toEqual({ customer: 'b', amount: 'four' });
  });
});
