import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { FaultProxy, createBucket, createS3Client, uniqueName, type TestStack } from '@kinesis-toolkit/testing';
import { makeBatch } from '../../../test/emitters/makeBatch';
import { FakeCheckpointer, at, dropOrFailLambda, record } from '../../../test/pipelineFakes';
import { createPipeline } from '../../pipeline/createPipeline';
import { FirehoseTransformer } from '../../transformers/FirehoseTransformer';
import { StringTransformer } from '../../transformers/StringTransformer';
import { LocalBulkEndpoint } from '../../../test/opensearch/LocalBulkEndpoint';
import { useBulkAndBucket } from '../../../test/opensearch/useBulkAndBucket';
import { EmitterError } from '../EmitterError';
import { S3FailureSink } from '../s3/S3FailureSink';
import { OpenSearchEmitter } from './OpenSearchEmitter';

// OpenSearchEmitter against a local endpoint that implements the _bulk protocol (no OpenSearch
// server is available here), with s3rver for the failed-document backup.

const fixture = useBulkAndBucket('opensearch');
let stack: TestStack;
let s3: S3Client;
let bucket: string;
let bulk: LocalBulkEndpoint;
beforeEach(() => ({ stack, s3, bucket, bulk } = fixture));

async function failedDocuments(prefix: string): Promise<Record<string, unknown>[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const out: Record<string, unknown>[] = [];
  for (const object of listed.Contents ?? []) {
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key! }))).Body!.transformToString();
    out.push(...body.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>));
  }
  return out;
}
const doc = (value: unknown) => Buffer.from(`${JSON.stringify(value)}\n`);

/** Every object under `prefix` in `inBucket`: its key and its body as text. */
async function objects(prefix: string, inBucket = bucket): Promise<{ key: string; body: string }[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: inBucket, Prefix: prefix }));
  return Promise.all((listed.Contents ?? []).map(async ({ Key }) => ({ key: Key!, body: await (await s3.send(new GetObjectCommand({ Bucket: inBucket, Key }))).Body!.transformToString() })));
}
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

