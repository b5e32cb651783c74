// Both protocols against real protocol servers: kinesalite (the local stack, its CBOR bugs fixed)
// and kinesis-mock, through real SDK v3 clients — one plain (JSON), one with useWireProtocol('cbor').
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type _Record,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { AwsRequestError, callAws, classifyAwsError, ManualClock } from '@kinesis-toolkit/core';
import { createKinesisClient, createStream, recordSentRequests, ShardLimitProxy, uniqueName } from '@kinesis-toolkit/testing';
import { useWireProtocol } from '@kinesis-toolkit/wire';
import { useStackAndKinesisMock } from '../../../test/support/stackAndKinesisMock';

const servers = useStackAndKinesisMock();

interface Server {
  readonly name: string;
  endpoint(): string;
}
const SERVERS: Server[] = [
  { name: 'kinesalite', endpoint: () => servers.stack.kinesis.endpoint },
  { name: 'kinesis-mock', endpoint: () => servers.mock.endpoint },
];

interface Clients {
  readonly json: KinesisClient;
  readonly cbor: KinesisClient;
  /** Every request's content type, in order, as the CBOR client sent it. */
  readonly cborContentTypes: readonly string[];
}
function clientsFor(server: Server): Clients {
  const json = createKinesisClient(server.endpoint(), { maxAttempts: 1 });
  const cbor = createKinesisClient(server.endpoint(), { maxAttempts: 1 });
  const wire = useWireProtocol(cbor, { wireProtocol: 'cbor' });
  const sent = recordSentRequests(cbor);
  wire.on('fallback', (event) => {
    throw new Error(`unexpected fallback: ${event.reason}`);
  });
  return {
    json,
    cbor,
    get cborContentTypes() {
      return sent.map((request) => String(request.headers['content-type']));
    },
  };
}

async function readAll(client: KinesisClient, streamName: string, shardId: string): Promise<_Record[]> {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const records: _Record[] = [];
  let iterator = ShardIterator;
  for (let page = 0; page < 20 && iterator !== undefined; page++) {
    const output = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    records.push(...(output.Records ?? []));
    if ((output.Records ?? []).length === 0) break;
    iterator = output.NextShardIterator;
  }
  return records;
}

/** Records of every shape worth a byte-for-byte check: empty, one byte, every byte value, 1 MiB minus the key, non-ASCII keys. */
function recordsToWrite(tag: string): { Data: Uint8Array; PartitionKey: string; ExplicitHashKey?: string }[] {
  const sizes = [0, 1, 23, 24, 255, 256, 65_535, 65_536, 100_000];
  const records: { Data: Uint8Array; PartitionKey: string; ExplicitHashKey?: string }[] = sizes.map((size, i) => ({ Data: new Uint8Array(randomBytes(size)), PartitionKey: `${tag}-${i}-ключ-🔑` }));
  records.push({ Data: new Uint8Array(Array.from({ length: 256 }, (_, i) => i)), PartitionKey: `${tag}-every-byte`, ExplicitHashKey: '170141183460469231731687303715884105728' });
  return records;
}

