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
    [{ mode: 'AllDocuments', compressionFormat: 'GZIP' }, /^s3Backup\.compressionFormat: expected no such option/],
  ])('refuses s3Backup %j naming the field', (s3Backup, message) => {
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(TypeError);
    expect(() => resolveOpenSearchEmitterOptions(withBackup(s3Backup))).toThrow(message);
  });
});
