import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { waitFor } from '../helpers/waitFor';
import { applyKinesaliteCborFixes } from './kinesaliteCborFixes';

// node-cbor, kinesalite's own CBOR library (untyped).
interface NodeCbor {
  encode(value: unknown): Buffer;
  decodeFirstSync(bytes: Buffer): unknown;
  Tagged: new (tag: number, value: unknown) => unknown;
  Encoder: { encodeOne(value: unknown, options?: Record<string, unknown>): Buffer };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cbor = require('cbor') as NodeCbor;

// kinesalite in this test file's own module registry, started here: first as published, then fixed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kinesalite = require('kinesalite') as typeof import('kinesalite');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validations = require('kinesalite/validations') as typeof import('kinesalite/validations');

const CBOR = 'application/x-amz-cbor-1.1';
let port: number;
let server: ReturnType<typeof kinesalite>;

/** A CBOR request signed well enough for kinesalite (it checks the Authorization header's form only). */
function send(operation: string, body: unknown, contentType = CBOR): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = contentType === CBOR ? cbor.encode(body) : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1', port, method: 'POST', path: '/',
        headers: {
          'content-type': contentType, 'x-amz-target': `Kinesis_20131202.${operation}`, 'content-length': payload.length,
          'x-amz-date': '20240101T000000Z', authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          try {
            const decoded = bytes.length === 0 ? {} : contentType === CBOR ? cbor.decodeFirstSync(bytes) : JSON.parse(bytes.toString());
            resolve({ status: res.statusCode!, body: decoded as Record<string, unknown> });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function readBack(streamName: string): Promise<unknown[]> {
  const { body } = await send('GetShardIterator', { StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }, 'application/x-amz-json-1.1');
  const page = await send('GetRecords', { ShardIterator: body.ShardIterator }, 'application/x-amz-json-1.1');
  return (page.body.Records as { Data: unknown }[]).map((record) => record.Data);
}

/** CreateStream, then wait (bounded) until the stream is ACTIVE: kinesalite activates it on a timer. */
async function createActiveStream(streamName: string): Promise<void> {
  await send('CreateStream', { StreamName: streamName, ShardCount: 1 }, 'application/x-amz-json-1.1');
  await waitFor(async () => (await send('DescribeStream', { StreamName: streamName }, 'application/x-amz-json-1.1')).body.StreamDescription, {
    description: `${streamName} to exist`,
  });
  await waitFor(
    async () => ((await send('DescribeStream', { StreamName: streamName }, 'application/x-amz-json-1.1')).body.StreamDescription as { StreamStatus?: string }).StreamStatus === 'ACTIVE',
    { description: `${streamName} to become ACTIVE` },
  );
}

beforeAll(async () => {
  server = kinesalite({ createStreamMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** GetRecords in CBOR from TRIM_HORIZON: the undecodable answer is an error here. */
async function readAsCbor(streamName: string): Promise<{ Data: unknown }[]> {
  const { body } = await send('GetShardIterator', { StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  return (await send('GetRecords', { ShardIterator: body.ShardIterator })).body.Records as { Data: unknown }[];
}

it('kinesalite as published corrupts a record written in CBOR, rejects a tag-1 timestamp and truncates a large CBOR answer; with the fixes all work as on AWS, Data as bytes', async () => {
  const big = Buffer.alloc(100_000, 7).toString('base64');
  const data = Buffer.from([0, 1, 2, 0xff]);
  await createActiveStream('before');
  await send('PutRecord', { StreamName: 'before', Data: data, PartitionKey: 'k' });
  expect(await readBack('before')).toEqual([{ type: 'Buffer', data: [0, 1, 2, 255] }]);
  const atTimestamp = { StreamName: 'before', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new cbor.Tagged(1, Date.now() - 1000) };
  expect(await send('GetShardIterator', atTimestamp)).toMatchObject({ status: 400, body: { __type: 'SerializationException' } });
  await send('PutRecord', { StreamName: 'before', Data: big, PartitionKey: 'big' }, 'application/x-amz-json-1.1');
  await expect(readAsCbor('before')).rejects.toThrow();

  applyKinesaliteCborFixes(validations, cbor.Encoder);
  applyKinesaliteCborFixes(validations, cbor.Encoder);
  await createActiveStream('after');
  await send('PutRecord', { StreamName: 'after', Data: data, PartitionKey: 'k' });
  expect(await readBack('after')).toEqual([data.toString('base64')]);
  const fixed = await send('GetShardIterator', { ...atTimestamp, StreamName: 'after', Timestamp: new cbor.Tagged(1, Date.now() - 60_000) });
  expect(fixed.status).toBe(200);
  const page = await send('GetRecords', { ShardIterator: fixed.body.ShardIterator });
  expect((page.body.Records as unknown[]).length).toBe(1);
  // In the future by a minute, in milliseconds: kinesalite now reads the unit AWS reads.
  const future = await send('GetShardIterator', { ...atTimestamp, StreamName: 'after', Timestamp: new cbor.Tagged(1, Date.now() + 60_000) });
  expect(future).toMatchObject({ status: 400, body: { __type: 'InvalidArgumentException' } });
  await send('PutRecord', { StreamName: 'after', Data: big, PartitionKey: 'big' }, 'application/x-amz-json-1.1');
  // …and its CBOR answers carry Data as bytes, as AWS's do.
  expect((await readAsCbor('after')).map((record) => record.Data)).toEqual([data, Buffer.from(big, 'base64')]);
});