describe.each(SERVERS)('$name: records round-trip byte for byte through both protocols', (server) => {
  let clients: Clients;
  beforeAll(() => {
    clients = clientsFor(server);
  });
  afterAll(() => {
    clients.json.destroy();
    clients.cbor.destroy();
  });

  it('PutRecords and PutRecord written as JSON and as CBOR read back identically as JSON and as CBOR', async () => {
    const streamName = uniqueName('wire-roundtrip');
    await createStream(clients.json, streamName, 1);
    const written: { Data: Uint8Array; PartitionKey: string }[] = [];
    for (const [writer, client] of [['json', clients.json], ['cbor', clients.cbor]] as const) {
      const batch = recordsToWrite(`${writer}-batch`);
      const result = await client.send(new PutRecordsCommand({ StreamName: streamName, Records: batch }));
      expect(result.FailedRecordCount).toBe(0);
      expect(result.Records).toHaveLength(batch.length);
      written.push(...batch);
      const single = { Data: new Uint8Array(randomBytes(1000)), PartitionKey: `${writer}-single` };
      const put = await client.send(new PutRecordCommand({ StreamName: streamName, ...single }));
      expect(put.ShardId).toBe('shardId-000000000000');
      written.push(single);
    }
    const { Shards = [] } = await clients.json.send(new ListShardsCommand({ StreamName: streamName }));
    const viaJson = await readAll(clients.json, streamName, Shards[0]!.ShardId!);
    const viaCbor = await readAll(clients.cbor, streamName, Shards[0]!.ShardId!);

    expect(viaJson.map((r) => ({ Data: r.Data, PartitionKey: r.PartitionKey }))).toEqual(written.map((r) => ({ Data: r.Data, PartitionKey: r.PartitionKey })));
    // The CBOR client's records are the JSON client's, field for field (Dates, sequence numbers…).
    expect(viaCbor).toEqual(viaJson);
    for (const record of viaCbor) {
      expect(record.Data!.constructor).toBe(Uint8Array);
      expect(record.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
    }
    expect(new Set(clients.cborContentTypes)).toEqual(new Set(['application/x-amz-cbor-1.1']));
  });

  it('GetShardIterator AT_TIMESTAMP (tag-1 milliseconds) starts where the JSON one does', async () => {
    const streamName = uniqueName('wire-timestamp');
    await createStream(clients.json, streamName, 1);
    await clients.json.send(new PutRecordCommand({ StreamName: streamName, Data: new Uint8Array([1]), PartitionKey: 'before' }));
    const { Records: [first] = [] } = await clients.json.send(
      new GetRecordsCommand({ ShardIterator: (await clients.json.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator }),
    );
    const at = new Date(first!.ApproximateArrivalTimestamp!.getTime() + 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await clients.json.send(new PutRecordCommand({ StreamName: streamName, Data: new Uint8Array([2]), PartitionKey: 'after' }));
    const keysFrom = async (client: KinesisClient): Promise<string[]> => {
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: at }));
      const { Records = [] } = await client.send(new GetRecordsCommand({ ShardIterator }));
      return Records.map((r) => r.PartitionKey!);
    };
    expect(await keysFrom(clients.cbor)).toEqual(await keysFrom(clients.json));
    expect(await keysFrom(clients.json)).toEqual(['after']);
  });
});

/** What a caller can see of an error: the SDK's, and what core makes of it. */
async function errorOf(run: () => Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
  );
  if (error === undefined) throw new Error('expected the call to fail');
  const { kind, code } = classifyAwsError(error);
  // Messages that quote the server's clock differ by the milliseconds between the two calls.
  const message = error.message.replace(/\d{13}/g, '<epoch ms>');
  return { constructor: error.constructor.name, name: error.name, message, fault: error.$fault, status: error.$metadata?.httpStatusCode, kind, code };
}

describe.each(SERVERS)('$name: every error path gives the same typed error under both protocols', (server) => {
  let clients: Clients;
  let streamName: string;
  beforeAll(async () => {
    clients = clientsFor(server);
    streamName = uniqueName('wire-errors');
    await createStream(clients.json, streamName, 1);
  });
  afterAll(() => {
    clients.json.destroy();
    clients.cbor.destroy();
  });

  const cases: [string, (client: KinesisClient) => Promise<unknown>][] = [
    ['PutRecords to a missing stream', (c) => c.send(new PutRecordsCommand({ StreamName: 'no-such-stream-wire', Records: [{ Data: new Uint8Array([1]), PartitionKey: 'k' }] }))],
    ['PutRecord to a missing stream', (c) => c.send(new PutRecordCommand({ StreamName: 'no-such-stream-wire', Data: new Uint8Array([1]), PartitionKey: 'k' }))],
    ['GetShardIterator on a missing stream', (c) => c.send(new GetShardIteratorCommand({ StreamName: 'no-such-stream-wire', ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }))],
    ['GetShardIterator on a missing shard', (c) => c.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000099', ShardIteratorType: 'LATEST' }))],
    ['PutRecord with an explicit hash key out of range (invalid argument)', (c) => c.send(new PutRecordCommand({ StreamName: streamName, Data: new Uint8Array([1]), PartitionKey: 'k', ExplicitHashKey: '340282366920938463463374607431768211456' }))],
    ['GetRecords with a malformed shard iterator (invalid argument)', (c) => c.send(new GetRecordsCommand({ ShardIterator: 'AAAAAAAAAAAAAAAA' }))],
  ];
  // kinesis-mock refuses a future AT_TIMESTAMP in CBOR ('Timestamp cannot be in the future') but
  // hands out an iterator for it in JSON; kinesalite refuses it in both, as AWS does.
  if (server.name === 'kinesalite') {
    cases.push(['GetShardIterator AT_TIMESTAMP in the future (invalid argument)', (c) => c.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(Date.now() + 3_600_000) }))]);
  }
  it.each(cases)('%s', async (_what, run) => {
    const viaJson = await errorOf(() => run(clients.json));
    const viaCbor = await errorOf(() => run(clients.cbor));
    expect(viaCbor).toEqual(viaJson);
    expect(clients.cborContentTypes.at(-1)).toBe('application/x-amz-cbor-1.1');
  });

  it('through callAws the same AwsRequestError: code, kind, attempts', async () => {
    const run = (client: KinesisClient): Promise<AwsRequestError> =>
      callAws(client, new PutRecordsCommand({ StreamName: 'no-such-stream-wire', Records: [{ Data: new Uint8Array([1]), PartitionKey: 'k' }] }), { service: 'Kinesis', timeoutMs: 5000 }).then(
        () => {
          throw new Error('expected the call to fail');
        },
        (e: unknown) => e as AwsRequestError,
      );
    const [viaJson, viaCbor] = [await run(clients.json), await run(clients.cbor)];
    expect(viaCbor).toBeInstanceOf(AwsRequestError);
    expect({ code: viaCbor.code, kind: viaCbor.classification.kind, attempts: viaCbor.attempts }).toEqual({ code: viaJson.code, kind: viaJson.classification.kind, attempts: viaJson.attempts });
    expect(viaCbor.code).toBe('ResourceNotFoundException');
  });
});

