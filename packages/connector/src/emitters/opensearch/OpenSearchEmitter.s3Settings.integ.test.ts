import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client, recordSentRequests, uniqueName, type SentRequest, serverSideEncryptionHeaders } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../../test/emitters/makeBatch';
import type { LocalBulkEndpoint } from '../../../test/opensearch/LocalBulkEndpoint';
import { useBulkAndBucket } from '../../../test/opensearch/useBulkAndBucket';
import { OpenSearchEmitter } from './OpenSearchEmitter';

// The bucket settings of OpenSearchEmitter's S3 backup (Firehose's S3Configuration:
// CompressionFormat, KMSEncryptionConfig), against a local _bulk stand-in (no OpenSearch server
// here) and s3rver. s3rver accepts the x-amz-server-side-encryption* headers but does not encrypt:
// the SSE test checks what the real SDK client serializes onto the wire (testing's recordSentRequests).

const fixture = useBulkAndBucket('opensearch-s3');
let s3: S3Client;
let bucket: string;
let bulk: LocalBulkEndpoint;
beforeEach(() => ({ s3, bucket, bulk } = fixture));

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const doc = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);
const refuseBad = (source: Record<string, unknown>) => (source.kind === 'bad' ? { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse' } : ('index' as const));

/** Every object under `prefix`: its key and its raw bytes. */
async function objects(prefix: string): Promise<{ key: string; bytes: Buffer }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return Promise.all((listed.Contents ?? []).map(async ({ Key }) => ({ key: Key!, bytes: Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToByteArray()) })));
}

describe('OpenSearchEmitter s3Backup.compressionFormat, against the local _bulk stand-in (not OpenSearch) and s3rver', () => {
  it('GZIP: the AllDocuments backup object and the failed-document object are gzip, named …-<uuid>.gz, and gunzip to the source records and Firehose’s failed-document lines', async () => {
    const tag = uniqueName('gzip').toLowerCase();
    const emitter = new OpenSearchEmitter({
      endpoint: bulk.endpoint,
      indexName: 'gz',
      indexRotationPeriod: 'NoRotation',
      s3Backup: { mode: 'AllDocuments', client: s3, bucket, prefix: `${tag}/all/`, errorOutputPrefix: `${tag}/failed/!{firehose:error-output-type}/`, compressionFormat: 'GZIP' },
    });
    bulk.answer = refuseBad;
    const batch = makeBatch([doc({ kind: 'ok' }), doc({ kind: 'bad' })], { streamName: 'orders', arrivalMs: Date.UTC(2024, 4, 1, 12, 0, 0) });
    expect(await emitter.emit(batch)).toEqual({ failed: [] });

    const backup = await objects(`${tag}/all/`);
    expect(backup.map((o) => o.key)).toEqual([expect.stringMatching(new RegExp(`^${tag}/all/2024/05/01/12/orders-1-2024-05-01-12-00-00-${UUID}\\.gz$`))]);
    expect(backup[0]!.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(backup[0]!.bytes).toString()).toBe('record 1record 2');

    const failed = await objects(`${tag}/failed/AmazonOpenSearchService-failed/2024/05/01/12/`);
    expect(failed.map((o) => o.key)).toEqual([expect.stringMatching(new RegExp(`/orders-1-2024-05-01-12-00-01-${UUID}\\.gz$`))]);
    const lines = gunzipSync(failed[0]!.bytes).toString().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((d) => [d.errorCode, d.esIndexName, Buffer.from(d.rawData as string, 'base64').toString()])).toEqual([['OS.mapper_parsing_exception', 'gz', '{"kind":"bad"}\n']]);
    expect([...bulk.documents.values()].map((d) => d.source.kind)).toEqual(['ok']);
  });

  it('GZIP with FailedDocumentsOnly: the failed-document object is gzip too (nothing else written)', async () => {
    const tag = uniqueName('gzip-failed').toLowerCase();
    const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'gzf', s3Backup: { client: s3, bucket, errorOutputPrefix: `${tag}/`, compressionFormat: 'GZIP' } });
    bulk.answer = refuseBad;
    expect(await emitter.emit(makeBatch([doc({ kind: 'bad' }), doc({ kind: 'ok' })]))).toEqual({ failed: [] });
    const written = await objects(`${tag}/`);
    expect(written.map((o) => o.key)).toEqual([expect.stringMatching(/\.gz$/)]);
    expect(JSON.parse(gunzipSync(written[0]!.bytes).toString())).toMatchObject({ errorCode: 'OS.mapper_parsing_exception', rawData: doc({ kind: 'bad' }).toString('base64') });
  });

  it('ZIP: the failed-document object is a zip archive named …-<uuid>.zip holding one entry, the object name without .zip', async () => {
    const tag = uniqueName('zip-failed').toLowerCase();
    const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'zipf', s3Backup: { client: s3, bucket, errorOutputPrefix: `${tag}/`, compressionFormat: 'ZIP' } });
    bulk.answer = refuseBad;
    expect(await emitter.emit(makeBatch([doc({ kind: 'bad' })]))).toEqual({ failed: [] });
    const [written] = await objects(`${tag}/`);
    expect(written!.key).toMatch(new RegExp(`-${UUID}\\.zip$`));
    const entries = unzipSync(new Uint8Array(written!.bytes));
    const entryName = written!.key.split('/').at(-1)!.replace(/\.zip$/, '');
    expect(Object.keys(entries)).toEqual([entryName]);
    expect(JSON.parse(Buffer.from(entries[entryName]!).toString())).toMatchObject({ errorCode: 'OS.mapper_parsing_exception' });
  });
});

