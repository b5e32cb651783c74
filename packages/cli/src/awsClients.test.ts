import { kinesisClientFor, resolveAwsSettings } from './awsClients';

describe('resolveAwsSettings', () => {
  it('prefers flags over KT_* variables', () => {
    const settings = resolveAwsSettings(
      { 'kinesis-endpoint': 'http://localhost:1', region: 'eu-west-1' },
      { KT_KINESIS_ENDPOINT: 'http://localhost:2', KT_DYNAMODB_ENDPOINT: 'http://localhost:3', AWS_REGION: 'us-west-2' },
    );
    expect(settings).toMatchObject({ kinesisEndpoint: 'http://localhost:1', dynamodbEndpoint: 'http://localhost:3', s3Endpoint: undefined, region: 'eu-west-1' });
  });

  it('uses the local fake key pair and us-east-1 for local endpoints when the environment has no credentials', () => {
    const settings = resolveAwsSettings({}, { KT_KINESIS_ENDPOINT: 'http://127.0.0.1:4567' });
    expect(settings.region).toBe('us-east-1');
    expect(settings.localCredentials).toEqual({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  });

  it("leaves credentials to the SDK's chain when the environment has some, or the endpoint is not local", () => {
    expect(resolveAwsSettings({}, { KT_KINESIS_ENDPOINT: 'http://127.0.0.1:4567', AWS_PROFILE: 'dev' }).localCredentials).toBeUndefined();
    expect(resolveAwsSettings({}, { KT_KINESIS_ENDPOINT: 'https://kinesis.example.com' }).localCredentials).toBeUndefined();
    expect(resolveAwsSettings({}, {})).toEqual({
      region: undefined,
      kinesisEndpoint: undefined,
      dynamodbEndpoint: undefined,
      s3Endpoint: undefined,
      localCredentials: undefined,
      wireProtocol: 'auto',
    });
  });

  it('takes the wire protocol from --wire-protocol, else KT_WIRE_PROTOCOL, else auto; anything else names its source', () => {
    expect(resolveAwsSettings({ 'wire-protocol': 'cbor' }, { KT_WIRE_PROTOCOL: 'json' }).wireProtocol).toBe('cbor');
    expect(resolveAwsSettings({}, { KT_WIRE_PROTOCOL: 'json' }).wireProtocol).toBe('json');
    expect(() => resolveAwsSettings({ 'wire-protocol': 'xml' }, {})).toThrow('--wire-protocol must be auto, cbor, json, got "xml".');
    expect(() => resolveAwsSettings({}, { KT_WIRE_PROTOCOL: 'CBOR' })).toThrow('KT_WIRE_PROTOCOL must be auto, cbor, json, got "CBOR".');
  });

  it('puts the Kinesis clients it builds on that protocol', () => {
    const wireMiddlewares = (settings: Parameters<typeof kinesisClientFor>[0]) => {
      const client = kinesisClientFor(settings);
      const names = client.middlewareStack.identify().filter((name) => name.startsWith('kinesisWire'));
      client.destroy();
      return names.length;
    };
    expect(wireMiddlewares(resolveAwsSettings({ 'wire-protocol': 'cbor' }, {}))).toBe(3);
    expect(wireMiddlewares(resolveAwsSettings({ 'wire-protocol': 'json' }, {}))).toBe(0);
  });

  it('falls back to AWS_DEFAULT_REGION', () => {
    expect(resolveAwsSettings({}, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
  });
});
