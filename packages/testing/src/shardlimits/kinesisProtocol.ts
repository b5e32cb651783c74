// What a Kinesis request and answer look like on the wire, as far as the shard-limit proxy needs.
// `@aws-sdk/client-kinesis` speaks AWS JSON 1.1: POST /, `X-Amz-Target: Kinesis_20131202.<Operation>`,
// `Content-Type: application/x-amz-json-1.1`, blobs as base64 strings. Errors are HTTP 4xx/5xx
// with `{"__type": "<ErrorName>", "message": "..."}`; the SDK reads the error name from `__type`
// (before any `x-amzn-errortype` header) and makes `err.name` of it.
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { hashKeyOf, parseExplicitHashKey } from '@kinesis-toolkit/aggregation';
import type { ShardKey } from './ShardBudgets';

/** The content type of AWS JSON 1.1. */
export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';

const TARGET_PREFIX = 'Kinesis_20131202.';
const MIB = 1024 * 1024;

/**
 * The account in messages when the stream's ARN cannot be read: kinesalite's default account
 * (it takes `AWS_ACCOUNT_ID` from its environment otherwise).
 */
export const FALLBACK_ACCOUNT_ID = '000000000000';

/** A response the proxy sends back, built by itself or received from the target. */
export interface HttpReply {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | number>>;
  readonly body: Buffer;
}

/** The Kinesis operation a request calls (`PutRecords`), or undefined for anything else. */
export function operationOf(headers: IncomingHttpHeaders): string | undefined {
  const target = headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
}

/** Whether a request's body is AWS JSON 1.1 (rather than CBOR, which Java clients may send). */
export function isAmzJson(headers: IncomingHttpHeaders): boolean {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === AMZ_JSON_1_1;
}

/** Parses a JSON body into an object; undefined when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A record to write, as it routes and counts against its shard. */
export interface WriteEntry {
  readonly hashKey: bigint;
  /** Data plus partition key, the bytes AWS counts against the shard's 1 MiB/s. */
  readonly bytes: number;
}

/**
 * Reads a PutRecords entry or a PutRecord request: its hash key (the explicit one, else MD5 of the
 * partition key) and its size. Undefined when malformed, so the caller can leave the verdict to
 * the target, which answers with the exact validation error.
 */
export function writeEntryOf(record: unknown): WriteEntry | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const { PartitionKey: partitionKey, Data: data, ExplicitHashKey: explicitHashKey } = record as Record<string, unknown>;
  if (typeof partitionKey !== 'string' || partitionKey === '' || typeof data !== 'string') return undefined;
  let hashKey: bigint;
  try {
    hashKey = explicitHashKey === undefined || explicitHashKey === null ? hashKeyOf(partitionKey) : parseExplicitHashKey(explicitHashKey);
  } catch {
    return undefined;
  }
  return { hashKey, bytes: Buffer.byteLength(data, 'base64') + Buffer.byteLength(partitionKey, 'utf8') };
}

/** The bytes of the records in a GetRecords response: data plus partition keys. */
export function recordBytesOf(records: unknown): number {
  if (!Array.isArray(records)) return 0;
  let bytes = 0;
  for (const record of records as { Data?: unknown; PartitionKey?: unknown }[]) {
    if (typeof record?.Data === 'string') bytes += Buffer.byteLength(record.Data, 'base64');
    if (typeof record?.PartitionKey === 'string') bytes += Buffer.byteLength(record.PartitionKey, 'utf8');
  }
  return bytes;
}

/** The parts of a stream ARN, `arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME`. */
export function parseStreamArn(arn: unknown): { accountId: string; streamName: string } | undefined {
  if (typeof arn !== 'string') return undefined;
  const match = /^arn:[^:]+:kinesis:[^:]*:(\d{12}):stream\/(.+)$/.exec(arn);
  return match === null ? undefined : { accountId: match[1]!, streamName: match[2]! };
}

/** The stream a request names, by `StreamName` or by `StreamARN`. */
export function streamNameOf(request: Record<string, unknown>): string | undefined {
  const { StreamName: streamName, StreamARN: streamArn } = request;
  if (typeof streamName === 'string' && streamName !== '') return streamName;
  return parseStreamArn(streamArn)?.streamName;
}

/** A shard id in its canonical form: `7` and `shardId-7` are `shardId-000000000007`, as Kinesis reads them. */
export function canonicalShardId(shardId: string): string {
  const digits = /^(?:shardId-)?(\d{1,12})$/.exec(shardId)?.[1];
  return digits === undefined ? shardId : `shardId-${digits.padStart(12, '0')}`;
}

/** The message of a throttled PutRecord call or PutRecords entry, word for word as AWS writes it. */
export function writeThrottledMessage(shard: ShardKey, accountId: string): string {
  return `Rate exceeded for shard ${shard.shardId} in stream ${shard.streamName} under account ${accountId}.`;
}

/** The message of a throttled GetRecords call, as AWS writes it (a different form from writes'). */
export function readThrottledMessage(shard: ShardKey, accountId: string): string {
  return `Rate exceeded for Shard - ${accountId}/${shard.streamName}/${shard.shardId}`;
}

/**
 * AWS's model-validation message for a PutRecords of too many entries. AWS prints the whole list
 * (a Java `toString` per entry); this keeps the sentence and abbreviates the value.
 */
export function tooManyRecordsMessage(count: number, maxRecords: number): string {
  return (
    `1 validation error detected: Value '[com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry, … ${count} entries]' ` +
    `at 'records' failed to satisfy constraint: Member must have length less than or equal to ${maxRecords}`
  );
}

/** AWS's message for a PutRecords whose records add up to more than the request limit. */
export function requestTooLargeMessage(maxBytes: number): string {
  return `Records size exceeds ${Number((maxBytes / MIB).toFixed(2))} MB limit`;
}

/** A JSON 1.1 answer with the headers AWS sends (request ids, content type). */
export function jsonReply(statusCode: number, payload: unknown): HttpReply {
  const body = Buffer.from(JSON.stringify(payload), 'utf8');
  return {
    statusCode,
    headers: {
      'x-amzn-RequestId': randomUUID(),
      'x-amz-id-2': randomBytes(72).toString('base64'),
      'Content-Type': AMZ_JSON_1_1,
      'Content-Length': body.length,
    },
    body,
  };
}

/** An error answer the SDK turns into an exception whose `name` is `type`. */
export function errorReply(type: string, message: string, statusCode = 400): HttpReply {
  return jsonReply(statusCode, { __type: type, message });
}