describe('OpenSearchEmitter against a local _bulk endpoint (no OpenSearch server here)', () => {
  it('indexes into the rotated index with position-derived ids; emitting the batch again overwrites instead of duplicating', async () => {
    const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'orders', indexRotationPeriod: 'OneWeek', s3Backup: { client: s3, bucket } });
    const batch = makeBatch([doc({ n: 1 }), doc({ n: 2 })], { arrivalMs: Date.UTC(2016, 4, 24, 7, 0) });
    expect(await emitter.emit(batch)).toEqual({ failed: [] });
    await emitter.emit(batch);
    expect([...bulk.documents.values()].map((d) => [d.index, d.source.n])).toEqual([
      ['orders-2016-w21', 1],
      ['orders-2016-w21', 2],
    ]);
    expect(bulk.requests.map((r) => r.contentType)).toEqual(['application/x-ndjson', 'application/x-ndjson']);
  });

  it('retries documents refused with 429 (returned as failed) and indexes them on the next attempt', async () => {
    const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'retry', indexRotationPeriod: 'NoRotation', s3Backup: { client: s3, bucket } });
    let refusals = 1;
    bulk.answer = (source) => (source.n === 2 && refusals-- > 0 ? { status: 429, type: 'es_rejected_execution_exception', reason: 'queue full' } : 'index');
    const items = [doc({ n: 1 }), doc({ n: 2 })];
    const batch = makeBatch(items);
    const first = await emitter.emit(batch);
    expect(first.failed).toEqual([items[1]]);
    expect(await emitter.emit({ ...batch, items: [items[1]!], sources: [batch.sources[1]!], attempt: 2 })).toEqual({ failed: [] });
    expect([...bulk.documents.values()].map((d) => d.source.n).sort()).toEqual([1, 2]);
  });

  it('writes documents refused for good (mapping error, not JSON) at once, and retryable ones once the retry duration has passed, to S3 in Firehose’s failed-document format', async () => {
    let now = Date.UTC(2024, 4, 1, 13, 0, 0);
    const emitter = new OpenSearchEmitter({
      endpoint: bulk.endpoint,
      indexName: 'logs',
      indexRotationPeriod: 'OneDay',
      retryDurationInSeconds: 60,
      currentTimeMs: () => now,
      s3Backup: { client: s3, bucket, errorOutputPrefix: 'os-errors/!{firehose:error-output-type}/' },
    });
    bulk.answer = (source) =>
      source.kind === 'bad' ? { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } : source.kind === 'busy' ? { status: 503, type: 'unavailable', reason: 'busy' } : 'index';
    const items = [doc({ kind: 'ok' }), doc({ kind: 'bad' }), Buffer.from('not json\n'), doc({ kind: 'busy' })];
    const batch = makeBatch(items, { arrivalMs: Date.UTC(2024, 4, 1, 12, 0, 0) });
    const first = await emitter.emit(batch);
    expect(first.failed).toEqual([items[3]]);
    const atOnce = await failedDocuments('os-errors/AmazonOpenSearchService-failed/2024/05/01/12/');
    expect(atOnce.map((d) => [d.errorCode, d.esIndexName, Buffer.from(d.rawData as string, 'base64').toString()])).toEqual([
      ['OS.mapper_parsing_exception', 'logs-2024-05-01', '{"kind":"bad"}\n'],
      ['OS.MalformedDocument', 'logs-2024-05-01', 'not json\n'],
    ]);
    expect(atOnce[0]).toMatchObject({ attemptsMade: 1, errorMessage: 'failed to parse field [n]', esDocumentId: expect.any(String), arrivalTimestamp: Date.UTC(2024, 4, 1, 12, 0, 1) });

    now += 61_000; // past the retry duration
    const retry = await emitter.emit({ ...batch, items: [items[3]!], sources: [batch.sources[3]!], attempt: 2 });
    expect(retry.failed).toEqual([]);
    const all = await failedDocuments('os-errors/');
    expect(all.map((d) => d.errorCode).sort()).toEqual(['OS.MalformedDocument', 'OS.mapper_parsing_exception', 'OS.unavailable']);
    expect(bulk.documents.size).toBe(1);
  });

  describe('S3BackupMode AllDocuments, against the local _bulk stand-in (not OpenSearch) and s3rver', () => {
    it('every source record of the batch goes to one object under the backup prefix, named like Firehose’s objects; failed documents still go under the error prefix; a retry of the failed documents does not write the backup again', async () => {
      const tag = uniqueName('all').toLowerCase();
      const now = Date.UTC(2024, 4, 1, 13, 0, 0);
      const emitter = new OpenSearchEmitter({
        endpoint: bulk.endpoint,
        indexName: 'all',
        indexRotationPeriod: 'NoRotation',
        currentTimeMs: () => now,
        s3Backup: { mode: 'AllDocuments', client: s3, bucket, prefix: `${tag}/all/`, errorOutputPrefix: `${tag}/failed/!{firehose:error-output-type}/` },
      });
      let busy = 1;
      bulk.answer = (source) =>
        source.kind === 'bad' ? { status: 400, type: 'mapper_parsing_exception', reason: 'failed to parse' } : source.kind === 'busy' && busy-- > 0 ? { status: 503, type: 'unavailable', reason: 'busy' } : 'index';
      const items = [doc({ kind: 'ok' }), doc({ kind: 'bad' }), doc({ kind: 'busy' })];
      const batch = makeBatch(items, { streamName: 'orders', arrivalMs: Date.UTC(2024, 4, 1, 12, 0, 0) });

      expect((await emitter.emit(batch)).failed).toEqual([items[2]]);
      const backup = await objects(`${tag}/all/`);
      // The source records as read from the stream (makeBatch's are "record N"), concatenated as Firehose writes them.
      expect(backup).toEqual([{ key: expect.stringMatching(new RegExp(`^${tag}/all/2024/05/01/12/orders-1-2024-05-01-12-00-00-${UUID}$`)), body: 'record 1record 2record 3' }]);
      const failed = await failedDocuments(`${tag}/failed/AmazonOpenSearchService-failed/2024/05/01/12/`);
      expect(failed.map((d) => [d.errorCode, Buffer.from(d.rawData as string, 'base64').toString()])).toEqual([['OS.mapper_parsing_exception', '{"kind":"bad"}\n']]);

      expect(await emitter.emit({ ...batch, items: [items[2]!], sources: [batch.sources[2]!], attempt: 2 })).toEqual({ failed: [] });
      expect(await objects(`${tag}/all/`)).toEqual(backup);
      expect([...bulk.documents.values()].map((d) => d.source.kind).sort()).toEqual(['busy', 'ok']);
    });

    it('a batch is delivered only with its backup: a backup write that fails throws EmitterError S3WriteFailed and nothing is indexed; the batch emitted again (after a restart) writes both, its backup under the same key', async () => {
      const missing = uniqueName('opensearch-all').toLowerCase();
      const options = { endpoint: bulk.endpoint, indexName: 'both', s3Backup: { mode: 'AllDocuments' as const, client: s3, bucket: missing } };
      const batch = makeBatch([doc({ n: 1 }), doc({ n: 2 })], { arrivalMs: Date.UTC(2031, 0, 2, 3, 0, 0) });
      const error = await new OpenSearchEmitter(options).emit(batch).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmitterError);
      expect(error).toMatchObject({ code: 'S3WriteFailed', context: { bucket: missing, batchId: batch.batchId } });
      expect(bulk.requests).toEqual([]);

      await createBucket(s3, missing);
      expect(await new OpenSearchEmitter(options).emit(batch)).toEqual({ failed: [] });
      expect(await new OpenSearchEmitter(options).emit(batch)).toEqual({ failed: [] });
      // The default prefix '' gets Firehose's yyyy/MM/dd/HH/ (of the oldest record's arrival).
      expect(await objects('', missing)).toEqual([{ key: expect.stringMatching(new RegExp(`^2031/01/02/03/orders-1-2031-01-02-03-00-00-${UUID}$`)), body: 'record 1record 2' }]);
      expect([...bulk.documents.values()].map((d) => d.source.n)).toEqual([1, 2]);
    });

    it('in a pipeline: a backup write that gets no answer (FaultProxy blackhole on S3) is a retryable S3WriteFailed — nothing indexed, nothing checkpointed — and the retry writes both, then checkpoints', async () => {
      const target = new URL(stack.s3.endpoint);
      const proxy = await FaultProxy.start({ target: { host: target.hostname, port: Number(target.port) } });
      const client = createS3Client(proxy.endpoint, { maxAttempts: 1 });
      try {
        const prefix = `${uniqueName('pipeline-all').toLowerCase()}/`;
        const checkpointer = new FakeCheckpointer();
        const pipeline = createPipeline<string, string>({
          transformer: new StringTransformer() as never,
          emitter: new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'piped', requestTimeoutMs: 300, s3Backup: { mode: 'AllDocuments', client, bucket, prefix } }),
          buffer: { maxRecords: 2 },
          retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
        });
        const atFirstFailure: unknown[] = [];
        pipeline.on('emitFailed', (event) => {
          atFirstFailure.push({ attempt: event.attempt, code: (event.error as { code?: string }).code, retryable: (event.error as { retryable?: boolean }).retryable, indexed: bulk.requests.length, checkpoints: [...checkpointer.checkpoints] });
          proxy.setBlackhole(false);
        });
        proxy.setBlackhole(true);
        await pipeline('shardId-000000000001').processRecords(checkpointer.input([record(1, '{"n":1}'), record(2, '{"n":2}')]));
        expect(atFirstFailure).toEqual([{ attempt: 1, code: 'S3WriteFailed', retryable: true, indexed: 0, checkpoints: [] }]);
        expect(checkpointer.checkpoints).toEqual([at(2)]);
        expect([...bulk.documents.values()].map((d) => d.source.n)).toEqual([1, 2]);
        expect((await objects(prefix)).map((o) => o.body)).toEqual(['{"n":1}{"n":2}']);
      } finally {
        client.destroy();
        await proxy.stop();
      }
    });

    it('in a pipeline whose Firehose Lambda drops some records and fails others: every record read is in the backup once (a flush of only dropped and failed ones too), only the Ok ones are indexed, each flush checkpointed after both', async () => {
      const tag = uniqueName('lambda-all').toLowerCase();
      const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: tag, indexRotationPeriod: 'NoRotation', s3Backup: { mode: 'AllDocuments', client: s3, bucket, prefix: `${tag}/all/` } });
      expect(emitter.receivesEveryRecord).toBe(true);
      const failureSink = new S3FailureSink({ client: s3, bucket, errorPrefix: `${tag}/errors/` });
      const pipeline = createPipeline<Buffer, Buffer>({ streamName: 'orders', transformer: new FirehoseTransformer(dropOrFailLambda), emitter, failureSink, buffer: { maxRecords: 4 } });
      const checkpointer = new FakeCheckpointer();
      const processor = pipeline('shardId-000000000001');
      // Four records held flush the first batch (1–4); records 5–6 become no item and are flushed at shutdown.
      await processor.processRecords(checkpointer.input(['{"n":1}', 'drop-2', 'fail-3', '{"n":4}'].map((data, i) => record(i + 1, data))));
      await processor.processRecords(checkpointer.input([record(5, 'drop-5'), record(6, 'fail-6')]));
      await processor.shutdownRequested({ checkpointer: checkpointer.asCheckpointer });
      await pipeline.shutdown();
      expect(checkpointer.checkpoints).toEqual([at(4), at(6)]);
      expect((await objects(`${tag}/all/`)).map((o) => o.body).sort()).toEqual(['drop-5fail-6', '{"n":1}drop-2fail-3{"n":4}']);
      expect([...bulk.documents.values()].filter((d) => d.index === tag).map((d) => d.source.N)).toEqual([1, 4]);
    });

    it('FailedDocumentsOnly (the default): a batch indexed in full writes nothing to S3', async () => {
      const own = await createBucket(s3, uniqueName('opensearch-failed-only').toLowerCase());
      const emitter = new OpenSearchEmitter({ endpoint: bulk.endpoint, indexName: 'only', s3Backup: { client: s3, bucket: own } });
      expect(await emitter.emit(makeBatch([doc({ n: 1 })]))).toEqual({ failed: [] });
      expect(bulk.documents.size).toBe(1);
      expect(await objects('', own)).toEqual([]);
    });
  });

  describe('SigV4 signing, against a local _bulk stand-in that recomputes each signature with the secret it knows (not OpenSearch)', () => {
    const KEY = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-secret/abc+123' };
    let signed: LocalBulkEndpoint;
    beforeEach(async () => (signed = await LocalBulkEndpoint.start({ sigV4: { region: 'eu-west-1', service: 'es', secrets: { [KEY.accessKeyId]: KEY.secretAccessKey } } })));
    afterEach(() => signed.stop());

    it('the stand-in accepts every signed _bulk request (host, x-amz-content-sha256 of the body, x-amz-date and the session token signed) and indexes the documents', async () => {
      const emitter = new OpenSearchEmitter({
        endpoint: signed.endpoint,
        indexName: 'signed',
        indexRotationPeriod: 'NoRotation',
        signing: { region: 'eu-west-1', credentials: { ...KEY, sessionToken: 'session-token-1' } },
        headers: { 'X-Opaque-Id': 'kt-test' },
        s3Backup: { client: s3, bucket },
      });
      const batch = makeBatch([doc({ n: 1 }), doc({ n: 'ü' })]);
      expect(await emitter.emit(batch)).toEqual({ failed: [] });
      expect(await emitter.emit({ ...batch, attempt: 2 })).toEqual({ failed: [] });
      expect(signed.refused).toEqual([]);
      expect(signed.requests).toHaveLength(2);
      expect(signed.requests[0]).toMatchObject({ signedBy: KEY.accessKeyId, signedHeaders: expect.arrayContaining(['host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-opaque-id']) });
      expect([...signed.documents.values()].map((d) => d.source.n)).toEqual([1, 'ü']);
    });

    it('credentials from the SDK’s default provider chain when none are given (here: the environment)', async () => {
      const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN };
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: KEY.accessKeyId, AWS_SECRET_ACCESS_KEY: KEY.secretAccessKey });
      delete process.env.AWS_SESSION_TOKEN;
      try {
        const emitter = new OpenSearchEmitter({ endpoint: signed.endpoint, indexName: 'chain', signing: { region: 'eu-west-1' }, s3Backup: { client: s3, bucket } });
        expect(await emitter.emit(makeBatch([doc({ n: 1 })]))).toEqual({ failed: [] });
        expect(signed.requests[0]!.signedBy).toBe(KEY.accessKeyId);
      } finally {
        for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_SESSION_TOKEN', saved.token]] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });

    it('a wrong secret: the stand-in answers 403 (signature mismatch) and the emitter throws EmitterError AccessDenied — nothing indexed, nothing sent to the S3 backup', async () => {
      const prefix = `wrong-secret-${uniqueName('p')}/`;
      const emitter = new OpenSearchEmitter({
        endpoint: signed.endpoint,
        indexName: 'denied',
        signing: { region: 'eu-west-1', credentials: { ...KEY, secretAccessKey: 'not-the-secret' } },
        s3Backup: { client: s3, bucket, errorOutputPrefix: prefix },
      });
      const error = await emitter.emit(makeBatch([doc({ n: 1 })])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EmitterError);
      expect(error).toMatchObject({ code: 'AccessDenied', retryable: false, context: { status: 403 } });
      expect((error as Error).message).toMatch(/HTTP 403, SigV4\): .*The request signature we calculated does not match/);
      expect(signed.refused).toEqual([expect.stringMatching(/^The request signature we calculated does not match/)]);
      expect(signed.documents.size).toBe(0);
      expect(await failedDocuments(prefix)).toEqual([]);
    });

    it('signed for another service or region: refused by the stand-in, AccessDenied', async () => {
      for (const signing of [{ region: 'eu-west-1', service: 'aoss' as const }, { region: 'us-east-1' }]) {
        const emitter = new OpenSearchEmitter({ endpoint: signed.endpoint, indexName: 'scope', signing: { ...signing, credentials: KEY }, s3Backup: { client: s3, bucket } });
        await expect(emitter.emit(makeBatch([doc({ n: 1 })]))).rejects.toMatchObject({ code: 'AccessDenied' });
      }
      expect(signed.refused).toEqual([expect.stringMatching(/^Credential should be scoped .*got eu-west-1\/aoss/), expect.stringMatching(/got us-east-1\/es/)]);
    });
  });
});
