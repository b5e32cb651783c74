import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  KMSThrottlingException,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { createHash } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { classifyAwsError, type Logger } from '@kinesis-toolkit/core';
import { ScriptedHttpHandler, type RecordedRequest, type ScriptedAnswer } from '../../test/ScriptedHttpHandler';
import { CborWriter } from '../cbor/CborWriter';
import { decodeCbor } from '../cbor/decodeCbor';
import { encodeRequest } from '../kinesis/encodeRequest';
import { useWireProtocol, type WireFallbackEvent } from './KinesisWireProtocol';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const CBOR = 'application/x-amz-cbor-1.1';
const JSON_TYPE = 'application/x-amz-json-1.1';

/** A real client on a scripted handler; `endpoint: null` leaves the SDK's AWS endpoint. */
function client(script: (request: RecordedRequest) => ScriptedAnswer, endpoint: string | null = 'http://127.0.0.1:4567') {
  const handler = new ScriptedHttpHandler(script);
  const kinesis = new KinesisClient({ region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: handler, ...(endpoint === null ? {} : { endpoint }) });
  return { kinesis, handler };
}

const cborAnswer = (write: (writer: CborWriter) => void, statusCode = 200): ScriptedAnswer => {
  const writer = new CborWriter();
  write(writer);
  return { statusCode, headers: { 'content-type': CBOR }, body: writer.bytes() };
};
const jsonAnswer = (body: object, statusCode = 200): ScriptedAnswer => ({ statusCode, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(body) });
const contentType = (request: RecordedRequest): string => request.headers['content-type']!;

const RECORDS = [
  { Data: new Uint8Array([0, 1, 2, 255]), PartitionKey: 'a' },
  { Data: new Uint8Array(70_000).fill(7), PartitionKey: 'b', ExplicitHashKey: '12345' },
];

