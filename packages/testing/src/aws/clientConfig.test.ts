import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { InvalidArgumentError } from '@kinesis-toolkit/core';
import { clientConfigFor, createKinesisClient, createS3Client, TEST_CREDENTIALS, TEST_REGION, TEST_WIRE_PROTOCOL_ENV } from './clientConfig';

describe('clientConfigFor', () => {
  it('points a client at the endpoint with the test region, fake credentials and an HTTP/1.1 handler', () => {
    const config = clientConfigFor('http://127.0.0.1:4567');
    expect(config).toMatchObject({ endpoint: 'http://127.0.0.1:4567', region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 3 });
    expect(config.requestHandler).toBeInstanceOf(NodeHttpHandler);
  });

  it('gives every client its own credentials object and handler (the SDK writes into credentials)', () => {
    const a = clientConfigFor('http://127.0.0.1:1');
    const b = clientConfigFor('http://127.0.0.1:1');
    expect(a.credentials).not.toBe(b.credentials);
    expect(a.credentials).not.toBe(TEST_CREDENTIALS);
    expect(a.requestHandler).not.toBe(b.requestHandler);
  });

  it('fits an SDK client constructor as it is', async () => {
    const client = new KinesisClient(clientConfigFor('http://127.0.0.1:4567', { region: 'eu-west-1' }));
    await expect(client.config.region()).resolves.toBe('eu-west-1');
    client.destroy();
  });

  it('makes S3 clients path-style', async () => {
    const client: S3Client = createS3Client('http://127.0.0.1:4569');
    expect(client.config.forcePathStyle).toBe(true);
    client.destroy();
  });

  it.each([
    [() => clientConfigFor('127.0.0.1:4567'), 'endpoint: expected an http:// or https:// URL, got "127.0.0.1:4567"'],
    [() => clientConfigFor('ftp://127.0.0.1'), 'endpoint: expected an http:// or https:// URL, got "ftp://127.0.0.1"'],
    [() => clientConfigFor('http://127.0.0.1:1', { maxAttempts: 0 }), 'maxAttempts: expected an integer >= 1, got 0'],
    [() => clientConfigFor('http://127.0.0.1:1', { requestTimeoutMs: -5 }), 'requestTimeoutMs: expected a number >= 0, got -5'],
    [() => clientConfigFor('http://127.0.0.1:1', { maxAtempts: 1 } as never), 'maxAtempts: expected no such option — did you mean "maxAttempts"?, got 1'],
    [() => clientConfigFor('http://127.0.0.1:1', { credentials: { accessKeyId: 'a' } } as never), 'credentials.secretAccessKey: expected a non-empty string, got undefined'],
    [() => clientConfigFor('http://127.0.0.1:1', { trustSelfSignedCertificate: 'yes' } as never), 'trustSelfSignedCertificate: expected true or false, got "yes"'],
    [() => clientConfigFor('http://127.0.0.1:1', 5 as never), 'options: expected an object, got 5'],
  ])('rejects a bad endpoint or option with an InvalidArgumentError naming it (%#)', (call, message) => {
    expect(call).toThrow(new InvalidArgumentError('x', 'y', 'z').constructor as never);
    expect(call).toThrow(message);
  });
});

describe('createKinesisClient and the KT_WIRE_PROTOCOL test matrix', () => {
  const saved = process.env[TEST_WIRE_PROTOCOL_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[TEST_WIRE_PROTOCOL_ENV];
    else process.env[TEST_WIRE_PROTOCOL_ENV] = saved;
  });
  const wireMiddlewares = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().filter((name) => name.startsWith('kinesisWire'));

  it('unset: the SDK as it comes', () => {
    delete process.env[TEST_WIRE_PROTOCOL_ENV];
    const client = createKinesisClient('http://127.0.0.1:4567');
    expect(wireMiddlewares(client)).toEqual([]);
    client.destroy();
  });

  it('cbor: the wire protocol is on the client', () => {
    process.env[TEST_WIRE_PROTOCOL_ENV] = 'cbor';
    const client = createKinesisClient('http://127.0.0.1:4567');
    expect(wireMiddlewares(client)).toHaveLength(3);
    client.destroy();
  });

  it('anything else: a TypeError naming the variable', () => {
    process.env[TEST_WIRE_PROTOCOL_ENV] = 'xml';
    expect(() => createKinesisClient('http://127.0.0.1:4567')).toThrow(/^KT_WIRE_PROTOCOL: expected one of auto, cbor, json, got "xml"/);
  });
});
