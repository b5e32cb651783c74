import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { createBucket, getTestStack, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { setLambdaPartitionKeys } from '../../transformers/lambdaPartitionKeys';
import { FirehoseS3Emitter } from './FirehoseS3Emitter';

// FirehoseS3Emitter against s3rver; objects are read back from S3 and checked independently:
// gzip with node:zlib, Parquet with DuckDB (@duckdb/node-api — another implementation than the writer).

let stack: TestStack;
let s3: S3Client;
let bucket: string;
let dir: string;

beforeAll(async () => {
  stack = getTestStack();
  s3 = stack.s3.client;
  bucket = await createBucket(s3, uniqueName('firehose-s3').toLowerCase());
  dir = await mkdtemp(join(tmpdir(), 'kt-firehose-'));
});
afterAll(async () => {
  stack?.destroy();
  await rm(dir, { recursive: true, force: true });
});

async function keys(prefix: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}
async function read(key: string): Promise<Buffer> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await object.Body!.transformToByteArray());
}
async function duckdbRows(body: Buffer, sql: (file: string) => string): Promise<Record<string, unknown>[]> {
  const file = join(dir, `${uniqueName('object')}.parquet`);
  await writeFile(file, body);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql(file))).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
  }
}
const json = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);

describe('FirehoseS3Emitter against s3rver', () => {
  it('names objects DeliveryStream-Version-time-uuid under the default yyyy/MM/dd/HH/ prefix, GZIP, and a retry overwrites the same object', async () => {
    const emitter = new FirehoseS3Emitter({ client: s3, bucket, deliveryStreamName: 'plain-stream', deliveryStreamVersion: 2, prefix: 'plain/', compressionFormat: 'GZIP' });
    const batch = makeBatch([json({ n: 1 }), json({ n: 2 })], { arrivalMs: Date.UTC(2024, 4, 1, 13, 59, 58) });
    await emitter.emit(batch);
    await emitter.emit(batch);
    const written = await keys('plain/');
    expect(written).toEqual([expect.stringMatching(/^plain\/2024\/05\/01\/13\/plain-stream-2-2024-05-01-13-59-58-[0-9a-f-]{36}\.gz$/)]);
    expect(gunzipSync(await read(written[0]!)).toString()).toBe('{"n":1}\n{"n":2}\n');
  });

  it('customTimeZone America/New_York: the default prefix, the error prefix and the object name show New York’s wall clock (EDT, UTC−4), not UTC', async () => {
    const emitter = new FirehoseS3Emitter({
      client: s3,
      bucket,
      deliveryStreamName: 'ny',
      prefix: 'ny/!{partitionKeyFromQuery:k}/',
      errorOutputPrefix: 'ny-errors/!{firehose:error-output-type}/',
      customTimeZone: 'America/New_York',
      dynamicPartitioning: { enabled: true, metadataExtractionQuery: '{k: .k}' },
    });
    await emitter.emit(makeBatch([json({ k: 'a' }), Buffer.from('not json\n')], { arrivalMs: Date.UTC(2024, 4, 2, 2, 30, 0) }));
    expect(await keys('ny/')).toEqual([expect.stringMatching(/^ny\/a\/ny-1-2024-05-01-22-30-00-[0-9a-f-]{36}$/)]);
    expect(await keys('ny-errors/')).toEqual([expect.stringMatching(/^ny-errors\/processing-failed\/2024\/05\/01\/22\/ny-1-2024-05-01-22-30-01-[0-9a-f-]{36}$/)]);
  });

  it('dynamic partitioning: jq metadata extraction and Lambda partition keys, one object per partition per flush, records without a key to processing-failed', async () => {
    const emitter = new FirehoseS3Emitter({
      client: s3,
      bucket,
      deliveryStreamName: 'dp',
      prefix: 'dp/customer=!{partitionKeyFromQuery:customer}/device=!{partitionKeyFromLambda:device}/!{timestamp:yyyy}/',
      errorOutputPrefix: 'dp-errors/!{firehose:error-output-type}/',
      dynamicPartitioning: { enabled: true, metadataExtractionQuery: '{customer: .customer.id}' },
    });
    const items = [
      json({ customer: { id: 'c1' }, n: 1 }),
      json({ customer: { id: 'c2' }, n: 2 }),
      json({ customer: { id: 'c1' }, n: 3 }),
      json({ n: 4 }), // no customer id: the query yields null
      Buffer.from('not json\n'),
    ];
    items.forEach((item, index) => setLambdaPartitionKeys(item, { device: index === 2 ? 'web' : 'phone' }));
    const result = await emitter.emit(makeBatch(items, { arrivalMs: Date.UTC(2024, 4, 1, 0, 0, 0) }));
    expect(result.failed).toEqual([]);
    const written = await keys('dp/');
    expect(written.map((key) => key.replace(/dp-\d.*$/, ''))).toEqual(['dp/customer=c1/device=phone/2024/', 'dp/customer=c1/device=web/2024/', 'dp/customer=c2/device=phone/2024/']);
    const contents = await Promise.all(written.map(async (key) => (await read(key)).toString()));
    expect(contents).toEqual(['{"customer":{"id":"c1"},"n":1}\n', '{"customer":{"id":"c1"},"n":3}\n', '{"customer":{"id":"c2"},"n":2}\n']);
    const errors = await keys('dp-errors/');
    expect(errors).toEqual([expect.stringMatching(/^dp-errors\/processing-failed\/2024\/05\/01\/00\/dp-1-2024-05-01-00-00-03-/)]);
    const lines = (await read(errors[0]!)).toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => [l.errorCode, Buffer.from(l.rawData as string, 'base64').toString()])).toEqual([
      ['DynamicPartitioning.MetadataExtractionFailed', '{"n":4}\n'],
      ['DynamicPartitioning.MetadataExtractionFailed', 'not json\n'],
    ]);
  });

  it('sends records beyond the active partition limit to the error prefix', async () => {
    const emitter = new FirehoseS3Emitter({
      client: s3,
      bucket,
      deliveryStreamName: 'limit',
      prefix: 'limit/k=!{partitionKeyFromQuery:k}/',
      errorOutputPrefix: 'limit-errors/!{firehose:error-output-type}/',
      dynamicPartitioning: { enabled: true, metadataExtractionQuery: '{k: .k}', activePartitionLimit: 2 },
    });
    await emitter.emit(makeBatch([json({ k: 'a' }), json({ k: 'b' }), json({ k: 'c' }), json({ k: 'a' })]));
    expect((await keys('limit/')).map((key) => key.split('/')[1])).toEqual(['k=a', 'k=b']);
    const [errorKey] = await keys('limit-errors/processing-failed/');
    const line = JSON.parse((await read(errorKey!)).toString()) as Record<string, unknown>;
    expect(line).toMatchObject({ errorCode: 'DynamicPartitioning.ActivePartitionsLimitExceeded' });
    expect(Buffer.from(line.rawData as string, 'base64').toString()).toBe('{"k":"c"}\n');
  });

  it('JSON → Parquet with a schema, read back by DuckDB; records that do not fit go to format-conversion-failed', async () => {
    const emitter = new FirehoseS3Emitter({
      client: s3,
      bucket,
      deliveryStreamName: 'pq',
      prefix: 'pq/!{timestamp:yyyy-MM-dd}/',
      errorOutputPrefix: 'pq-errors/!{firehose:error-output-type}/',
      formatConversion: {
        enabled: true,
        columns: [
          { name: 'id', type: 'bigint' },
          { name: 'name', type: 'string' },
          { name: 'amount', type: 'double' },
          { name: 'paid', type: 'boolean' },
          { name: 'at', type: 'timestamp' },
        ],
      },
    });
    await emitter.emit(
      makeBatch([
        json({ id: 1, name: 'alice', amount: 9.5, paid: true, at: '2024-05-01T13:00:00Z' }),
        json({ ID: 2, Name: 'bob', extra: 'ignored' }),
        json({ id: 'three', name: 'carol' }),
        Buffer.from('{broken\n'),
      ]),
    );
    const [object] = await keys('pq/');
    expect(object).toMatch(/^pq\/2024-05-01\/pq-1-2024-05-01-13-59-58-[0-9a-f-]{36}\.parquet$/);
    const rows = await duckdbRows(await read(object!), (file) => `SELECT id, name, amount, paid, CAST("at" AS VARCHAR) AS "at" FROM read_parquet('${file}') ORDER BY id`);
    expect(rows).toEqual([
      { id: '1', name: 'alice', amount: 9.5, paid: true, at: '2024-05-01 13:00:00' },
      { id: '2', name: 'bob', amount: null, paid: null, at: null },
    ]);
    const schema = await duckdbRows(await read(object!), (file) => `SELECT name, type FROM parquet_schema('${file}') WHERE name <> 'schema' AND name <> 'root'`);
    expect(schema.map((c) => `${String(c.name)}:${String(c.type)}`)).toEqual(['id:INT64', 'name:BYTE_ARRAY', 'amount:DOUBLE', 'paid:BOOLEAN', 'at:INT64']);
    const [errors] = await keys('pq-errors/format-conversion-failed/');
    const failed = (await read(errors!)).toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(failed.map((f) => f.lastErrorCode)).toEqual(['DataFormatConversion.InvalidSchema', 'DataFormatConversion.MalformedData']);
  });
});