describe('useWireProtocol (cbor) on a real KinesisClient, answers scripted (no server)', () => {
  it('sends PutRecords as the Java SDK does: CBOR body, CBOR content type, the JSON target, a content length', async () => {
    const { kinesis, handler } = client(() => cborAnswer((w) => w.startMap().text('FailedRecordCount').unsigned(0).text('Records').startArray().end().end()));
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    await kinesis.send(new PutRecordsCommand({ StreamName: 'orders', Records: RECORDS }));
    const [request] = handler.requests;
    expect(contentType(request!)).toBe(CBOR);
    expect(request!.headers['x-amz-target']).toBe('Kinesis_20131202.PutRecords');
    expect(request!.headers['content-length']).toBe(String(request!.body.byteLength));
    expect(Buffer.from(request!.body)).toEqual(Buffer.from(encodeRequest('PutRecords', { StreamName: 'orders', Records: RECORDS })!));
  });

  it('lets SigV4 sign the CBOR body: the signature is the one computed over the bytes sent', async () => {
    const { kinesis, handler } = client(() => cborAnswer((w) => w.startMap().text('ShardId').text('shardId-000000000000').text('SequenceNumber').text('1').end()));
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    await kinesis.send(new PutRecordCommand({ StreamName: 'orders', Data: new Uint8Array([1, 2, 3]), PartitionKey: 'k' }));
    const sent = handler.requests[0]!;
    const amzDate = sent.headers['x-amz-date']!;
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    // The payload hash the SDK signed is the CBOR body's…
    expect(sent.headers['x-amz-content-sha256']).toBe(createHash('sha256').update(sent.body).digest('hex'));
    // …and the signature is SigV4's over that request, as sent.
    const unsigned = HttpRequest.clone(sent.original);
    delete unsigned.headers.authorization;
    const signer = new SignatureV4({ service: 'kinesis', region: 'us-east-1', credentials, sha256: Sha256 });
    const resigned = await signer.sign(unsigned, { signingDate });
    expect(contentType(sent)).toBe(CBOR);
    expect(sent.headers.authorization).toBe(resigned.headers.authorization);
    // The same request with any other body carries another signature.
    const tampered = HttpRequest.clone(unsigned);
    tampered.body = new Uint8Array([0]);
    delete tampered.headers['x-amz-content-sha256'];
    expect((await signer.sign(tampered, { signingDate })).headers.authorization).not.toBe(sent.headers.authorization);
  });

  it('returns the SDK output shape: Data a plain Uint8Array, a Date, $metadata from the answer', async () => {
    const { kinesis } = client(() =>
      cborAnswer((w) => {
        w.startMap().text('Records').startArray();
        w.startMap().text('SequenceNumber').text('49590338271490256608559692538361571095921575989136588898').text('ApproximateArrivalTimestamp').epochMillis(1_787_036_486_712);
        w.text('Data').bytesValue(new Uint8Array([9, 8, 7])).text('PartitionKey').text('pk').end().end();
        w.text('NextShardIterator').text('next').text('MillisBehindLatest').unsigned(0).end();
      }),
    );
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    const output = await kinesis.send(new GetRecordsCommand({ ShardIterator: 'it', Limit: 10 }));
    expect(output.Records).toEqual([
      { SequenceNumber: '49590338271490256608559692538361571095921575989136588898', ApproximateArrivalTimestamp: new Date(1_787_036_486_712), Data: new Uint8Array([9, 8, 7]), PartitionKey: 'pk' },
    ]);
    expect(output.Records![0]!.Data!.constructor).toBe(Uint8Array);
    expect(output.NextShardIterator).toBe('next');
    expect(output.MillisBehindLatest).toBe(0);
    expect(output.$metadata).toMatchObject({ httpStatusCode: 200, requestId: 'req-1', attempts: 1 });
  });

  it('gives a throttling answer the SDK exception JSON gives: same class, message, $fault, $metadata, same verdict', async () => {
    const message = 'Rate exceeded for Shard - 123456789012/orders/shardId-000000000000';
    const fromCbor = client(() => cborAnswer((w) => w.startMap().text('__type').text('ProvisionedThroughputExceededException').text('message').text(message).end(), 400));
    useWireProtocol(fromCbor.kinesis, { wireProtocol: 'cbor' });
    const fromJson = client(() => jsonAnswer({ __type: 'ProvisionedThroughputExceededException', message }, 400));
    const cborError = await fromCbor.kinesis.send(new GetRecordsCommand({ ShardIterator: 'it' })).catch((error: unknown) => error);
    const jsonError = await fromJson.kinesis.send(new GetRecordsCommand({ ShardIterator: 'it' })).catch((error: unknown) => error);
    expect(cborError).toBeInstanceOf(ProvisionedThroughputExceededException);
    expect(contentType(fromCbor.handler.requests[0]!)).toBe(CBOR);
    const fields = (error: unknown) => {
      const e = error as ProvisionedThroughputExceededException;
      return { name: e.name, message: e.message, fault: e.$fault, status: e.$metadata.httpStatusCode, requestId: e.$metadata.requestId, verdict: classifyAwsError(e) };
    };
    expect(fields(cborError)).toEqual(fields(jsonError));
    expect(fields(cborError).verdict.kind).toBe('throttled');
  });

  it('KMS errors (which no local server reproduces) map to their SDK classes too', async () => {
    const { kinesis } = client(() => cborAnswer((w) => w.startMap().text('__type').text('KMSThrottlingException').text('message').text('KMS rate exceeded').end(), 400));
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    const error = await kinesis.send(new PutRecordCommand({ StreamName: 's', Data: new Uint8Array([1]), PartitionKey: 'k' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KMSThrottlingException);
    expect(classifyAwsError(error).kind).toBe('throttled');
  });

  it('falls back to JSON once when the endpoint refuses CBOR (404 <UnknownOperationException/>), resends, and stays on JSON', async () => {
    const { kinesis, handler } = client((request) =>
      contentType(request) === CBOR ? { statusCode: 404, headers: { 'content-type': 'text/plain' }, body: '<UnknownOperationException/>\n' } : jsonAnswer({ ShardIterator: 'from-json' }),
    );
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (_c: object, m: string) => warnings.push(m), error: () => undefined, child: () => logger } as unknown as Logger;
    const wire = useWireProtocol(kinesis, { wireProtocol: 'cbor', logger });
    const events: WireFallbackEvent[] = [];
    wire.on('fallback', (event) => events.push(event));
    const input = { StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' as const };
    expect((await kinesis.send(new GetShardIteratorCommand(input))).ShardIterator).toBe('from-json');
    expect(handler.requests.map(contentType)).toEqual([CBOR, JSON_TYPE]);
    expect(events).toEqual([{ operation: 'GetShardIterator', statusCode: 404, errorCode: 'UnknownOperationException', reason: 'HTTP 404 UnknownOperationException to a CBOR request' }]);
    expect(warnings).toHaveLength(1);
    expect(wire.protocol).toBe('json');
    await kinesis.send(new GetShardIteratorCommand(input));
    expect(handler.requests.map(contentType)).toEqual([CBOR, JSON_TYPE, JSON_TYPE]);
    expect(events).toHaveLength(1);
  });

  it('does not fall back on a verdict about the request itself (a missing stream): that error surfaces', async () => {
    const { kinesis, handler } = client(() => cborAnswer((w) => w.startMap().text('__type').text('ResourceNotFoundException').text('message').text('Stream s not found').end(), 400));
    const wire = useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    await expect(kinesis.send(new PutRecordCommand({ StreamName: 's', Data: new Uint8Array([1]), PartitionKey: 'k' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: 'Stream s not found' });
    expect(handler.requests).toHaveLength(1);
    expect(wire.protocol).toBe('cbor');
  });

  it('sends an input it cannot write exactly (a member it does not know) as JSON, for that call only', async () => {
    const { kinesis, handler } = client((request) => (contentType(request) === CBOR ? cborAnswer((w) => w.startMap().text('ShardIterator').text('x').end()) : jsonAnswer({ ShardIterator: 'y' })));
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    await kinesis.send(new GetShardIteratorCommand({ ShardId: 's', ShardIteratorType: 'LATEST', StreamName: 's', FutureMember: 1 } as never));
    await kinesis.send(new GetShardIteratorCommand({ ShardId: 's', ShardIteratorType: 'LATEST', StreamName: 's' }));
    expect(handler.requests.map(contentType)).toEqual([JSON_TYPE, CBOR]);
  });

  it("'json' first is remembered: a later 'auto' (a producer's default) keeps the client on JSON", async () => {
    const { kinesis, handler } = client((request) => (contentType(request) === CBOR ? cborAnswer((w) => w.startMap().text('ShardIterator').text('x').end()) : jsonAnswer({ ShardIterator: 'y' })), null);
    const json = useWireProtocol(kinesis, { wireProtocol: 'json' });
    expect(useWireProtocol(kinesis)).toBe(json);
    await kinesis.send(new GetShardIteratorCommand({ ShardId: 's', ShardIteratorType: 'LATEST', StreamName: 's' }));
    await kinesis.send(new GetShardIteratorCommand({ ShardId: 's', ShardIteratorType: 'LATEST', StreamName: 's' }));
    expect(handler.requests.map(contentType)).toEqual([JSON_TYPE, JSON_TYPE]);
    expect(json.protocol).toBe('json');
  });

  it('leaves every other command to the SDK', async () => {
    const { kinesis, handler } = client(() => jsonAnswer({ Shards: [] }));
    useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    await kinesis.send(new ListShardsCommand({ StreamName: 's' }));
    expect(contentType(handler.requests[0]!)).toBe(JSON_TYPE);
  });

  it('is one per client; detach() puts the client back on JSON', async () => {
    const { kinesis, handler } = client((request) => (contentType(request) === CBOR ? cborAnswer((w) => w.startMap().text('ShardIterator').text('x').end()) : jsonAnswer({ ShardIterator: 'y' })));
    const wire = useWireProtocol(kinesis, { wireProtocol: 'cbor' });
    expect(useWireProtocol(kinesis, { wireProtocol: 'json' })).toBe(wire);
    const input = { ShardId: 's', ShardIteratorType: 'LATEST' as const, StreamName: 's' };
    expect((await kinesis.send(new GetShardIteratorCommand(input))).ShardIterator).toBe('x');
    wire.detach();
    expect((await kinesis.send(new GetShardIteratorCommand(input))).ShardIterator).toBe('y');
    expect(handler.requests.map(contentType)).toEqual([CBOR, JSON_TYPE]);
  });
});

describe("useWireProtocol ('auto'): CBOR for AWS endpoints, JSON for anything else", () => {
  const answer = (request: RecordedRequest): ScriptedAnswer =>
    contentType(request) === CBOR ? cborAnswer((w) => w.startMap().text('ShardIterator').text('cbor').end()) : jsonAnswer({ ShardIterator: 'json' });
  const input = { ShardId: 's', ShardIteratorType: 'LATEST' as const, StreamName: 's' };

  it('an AWS regional endpoint: the first call goes as JSON, the next ones as CBOR', async () => {
    const { kinesis, handler } = client(answer, null);
    const wire = useWireProtocol(kinesis);
    expect(wire.requested).toBe('auto');
    await kinesis.send(new GetShardIteratorCommand(input));
    await kinesis.send(new GetShardIteratorCommand(input));
    expect(handler.requests[0]!.hostname).toBe('kinesis.us-east-1.amazonaws.com');
    expect(handler.requests.map(contentType)).toEqual([JSON_TYPE, CBOR]);
    expect(wire.protocol).toBe('cbor');
  });

  it('any first request decides: after a ListShards, the first GetShardIterator already goes as CBOR', async () => {
    const { kinesis, handler } = client((request) => (request.headers['x-amz-target']!.endsWith('ListShards') ? jsonAnswer({ Shards: [] }) : answer(request)), null);
    useWireProtocol(kinesis);
    await kinesis.send(new ListShardsCommand({ StreamName: 's' }));
    await kinesis.send(new GetShardIteratorCommand(input));
    expect(handler.requests.map(contentType)).toEqual([JSON_TYPE, CBOR]);
  });

  it('an emulator (http://127.0.0.1:4567): JSON throughout', async () => {
    const { kinesis, handler } = client(answer);
    const wire = useWireProtocol(kinesis);
    await kinesis.send(new GetShardIteratorCommand(input));
    await kinesis.send(new GetShardIteratorCommand(input));
    expect(handler.requests.map(contentType)).toEqual([JSON_TYPE, JSON_TYPE]);
    expect(wire.protocol).toBe('json');
  });

  it("leaves an object that is not an SDK client (a test double) alone under 'auto', and refuses it for 'cbor'", () => {
    const fake = () => ({ send: async () => ({}) }) as never;
    expect(useWireProtocol(fake()).protocol).toBe('json');
    expect(() => useWireProtocol(fake(), { wireProtocol: 'cbor' })).toThrow(/^kinesisClient: expected an AWS SDK v3 KinesisClient \(with a middlewareStack\) for wireProtocol "cbor", got/);
  });

  it('rejects an unknown protocol naming the option', () => {
    const { kinesis } = client(answer);
    expect(() => useWireProtocol(kinesis, { wireProtocol: 'xml' as never })).toThrow('wireProtocol: expected one of "auto", "cbor", "json", got "xml"');
  });
});

it('decodes what it encodes (sanity of the test helpers)', () => {
  expect(decodeCbor(encodeRequest('GetRecords', { ShardIterator: 'i', Limit: 1 })!)).toEqual({ ShardIterator: 'i', Limit: 1 });
});
