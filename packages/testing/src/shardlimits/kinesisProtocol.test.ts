import { hashKeyOf } from '@kinesis-toolkit/aggregation';
import { MAX_HASH_KEY } from '@kinesis-toolkit/core';
import {
  canonicalShardId,
  errorReply,
  isAmzJson,
  operationOf,
  parseJsonObject,
  parseStreamArn,
  readThrottledMessage,
  recordBytesOf,
  requestTooLargeMessage,
  streamNameOf,
  tooManyRecordsMessage,
  writeEntryOf,
  writeThrottledMessage,
} from './kinesisProtocol';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('the Kinesis wire protocol', () => {
  it('reads the operation and the content type', () => {
    expect(operationOf({ 'x-amz-target': 'Kinesis_20131202.PutRecords' })).toBe('PutRecords');
    expect(operationOf({ 'x-amz-target': 'DynamoDB_20120810.PutItem' })).toBeUndefined();
    expect(operationOf({})).toBeUndefined();
    expect(isAmzJson({ 'content-type': 'application/x-amz-json-1.1' })).toBe(true);
    expect(isAmzJson({ 'content-type': 'application/x-amz-json-1.1; charset=utf-8' })).toBe(true);
    expect(isAmzJson({ 'content-type': 'application/x-amz-cbor-1.1' })).toBe(false);
    expect(isAmzJson({})).toBe(false);
  });

  it('parses JSON objects only', () => {
    expect(parseJsonObject(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
    expect(parseJsonObject(Buffer.from('[1]'))).toBeUndefined();
    expect(parseJsonObject(Buffer.from('{'))).toBeUndefined();
  });

  it('routes an entry by its explicit hash key, else by MD5 of its partition key, and counts data + key bytes', () => {
    expect(writeEntryOf({ PartitionKey: 'key', Data: base64('hello') })).toEqual({ hashKey: hashKeyOf('key'), bytes: 8 });
    expect(writeEntryOf({ PartitionKey: 'ü', Data: base64('x'), ExplicitHashKey: '7' })).toEqual({ hashKey: 7n, bytes: 3 });
    expect(writeEntryOf({ PartitionKey: 'k', Data: '', ExplicitHashKey: MAX_HASH_KEY.toString() })?.hashKey).toBe(MAX_HASH_KEY);
  });

  it('leaves malformed entries to the target', () => {
    expect(writeEntryOf(null)).toBeUndefined();
    expect(writeEntryOf({ Data: base64('x') })).toBeUndefined();
    expect(writeEntryOf({ PartitionKey: '', Data: base64('x') })).toBeUndefined();
    expect(writeEntryOf({ PartitionKey: 'k', Data: 42 })).toBeUndefined();
    expect(writeEntryOf({ PartitionKey: 'k', Data: '', ExplicitHashKey: (MAX_HASH_KEY + 1n).toString() })).toBeUndefined();
    expect(writeEntryOf({ PartitionKey: 'k', Data: '', ExplicitHashKey: '-1' })).toBeUndefined();
  });

  it('counts the bytes GetRecords returned', () => {
    expect(recordBytesOf([{ Data: base64('abc'), PartitionKey: 'k' }, { Data: base64('') }])).toBe(4);
    expect(recordBytesOf(undefined)).toBe(0);
  });

  it('finds the stream by name or by ARN', () => {
    const arn = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';
    expect(parseStreamArn(arn)).toEqual({ accountId: '123456789012', streamName: 'orders' });
    expect(parseStreamArn('arn:aws:kinesis:us-east-1:123456789012:table/orders')).toBeUndefined();
    expect(streamNameOf({ StreamName: 'a' })).toBe('a');
    expect(streamNameOf({ StreamARN: arn })).toBe('orders');
    expect(streamNameOf({})).toBeUndefined();
  });

  it('canonicalises shard ids as Kinesis does', () => {
    expect(canonicalShardId('shardId-000000000001')).toBe('shardId-000000000001');
    expect(canonicalShardId('1')).toBe('shardId-000000000001');
    expect(canonicalShardId('shardId-12')).toBe('shardId-000000000012');
    expect(canonicalShardId('odd')).toBe('odd');
  });

  it('words its messages as AWS does', () => {
    const shard = { streamName: 'orders', shardId: 'shardId-000000000001' };
    expect(writeThrottledMessage(shard, '123456789012')).toBe(
      'Rate exceeded for shard shardId-000000000001 in stream orders under account 123456789012.',
    );
    expect(readThrottledMessage(shard, '123456789012')).toBe('Rate exceeded for Shard - 123456789012/orders/shardId-000000000001');
    expect(requestTooLargeMessage(10 * 1024 * 1024)).toBe('Records size exceeds 10 MB limit');
    expect(requestTooLargeMessage(5 * 1024 * 1024)).toBe('Records size exceeds 5 MB limit');
    expect(tooManyRecordsMessage(501, 500)).toMatch(
      /^1 validation error detected: Value '.*' at 'records' failed to satisfy constraint: Member must have length less than or equal to 500$/,
    );
  });

  it('builds error replies the SDK parses', () => {
    const reply = errorReply('ProvisionedThroughputExceededException', 'Rate exceeded');
    expect(reply.statusCode).toBe(400);
    expect(JSON.parse(reply.body.toString())).toEqual({ __type: 'ProvisionedThroughputExceededException', message: 'Rate exceeded' });
    expect(reply.headers).toMatchObject({ 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': reply.body.length });
    expect(reply.headers['x-amzn-RequestId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
