import { planDeliveryStream, type CreateDeliveryStreamInput } from './deliveryStreamConfig';

const catalog = { glueTables: new Map(), lambdas: new Map() };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const plan = (s3: Record<string, unknown>) => planDeliveryStream({ DeliveryStreamName: 's', ExtendedS3DestinationConfiguration: { BucketARN: 'arn:aws:s3:::bucket', ...s3 } } as CreateDeliveryStreamInput, catalog);

describe('planDeliveryStream (the local Firehose endpoint’s reading of CreateDeliveryStream)', () => {
  it('passes CustomTimeZone to the emitter and refuses a zone Firehose refuses', () => {
    expect(plan({ CustomTimeZone: 'Asia/Tokyo' }).emitter.customTimeZone).toBe('Asia/Tokyo');
    expect(() => plan({ CustomTimeZone: 'EST' })).toThrow(expect.objectContaining({ type: 'InvalidArgumentException', message: expect.stringMatching(/^CustomTimeZone: expected an IANA time zone name/) }));
  });

  it('maps EncryptionConfiguration: KMSEncryptionConfig.AWSKMSKeyARN → kmsKeyArn, NoEncryptionConfig → none; a malformed one is refused', () => {
    expect(plan({ EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KEY } } }).emitter.kmsKeyArn).toBe(KEY);
    expect(plan({ EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' } }).emitter.kmsKeyArn).toBeUndefined();
    expect(plan({}).emitter.kmsKeyArn).toBeUndefined();
    expect(() => plan({ EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: 'arn:aws:s3:::bucket' } } })).toThrow(/EncryptionConfiguration\.KMSEncryptionConfig\.AWSKMSKeyARN: expected a KMS key ARN/);
    expect(() => plan({ EncryptionConfiguration: { KMSEncryptionConfig: {} } })).toThrow(/AWSKMSKeyARN: expected a KMS key ARN/);
    expect(() => plan({ EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption', KMSEncryptionConfig: { AWSKMSKeyARN: KEY } } })).toThrow(/not both/);
    expect(() => plan({ EncryptionConfiguration: { NoEncryptionConfig: 'Yes' } })).toThrow(/NoEncryptionConfig: expected NoEncryption/);
  });
});
