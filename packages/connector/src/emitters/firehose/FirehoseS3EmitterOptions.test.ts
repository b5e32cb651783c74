import { FIREHOSE_S3_EMITTER_DEFAULTS, firehoseBufferThresholds, resolveFirehoseS3EmitterOptions } from './FirehoseS3EmitterOptions';
import { RecordSchema } from './conversion/RecordSchema';

const base = { bucket: 'b', deliveryStreamName: 'orders' };

describe('resolveFirehoseS3EmitterOptions', () => {
  it('fills in Firehose’s defaults', () => {
    const resolved = resolveFirehoseS3EmitterOptions(base);
    expect(resolved).toMatchObject({ deliveryStreamVersion: 1, compressionFormat: 'UNCOMPRESSED', fileExtension: '', dynamicPartitioning: undefined, formatConversion: undefined });
    expect(resolved.errorOutputPrefix.source).toBe(FIREHOSE_S3_EMITTER_DEFAULTS.errorOutputPrefix);
    expect(resolved.timeZone.name).toBe('UTC');
    expect(resolved.kmsKeyArn).toBeUndefined();
    expect(resolved.s3Backup).toBeUndefined();
    expect(resolveFirehoseS3EmitterOptions({ ...base, s3Backup: { mode: 'Disabled', bucket: 'x' } }).s3Backup).toBeUndefined();
    const backup = resolveFirehoseS3EmitterOptions({ ...base, s3Backup: { mode: 'Enabled', bucket: 'raw' } }).s3Backup!;
    expect(backup).toMatchObject({ bucket: 'raw', compressionFormat: 'UNCOMPRESSED', kmsKeyArn: undefined });
    expect([backup.prefix.source, backup.errorOutputPrefix.source]).toEqual(['', '!{firehose:error-output-type}/']);
    expect(resolveFirehoseS3EmitterOptions({ ...base, kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:alias/firehose' }).kmsKeyArn).toBe('arn:aws:kms:eu-west-1:123456789012:alias/firehose');
    expect(resolveFirehoseS3EmitterOptions({ ...base, customTimeZone: 'Asia/Tokyo' }).timeZone.name).toBe('Asia/Tokyo');
    expect(resolveFirehoseS3EmitterOptions({ ...base, compressionFormat: 'HADOOP_SNAPPY' }).fileExtension).toBe('.snappy');
    expect(resolveFirehoseS3EmitterOptions({ ...base, formatConversion: { enabled: true, columns: [{ name: 'id', type: 'bigint' }] } }).fileExtension).toBe('.parquet');
  });

  it.each([
    [{ prefix: 'x/!{timestamp:yyyy}/' }, /errorOutputPrefix: expected an error output prefix: Firehose requires one when the prefix has expressions/],
    [{ compressionFormat: 'LZ4' }, /compressionFormat: expected one of/],
    [{ compressionFormat: 'GZIP', formatConversion: { enabled: true, columns: [{ name: 'a', type: 'string' }] } }, /compressionFormat: expected UNCOMPRESSED with format conversion/],
    [{ formatConversion: { enabled: true, outputFormat: 'ORC', columns: [{ name: 'a', type: 'string' }] } }, /ORC is not supported: no well-kept JavaScript ORC writer/],
    [{ formatConversion: { enabled: true, columns: [{ name: 'a', type: 'varchar' }] } }, /formatConversion\.columns\[0\]\.type: expected one of/],
    [{ dynamicPartitioning: { enabled: true }, prefix: 'c=!{partitionKeyFromQuery:c}/', errorOutputPrefix: 'e/' }, /metadataExtractionQuery: expected a jq query that yields c/],
    [{ dynamicPartitioning: { enabled: true, activePartitionLimit: 0 }, prefix: 'c=!{partitionKeyFromLambda:c}/', errorOutputPrefix: 'e/' }, /activePartitionLimit: expected an integer in \[1, 5000\]/],
    [{ fileExtension: 'gz' }, /fileExtension: expected a file extension starting with "\."/],
    [{ customTimeZone: 'EST' }, /customTimeZone: expected an IANA time zone name Firehose supports/],
    [{ kmsKeyArn: 'arn:aws:s3:::bucket' }, /kmsKeyArn: expected a KMS key ARN like arn:aws:kms:/],
    [{ s3Backup: { mode: 'Enabled' } }, /s3Backup\.bucket: expected a string of 1 to 255 characters, got undefined/],
    [{ s3Backup: { mode: 'Always', bucket: 'b' } }, /s3Backup\.mode: expected one of/],
    [{ s3Backup: { mode: 'Enabled', bucket: 'b', prefix: 'src/!{timestamp:yyyy}/' } }, /s3Backup\.errorOutputPrefix: expected an error output prefix/],
    [{ s3Backup: { mode: 'Enabled', bucket: 'b', prefix: 'src/!{partitionKeyFromQuery:k}/', errorOutputPrefix: 'e/' } }, /s3Backup\.prefix: expected no !\{partitionKeyFromQuery/],
    [{ s3Backup: { mode: 'Enabled', bucket: 'b', compressionFormat: 'LZ4' } }, /s3Backup\.compressionFormat: expected one of/],
    [{ s3Backup: { mode: 'Enabled', bucket: 'b', kmsKeyArn: 'key' } }, /s3Backup\.kmsKeyArn: expected a KMS key ARN/],
    [{ s3Backup: { mode: 'Enabled', bucket: 'b', bufferingHints: {} } }, /s3Backup/],
    [{ kmsKeyArn: 'arn:aws:kms:us-east-1:12345:key/abc' }, /kmsKeyArn: expected a KMS key ARN/],
  ])('%j is refused, naming the option', (options, message) => {
    expect(() => resolveFirehoseS3EmitterOptions({ ...base, ...(options as object) })).toThrow(message);
  });
});

describe('firehoseBufferThresholds (Firehose’s buffering hints)', () => {
  it('maps SizeInMBs and IntervalInSeconds with Firehose’s defaults and ranges', () => {
    expect(firehoseBufferThresholds()).toEqual({ maxBytes: 5 * 1024 * 1024, maxAgeMs: 300_000, maxRecords: 10_000_000 });
    expect(firehoseBufferThresholds({ sizeInMBs: 128, intervalInSeconds: 0 })).toMatchObject({ maxBytes: 128 * 1024 * 1024, maxAgeMs: 1 });
    expect(firehoseBufferThresholds({}, { dynamicPartitioning: true }).maxBytes).toBe(64 * 1024 * 1024);
    expect(() => firehoseBufferThresholds({ sizeInMBs: 129 })).toThrow(/bufferingHints\.sizeInMBs: expected an integer in \[1, 128\]/);
    expect(() => firehoseBufferThresholds({ intervalInSeconds: 901 })).toThrow(/bufferingHints\.intervalInSeconds: expected an integer in \[0, 900\]/);
    expect(() => firehoseBufferThresholds({ sizeInMBs: 32 }, { formatConversion: true })).toThrow(/in \[64, 128\]/);
  });
});

describe('RecordSchema (JSON → columns, as the OpenX JSON SerDe reads it)', () => {
  const schema = new RecordSchema('columns', [
    { name: 'id', type: 'bigint' },
    { name: 'Name', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'ok', type: 'boolean' },
    { name: 'at', type: 'timestamp' },
    { name: 'n', type: 'int' },
  ]);

  it('matches keys case-insensitively, ignores extra keys, reads missing keys as null', () => {
    expect(schema.toRow('{"id":7,"name":"x","amount":1.5,"ok":true,"at":"2024-05-01T13:00:00Z","extra":1}')).toEqual([7n, 'x', 1.5, true, new Date('2024-05-01T13:00:00Z'), null]);
  });

  it('fails a record that does not fit, with Firehose’s error codes', () => {
    expect(() => schema.toRow('{"id":"seven"}')).toThrow(expect.objectContaining({ code: 'DataFormatConversion.InvalidSchema', message: 'column id (bigint): got "seven"' }));
    expect(() => schema.toRow('{"n":2147483648}')).toThrow(expect.objectContaining({ code: 'DataFormatConversion.InvalidSchema' }));
    expect(() => schema.toRow('not json')).toThrow(expect.objectContaining({ code: 'DataFormatConversion.MalformedData' }));
    expect(() => schema.toRow('[1]')).toThrow(expect.objectContaining({ code: 'DataFormatConversion.MalformedData' }));
  });
});
