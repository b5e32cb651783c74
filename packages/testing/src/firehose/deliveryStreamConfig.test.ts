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

  it('maps S3BackupMode Enabled + S3BackupConfiguration to the emitter’s s3Backup, and refuses what Firehose refuses', () => {
    const backup = { BucketARN: 'arn:aws:s3:::raw', RoleARN: 'r', Prefix: 'src/', ErrorOutputPrefix: 'src-errors/', CompressionFormat: 'GZIP', EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: KEY } } };
    const planned = plan({ S3BackupMode: 'Enabled', S3BackupConfiguration: backup });
    expect(planned.emitter.s3Backup).toEqual({ mode: 'Enabled', bucket: 'raw', prefix: 'src/', errorOutputPrefix: 'src-errors/', compressionFormat: 'GZIP', kmsKeyArn: KEY });
    expect(planned.description).toMatchObject({ ExtendedS3DestinationDescription: { S3BackupMode: 'Enabled', S3BackupDescription: { BucketARN: 'arn:aws:s3:::raw', CompressionFormat: 'GZIP' } } });
    expect(plan({ S3BackupMode: 'Disabled', S3BackupConfiguration: backup }).emitter.s3Backup).toBeUndefined();
    expect(plan({}).description).toMatchObject({ ExtendedS3DestinationDescription: { S3BackupMode: 'Disabled' } });
    expect(() => plan({ S3BackupMode: 'Enabled' })).toThrow(/S3BackupConfiguration is required when S3BackupMode is Enabled/);
    expect(() => plan({ S3BackupMode: 'FailedOnly', S3BackupConfiguration: backup })).toThrow(/S3BackupMode: expected Disabled or Enabled/);
    expect(() => plan({ S3BackupMode: 'Enabled', S3BackupConfiguration: { ...backup, BucketARN: 'raw' } })).toThrow(/S3BackupConfiguration\.BucketARN must be an S3 bucket ARN/);
    expect(() => plan({ S3BackupMode: 'Enabled', S3BackupConfiguration: { ...backup, BufferingHints: { IntervalInSeconds: 0 } } })).toThrow(/zero buffering is not available for the Amazon S3 backup/);
    expect(() => plan({ S3BackupMode: 'Enabled', S3BackupConfiguration: { ...backup, BufferingHints: { SizeInMBs: 129 } } })).toThrow(/S3BackupConfiguration\.bufferingHints\.sizeInMBs/);
    expect(() => plan({ S3BackupMode: 'Enabled', S3BackupConfiguration: { ...backup, EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: 'x' } } } })).toThrow(/S3BackupConfiguration\.EncryptionConfiguration\.KMSEncryptionConfig\.AWSKMSKeyARN/);
  });
});
