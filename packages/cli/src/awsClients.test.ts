import { resolveAwsSettings } from './awsClients';

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
    });
  });

  it('falls back to AWS_DEFAULT_REGION', () => {
    expect(resolveAwsSettings({}, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).toBe('ap-south-1');
  });
});