describe('kinesalite behind the ShardLimitProxy: throttling', () => {
  it('a throttled PutRecord and GetRecords give the same ProvisionedThroughputExceededException under both protocols', async () => {
    const proxy = await ShardLimitProxy.start({ target: servers.stack.kinesis.endpoint, clock: new ManualClock(), scale: 0.001 });
    const clients = clientsFor({ name: 'proxy', endpoint: () => proxy.endpoint });
    try {
      const streamName = uniqueName('wire-throttled');
      await createStream(servers.stack.kinesis.client, streamName, 1);
      // 1 record and 0.005 GetRecords calls a second: the first of each passes, the rest are throttled.
      await clients.json.send(new PutRecordCommand({ StreamName: streamName, Data: new Uint8Array([1]), PartitionKey: 'k' }));
      const put = (c: KinesisClient) => () => c.send(new PutRecordCommand({ StreamName: streamName, Data: new Uint8Array([2]), PartitionKey: 'k' }));
      const viaJson = await errorOf(put(clients.json));
      const viaCbor = await errorOf(put(clients.cbor));
      expect(viaJson).toMatchObject({ name: 'ProvisionedThroughputExceededException', kind: 'throttled', status: 400 });
      expect(viaCbor).toEqual(viaJson);

      const { ShardIterator } = await clients.cbor.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
      await clients.cbor.send(new GetRecordsCommand({ ShardIterator }));
      const read = (c: KinesisClient) => () => c.send(new GetRecordsCommand({ ShardIterator }));
      const readViaCbor = await errorOf(read(clients.cbor));
      const readViaJson = await errorOf(read(clients.json));
      expect(readViaJson).toMatchObject({ name: 'ProvisionedThroughputExceededException', kind: 'throttled' });
      expect(readViaCbor).toEqual(readViaJson);
      expect(clients.cborContentTypes.every((type) => type === 'application/x-amz-cbor-1.1')).toBe(true);
    } finally {
      clients.json.destroy();
      clients.cbor.destroy();
      await proxy.stop();
    }
  });
});

describe('kinesalite: an expired shard iterator', () => {
  // kinesalite's iterators are AES-encrypted with a key it publishes (kinesalite/db): one minted
  // six minutes ago is what a consumer that paused that long would hold.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('kinesalite/db') as { ITERATOR_PWD_KEY: Buffer; ITERATOR_PWD_IV: Buffer };
  function agedIterator(iterator: string, ageMs: number): string {
    const bytes = Buffer.from(iterator, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
    const pieces = Buffer.concat([decipher.update(bytes.subarray(8)), decipher.final()]).toString('utf8').split('/');
    pieces[0] = String(Date.now() - ageMs).padStart(14, '0');
    const cipher = createCipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV);
    return Buffer.concat([bytes.subarray(0, 8), cipher.update(pieces.join('/'), 'utf8'), cipher.final()]).toString('base64');
  }

  it('ExpiredIteratorException under both protocols, alike', async () => {
    const clients = clientsFor(SERVERS[0]!);
    try {
      const streamName = uniqueName('wire-expired');
      await createStream(clients.json, streamName, 1);
      const { ShardIterator } = await clients.json.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
      const expired = agedIterator(ShardIterator!, 6 * 60_000);
      const viaJson = await errorOf(() => clients.json.send(new GetRecordsCommand({ ShardIterator: expired })));
      const viaCbor = await errorOf(() => clients.cbor.send(new GetRecordsCommand({ ShardIterator: expired })));
      expect(viaJson).toMatchObject({ name: 'ExpiredIteratorException', kind: 'fatal' });
      expect(viaCbor).toEqual(viaJson);
    } finally {
      clients.json.destroy();
      clients.cbor.destroy();
    }
  });
});
