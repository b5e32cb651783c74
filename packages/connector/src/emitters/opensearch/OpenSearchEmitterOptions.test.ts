import { OPENSEARCH_EMITTER_DEFAULTS, resolveOpenSearchEmitterOptions, type OpenSearchEmitterOptions } from './OpenSearchEmitterOptions';

const base = { endpoint: 'http://127.0.0.1:9200', indexName: 'logs' };
const withBackup = (s3Backup: Record<string, unknown>): OpenSearchEmitterOptions => ({ ...base, s3Backup: { bucket: 'backup', ...s3Backup } });

describe('resolveOpenSearchEmitterOptions: s3Backup.mode (Firehose’s S3BackupMode)', () => {
  it('FailedDocumentsOnly by default, as Firehose: no backup prefix, failed documents under the error prefix', () => {
    const resolved = resolveOpenSearchEmitterOptions(withBackup({}));
    expect(resolved).toMatchObject({ s3BackupMode: OPENSEARCH_EMITTER_DEFAULTS.s3BackupMode, backupPrefix: undefined });
    expect(resolved.s3BackupMode).toBe('FailedDocumentsOnly');
    expect(resolved.errorOutputPrefix.source).toBe(OPENSEARCH_EMITTER_DEFAULTS.errorOutputPrefix);
  });

  it('AllDocuments: the backup prefix defaults to "" with Firehose’s yyyy/MM/dd/HH/ appended, and takes Firehose’s expressions', () => {
    const at = { timestamp: new Date(Date.UTC(2024, 4, 1, 13, 5)), randomString: 'abcdefghijk' };
    expect(resolveOpenSearchEmitterOptions(withBackup({ mode: 'AllDocuments' })).backupPrefix!.expand(at)).toBe('2024/05/01/13/');
    const custom = resolveOpenSearchEmitterOptions(withBackup({ mode: 'AllDocuments', prefix: 'all/!{timestamp:yyyy-MM}/!{firehose:random-string}/', errorOutputPrefix: 'failed/' }));
    expect(custom.backupPrefix!.expand(at)).toBe('all/2024-05/abcdefghijk/');
    expect(custom.errorOutputPrefix.source).toBe('failed/');
  });

  it.each([
    [{ mode: 'Enabled' }, /^s3Backup\.mode: expected one of "FailedDocumentsOnly", "AllDocuments", got "Enabled"/],
    [{ prefix: 'all/' }, /^s3Backup\.prefix: expected set with mode 'AllDocuments' only \(with FailedDocumentsOnly every object goes under errorOutputPrefix\), got "all\/"/],
    [{ mode: 'FailedDocumentsOnly', prefix: '' }, /^s3Backup\.prefix: expected set with mode 'AllDocuments' only/],
    [{ mode: 'AllDocuments', prefix: 'all/!{timestamp:yyyy}/' }, /^s3Backup\.errorOutputPrefix: expected an error output prefix: Firehose requires one when the prefix has expressions/],
    [{ mode: 'AllDocuments', prefix: '!{firehose:error-output-type}/', errorOutputPrefix: 'e/' }, /^s3Backup\.prefix: expected no !\{firehose:error-output-type\} \(it is allowed in the error prefix only\)/],
  ])('refuses s3Backup %j naming the field', (s3Backup, message) => {
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(TypeError);
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(message);
  });
});

describe('resolveOpenSearchEmitterOptions: s3Backup.compressionFormat and s3Backup.kmsKeyArn (Firehose’s S3Configuration)', () => {
  const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('UNCOMPRESSED and no encryption key by default', () => {
    const resolved = resolveOpenSearchEmitterOptions(withBackup({}));
    expect(resolved.compressionFormat).toBe(OPENSEARCH_EMITTER_DEFAULTS.compressionFormat);
    expect(resolved.compressionFormat).toBe('UNCOMPRESSED');
    expect(resolved.kmsKeyArn).toBeUndefined();
  });

  it.each(['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'])('takes %s (all five formats: only a Redshift destination refuses some) in either mode', (compressionFormat) => {
    expect(resolveOpenSearchEmitterOptions(withBackup({ compressionFormat })).compressionFormat).toBe(compressionFormat);
    expect(resolveOpenSearchEmitterOptions(withBackup({ mode: 'AllDocuments', compressionFormat })).compressionFormat).toBe(compressionFormat);
  });

  it('takes a KMS key ARN or an alias ARN', () => {
    expect(resolveOpenSearchEmitterOptions(withBackup({ kmsKeyArn: KEY })).kmsKeyArn).toBe(KEY);
    const alias = 'arn:aws:kms:eu-west-1:123456789012:alias/backup';
    expect(resolveOpenSearchEmitterOptions(withBackup({ mode: 'AllDocuments', kmsKeyArn: alias })).kmsKeyArn).toBe(alias);
  });

  it.each([
    [{ compressionFormat: 'gzip' }, /^s3Backup\.compressionFormat: expected one of "UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY", got "gzip"/],
    [{ compressionFormat: 'SNAPPY' }, /^s3Backup\.compressionFormat: expected one of .*, got "SNAPPY"/],
    [{ kmsKeyArn: 'alias/backup' }, /^s3Backup\.kmsKeyArn: expected a KMS key ARN like arn:aws:kms:/],
    [{ kmsKeyArn: 'arn:aws:s3:::bucket' }, /^s3Backup\.kmsKeyArn: expected a KMS key ARN/],
    [{ kmsKeyArn: 42 }, /^s3Backup\.kmsKeyArn: expected /],
  ])('refuses s3Backup %j naming the field', (s3Backup, message) => {
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(TypeError);
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(message);
  });

  it('refuses a key ARN longer than Firehose’s 512 characters, naming s3Backup.kmsKeyArn', () => {
    expect(() => resolveOpenSearchEmitterOptions(withBackup({ kmsKeyArn: `${KEY}${'x'.repeat(512 - KEY.length + 1)}` }))).toThrow(/^s3Backup\.kmsKeyArn: expected a KMS key ARN .*at most 512 characters/);
  });

  it.each(['compressionFormat', 'kmsKeyArn'])('refuses %s outside s3Backup (it belongs to the bucket’s settings)', (name) => {
    expect(() => resolveOpenSearchEmitterOptions({ ...base, s3Backup: { bucket: 'backup' }, [name]: 'GZIP' } as OpenSearchEmitterOptions)).toThrow(new RegExp(`^${name}: expected no such option`));
  });
});