describe('OpenSearchEmitter s3Backup.kmsKeyArn (s3rver does not apply encryption: the test checks the requests the real S3Client sends)', () => {
  let client: S3Client;
  let sent: SentRequest[];
  beforeAll(() => {
    client = createS3Client(fixture.stack.s3.endpoint);
    sent = recordSentRequests(client);
  });
  afterAll(() => client?.destroy());

  it('KMSEncryptionConfig: the AllDocuments backup PUT and the failed-document PUT both carry x-amz-server-side-encryption: aws:kms and the key ARN; both objects are stored', async () => {
    sent.length = 0;
    const tag = uniqueName('kms').toLowerCase();
    const emitter = new OpenSearchEmitter({
      endpoint: bulk.endpoint,
      indexName: 'kms',
      s3Backup: { mode: 'AllDocuments', client, bucket, prefix: `${tag}/all/`, errorOutputPrefix: `${tag}/failed/`, kmsKeyArn: KEY },
    });
    bulk.answer = refuseBad;
    expect(await emitter.emit(makeBatch([doc({ kind: 'ok' }), doc({ kind: 'bad' })]))).toEqual({ failed: [] });
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path.split('/').slice(2, 4).join('/')).sort()).toEqual([`${tag}/all`, `${tag}/failed`]);
    for (const put of puts) expect(serverSideEncryptionHeaders(put.headers)).toEqual({ 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': KEY });
    expect((await objects(`${tag}/all/`)).map((o) => o.bytes.toString())).toEqual(['record 1record 2']);
    expect((await objects(`${tag}/failed/`)).map((o) => JSON.parse(o.bytes.toString()).errorCode)).toEqual(['OS.mapper_parsing_exception']);
  });

  it('no kmsKeyArn (NoEncryptionConfig): neither PUT carries a server-side-encryption header', async () => {
    sent.length = 0;
    const tag = uniqueName('plain').toLowerCase();
    const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'plain', s3Backup: { mode: 'AllDocuments', client, bucket, prefix: `${tag}/all/`, errorOutputPrefix: `${tag}/failed/` } });
    bulk.answer = refuseBad;
    expect(await emitter.emit(makeBatch([doc({ kind: 'bad' })]))).toEqual({ failed: [] });
    const puts = sent.filter((r) => r.method === 'PUT');
    expect(puts).toHaveLength(2);
    for (const put of puts) expect(serverSideEncryptionHeaders(put.headers)).toEqual({});
  });
});
