// What a Kinesis request and answer look like on the wire, as far as the shard-limit proxy needs.
// `@aws-sdk/client-kinesis` speaks AWS JSON 1.1: POST /, `X-Amz-Target: Kinesis_20131202.<Operation>`,
// `Content-Type: application/x-amz-json-1.1`, blobs as base64 strings. Errors are HTTP 4xx/5xx
// with `{"__type": "<ErrorName>", "message": "..."}`; the SDK reads the error name from `__type`
// (before any `x-amzn-errortype` header) and makes `err.name` of it. The AWS SDK for Java and
// @kinesis-toolkit/wire speak CBOR instead (`application/x-amz-cbor-1.1`, blobs as byte strings):
// the same structures, so the proxy reads and answers each request in the protocol it came in.
import type { IncomingHttpHeaders } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { hashKeyOf, parseExplicitHashKey } from '@kinesis-toolkit/aggregation';
import { decodeCbor, encodeRequest } from '@kinesis-toolkit/wire';
import { cbor } from '@smithy/core/cbor';
import type { ShardKey } from './ShardBudgets';

/** The content type of AWS JSON 1.1. */
export const AMZ_JSON_1_1 = 'application/x-amz-json-1.1';
/** The content type of AWS CBOR 1.1. */
export const AMZ_CBOR_1_1 = 'application/x-amz-cbor-1.1';

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

/** Whether a request's body is AWS JSON 1.1. */
export function isAmzJson(headers: IncomingHttpHeaders): boolean {
  return mediaTypeOf(headers) === AMZ_JSON_1_1;
}

function mediaTypeOf(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** How one request's body and its answers are read and written: AWS JSON 1.1 or CBOR. */
export interface WireCodec {
  readonly contentType: string;
  /** The body as an object; undefined when it is not one. */
  parse(body: Buffer): Record<string, unknown> | undefined;
  /** A PutRecords request like `input` with only `records`. */
  putRecordsBody(input: Record<string, unknown>, records: readonly unknown[]): Buffer;
  /** An answer with the headers AWS sends (request ids, content type). */
  reply(statusCode: number, payload: unknown): HttpReply;
}

/** AWS JSON 1.1, what @aws-sdk/client-kinesis sends. */
export const JSON_CODEC: WireCodec = {
  contentType: AMZ_JSON_1_1,
  parse: parseJsonObject,
  putRecordsBody: (input, records) => Buffer.from(JSON.stringify({ ...input, Records: records })),
  reply: (statusCode, payload) => replyWith(AMZ_JSON_1_1, statusCode, Buffer.from(JSON.stringify(payload), 'utf8')),
};

/** AWS CBOR 1.1, what the AWS SDK for Java and @kinesis-toolkit/wire send. */
export const CBOR_CODEC: WireCodec = {
  contentType: AMZ_CBOR_1_1,
  parse: (body) => {
    try {
      const value = decodeCbor(body);
      return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array) ? (value as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  },
  putRecordsBody: (input, records) => {
    const rewritten = { ...input, Records: records };
    // Written as the Java SDK writes it; anything that encoder will not take, generically.
    return Buffer.from(encodeRequest('PutRecords', rewritten) ?? cbor.serialize(rewritten));
  },
  reply: (statusCode, payload) => replyWith(AMZ_CBOR_1_1, statusCode, Buffer.from(cbor.serialize(payload))),
};

/** The codec of a request's content type; undefined for anything but JSON 1.1 and CBOR 1.1. */
export function codecOf(headers: IncomingHttpHeaders): WireCodec | undefined {
  const mediaType = mediaTypeOf(headers);
  return mediaType === AMZ_JSON_1_1 ? JSON_CODEC : mediaType === AMZ_CBOR_1_1 ? CBOR_CODEC : undefined;
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
  if (typeof partitionKey !== 'string' || partitionKey === '' || (typeof data !== 'string' && !(data instanceof Uint8Array))) return undefined;
  let hashKey: bigint;
  try {
    hashKey = explicitHashKey === undefined || explicitHashKey === null ? hashKeyOf(partitionKey) : parseExplicitHashKey(explicitHashKey);
  } catch {
    return undefined;
  }
  return { hashKey, bytes: blobBytes(data) + Buffer.byteLength(partitionKey, 'utf8') };
}

/** The size of a blob: base64 text (JSON, and the emulators' CBOR) or bytes (CBOR). */
function blobBytes(data: string | Uint8Array): number {
  return typeof data === 'string' ? Buffer.byteLength(data, 'base64') : data.byteLength;
}

/** The bytes of the records in a GetRecords response: data plus partition keys. */
export function recordBytesOf(records: unknown): number {
  if (!Array.isArray(records)) return 0;
  let bytes = 0;
  for (const record of records as { Data?: unknown; PartitionKey?: unknown }[]) {
    if (typeof record?.Data === 'string' || record?.Data instanceof Uint8Array) bytes += blobBytes(record.Data);
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

function replyWith(contentType: string, statusCode: number, body: Buffer): HttpReply {
  return {
    statusCode,
    headers: {
      'x-amzn-RequestId': randomUUID(),
      'x-amz-id-2': randomBytes(72).toString('base64'),
      'Content-Type': contentType,
      'Content-Length': body.length,
    },
    body,
  };
}

/** A JSON 1.1 answer with the headers AWS sends (request ids, content type). */
export function jsonReply(statusCode: number, payload: unknown): HttpReply {
  return JSON_CODEC.reply(statusCode, payload);
}

/** An error answer, in the request's protocol, that the SDK turns into an exception whose `name` is `type`. */
export function errorReply(type: string, message: string, statusCode = 400, codec: WireCodec = JSON_CODEC): HttpReply {
  return codec.reply(statusCode, { __type: type, message });
}
