import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NOOP_LOGGER } from '@kinesis-toolkit/core';
import { uniqueName } from '../helpers/uniqueName';
import { startKinesalite, type InProcessServer } from '../stack/inProcessServers';
import { CLIENT_KINDS, clientOfKind, expectedOutcome, exerciseKinesis, handlerName } from './fixtures/kinesisCalls';
import { ProtocolFront } from './ProtocolFront';

describe('the local Kinesis endpoint (kinesalite behind its HTTP/2 + HTTP/1.1 front)', () => {
  let kinesalite: InProcessServer;
  beforeAll(async () => {
    kinesalite = await startKinesalite('127.0.0.1', 100, NOOP_LOGGER);
  });
  afterAll(() => kinesalite.close());

  it('a default KinesisClient really uses HTTP/2 (NodeHttp2Handler), and fails against kinesalite without the front', async () => {
    const direct = clientOfKind('default client (HTTP/2)', kinesalite.directEndpoint!);
    try {
      expect(handlerName(direct)).toBe('NodeHttp2Handler');
      await expect(direct.send(new ListStreamsCommand({}))).rejects.toThrow(/Protocol error|ERR_HTTP2/);
    } finally {
      direct.destroy();
    }
  });

  it.each(CLIENT_KINDS)('serves every operation the toolkit sends to kinesalite to a %s, 4 MiB bodies both ways', async (kind) => {
    const before = kinesalite.front!.stats.connections;
    const client = clientOfKind(kind, kinesalite.endpoint);
    try {
      await expect(exerciseKinesis(client, uniqueName('front'))).resolves.toEqual(expectedOutcome());
    } finally {
      client.destroy();
    }
    const after = kinesalite.front!.stats.connections;
    // The connection went through the protocol it claims.
    if (kind === 'default client (HTTP/2)') expect(after.h2).toBeGreaterThan(before.h2);
    else expect(after['http/1.1']).toBeGreaterThan(before['http/1.1']);
  });

  it('serves both protocols at once on one port, 32 calls in flight each', async () => {
    const streamName = uniqueName('front-mixed');
    const clients = CLIENT_KINDS.map((kind) => clientOfKind(kind, kinesalite.endpoint));
    try {
      const { CreateStreamCommand } = await import('@aws-sdk/client-kinesis');
      await clients[0]!.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: 1 }));
      const { waitUntilActive } = await import('./fixtures/kinesisCalls');
      await waitUntilActive(clients[1]!, streamName);
      const puts = clients.flatMap((client, c) =>
        Array.from({ length: 32 }, (_, i) => client.send(new PutRecordCommand({ StreamName: streamName, PartitionKey: `${c}-${i}`, Data: Buffer.from(`${c}-${i}`) }))),
      );
      const results = await Promise.all(puts);
      expect(new Set(results.map((result) => result.SequenceNumber)).size).toBe(64);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe('ProtocolFront in front of a server that misbehaves', () => {
  let slow: Server;
  let front: ProtocolFront;
  let closedEarly = 0;
  beforeAll(async () => {
    // Answers /stream with a body that never ends (a subscription), /refuse never, anything else at once.
    slow = createServer((request, response) => {
      request.resume();
      if (request.url === '/stream') {
        response.writeHead(200, { 'content-type': 'application/octet-stream', connection: 'keep-alive' });
        response.write('first chunk');
        response.on('close', () => (closedEarly += response.writableEnded ? 0 : 1));
        return;
      }
      response.end('ok');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    front = await ProtocolFront.start({ name: 'slow', host: '127.0.0.1', target: { host: '127.0.0.1', port: (slow.address() as AddressInfo).port }, logger: NOOP_LOGGER });
  });
  afterAll(async () => {
    await front.stop();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  });

  it('streams a response that never ends as it comes, and ends the upstream request when the HTTP/2 client gives up', async () => {
    const { connect } = await import('node:http2');
    const session = connect(front.endpoint);
    try {
      const stream = session.request({ ':method': 'GET', ':path': '/stream' });
      const [status, first] = await new Promise<[number, string]>((resolve, reject) => {
        let code = 0;
        stream.on('response', (headers) => (code = Number(headers[':status'])));
        stream.once('data', (chunk: Buffer) => resolve([code, chunk.toString()]));
        stream.once('error', reject);
      });
      expect([status, first]).toEqual([200, 'first chunk']);
      stream.close();
      const { waitFor } = await import('../helpers/waitFor');
      await waitFor(() => closedEarly === 1, { timeoutMs: 5_000, description: 'the upstream response to be closed' });
    } finally {
      session.close();
    }
  });

  it('answers HTTP/2 with a 502 InternalFailure, and closes HTTP/1.1 connections, when the server behind it is gone', async () => {
    const gone = await ProtocolFront.start({ name: 'gone', host: '127.0.0.1', target: { host: '127.0.0.1', port: 1 }, logger: NOOP_LOGGER });
    const clients = CLIENT_KINDS.map((kind) => clientOfKind(kind, gone.endpoint));
    try {
      await expect(clients[0]!.send(new ListStreamsCommand({}))).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 502 } });
      await expect(clients[1]!.send(new ListStreamsCommand({}))).rejects.toThrow(/socket hang up|ECONNRESET/);
    } finally {
      for (const client of clients) client.destroy();
      await gone.stop();
    }
  });
});
