import { NodeHttpHandler } from '@smithy/node-http-handler';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
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

  it('rejects what is not an http(s) endpoint or a bad option', () => {
    expect(() => clientConfigFor('127.0.0.1:4567')).toThrow(/^endpoint: expected an http\(s\) URL/);
    expect(() => clientConfigFor('ftp://127.0.0.1')).toThrow('endpoint: expected an http: or https: URL, got "ftp://127.0.0.1"');
    expect(() => clientConfigFor('http://127.0.0.1:1', { maxAttempts: 0 })).toThrow('maxAttempts: expected an integer >= 1, got 0');
    expect(() => clientConfigFor('http://127.0.0.1:1', { requestTimeoutMs: -5 })).toThrow(TypeError);
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
