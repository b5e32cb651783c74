import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SDK_CLIENT_DEFAULTS, classifyAwsError } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult, ItemSource } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { emitResult } from '../internal/emitResult';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';
import { firehoseObjectName, stableRandomString } from '../firehose/objectName';
import { COMPRESSION_EXTENSIONS, compressObject } from '../firehose/compression/compressObject';
import { postJson } from '../http/postJson';
import { uploadObject } from '../s3/uploadObject';
import { SourceRecordBackup } from '../firehose/backup/SourceRecordBackup';
import { rotatedIndexName } from './indexRotation';
import { OpenSearchRequestSigner } from './OpenSearchRequestSigner';
import { resolveOpenSearchEmitterOptions, type OpenSearchEmitterOptions, type ResolvedOpenSearchEmitterOptions } from './OpenSearchEmitterOptions';

/** One document's fate in a `_bulk` answer. */
interface ItemOutcome {
  readonly ok: boolean;
  readonly retryable: boolean;
  readonly errorCode: string;
  readonly errorMessage: string;
}

interface Document {
  readonly position: number;
  readonly index: string;
  readonly id: string | undefined;
  readonly body: Buffer;
}

const FAILED_TYPE = 'AmazonOpenSearchService-failed';

/**
 * Delivers batches to OpenSearch or Elasticsearch as Firehose does: one `_bulk` request of
 * `index` actions per attempt, each record a JSON document, into the index name with Firehose's
 * rotation suffix for the record's arrival time, with a document id derived from the record's
 * position (`FIREHOSE_DEFAULT`: a retry overwrites instead of duplicating) or none.
 *
 * Per-item results are read: documents refused with 429 or 5xx (or the whole request failing:
 * 429, 5xx, a timeout, a dropped connection) are returned as `failed` and the pipeline retries
 * them — until `retryDurationInSeconds` after the batch's first attempt; documents refused for
 * good (a 4xx such as `mapper_parsing_exception`, or not JSON) and those still failing after the
 * retry duration are written to S3 under the error prefix (`AmazonOpenSearchService-failed/…`) in
 * Firehose's failed-document format (`esDocumentId`, `esIndexName`, `errorCode`, `errorMessage`,
 * `rawData`, …) and count as delivered. A failed S3 write throws an {@link EmitterError}.
 *
 * With `s3Backup.mode: 'AllDocuments'` (Firehose's `S3BackupMode`), each batch's source records are
 * also written to the bucket, one object under `s3Backup.prefix`, before anything is indexed
 * (Firehose's source record backup, {@link SourceRecordBackup}): a batch is delivered only once
 * both are written; a failed backup write throws `S3WriteFailed` and nothing is sent to `_bulk`.
 * A retry of the batch's failed documents does not write the backup again.
 *
 * `s3Backup.compressionFormat` and `s3Backup.kmsKeyArn` (the bucket's `CompressionFormat` and
 * SSE-KMS key) apply to every object the emitter writes: backup objects and failed documents.
 *
 * With `signing`, every `_bulk` request is signed with SigV4 (`es` or `aoss`, `x-amz-content-sha256`
 * included). A request refused for its credentials (401/403: a bad signature, a wrong key, no
 * permission) throws an {@link EmitterError} `AccessDenied` (not retryable): the documents are not
 * the problem, so they go neither to the backup nor back for a retry; no credentials to sign with
 * throws `SigningFailed`.
 */
export class OpenSearchEmitter implements Emitter<ByteItem> {
  readonly #config: ResolvedOpenSearchEmitterOptions;
  readonly #s3: S3Client;
  readonly #ownS3: S3Client | undefined;
  readonly #signer: OpenSearchRequestSigner | undefined;
  /** When each batch was first tried (its retries keep the batch id). */
  readonly #firstAttempt = new Map<string, number>();
  /** `AllDocuments`: one source record backup per stream name (its objects are named after it). */
  readonly #allDocuments = new Map<string, SourceRecordBackup>();

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: OpenSearchEmitterOptions) {
    this.#config = resolveOpenSearchEmitterOptions(options);
    this.#ownS3 = this.#config.s3Client === undefined ? new S3Client({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#s3 = this.#config.s3Client ?? this.#ownS3!;
    const { signing, requestTimeoutMs, clock } = this.#config;
    this.#signer = signing === undefined ? undefined : new OpenSearchRequestSigner(signing, { timeoutMs: requestTimeoutMs, clock });
  }

  shutdown(): void {
    this.#ownS3?.destroy();
  }

  /**
   * True with `s3Backup.mode: 'AllDocuments'`: the pipeline then passes every record a batch
   * covers — those the transformer dropped or failed too — and emits a batch with no items, so
   * that every incoming record reaches the backup.
   */
  get receivesEveryRecord(): boolean {
    return this.#config.backupPrefix !== undefined;
  }

  /** The index and document id of a record. */
  target(source: ItemSource, shardId: string): { index: string; id: string | undefined } {
    const config = this.#config;
    const arrival = source.approximateArrivalTimestamp ?? new Date(config.currentTimeMs());
    const index = rotatedIndexName(config.indexName, config.indexRotationPeriod, arrival);
    if (config.documentIdFormat === 'NO_DOCUMENT_ID') return { index, id: undefined };
    const id = createHash('sha256').update(`${shardId}/${source.sequenceNumber}/${source.subSequenceNumber}`).digest('base64url').slice(0, 32);
    return { index, id };
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { valid, rejected } = partitionByteItems(batch.items);
    const config = this.#config;
    // Every incoming record, before any document is indexed: a batch never counts as delivered without it.
    await this.#sourceRecordBackup(batch)?.write(batch);
    const now = config.currentTimeMs();
    const firstAttempt = this.#firstAttempt.get(batch.batchId) ?? now;
    this.#firstAttempt.set(batch.batchId, firstAttempt);
    const retryTimeLeft = now - firstAttempt < config.retryDurationMs;

    const documents: Document[] = [];
    const refused: { position: number; document: Document | undefined; outcome: ItemOutcome }[] = [];
    for (const position of valid) {
      const body = itemBytes(batch.items[position], position);
      const { index, id } = this.target(batch.sources[position]!, batch.shardId);
      const document = { position, index, id, body };
      if (!isJsonObject(body)) {
        refused.push({ position, document, outcome: { ok: false, retryable: false, errorCode: 'OS.MalformedDocument', errorMessage: 'the record is not a JSON object' } });
        continue;
      }
      documents.push(document);
    }

    const failed: number[] = [];
    if (documents.length > 0) {
      let outcomes: ItemOutcome[];
      try {
        outcomes = await this.#bulk(documents);
      } catch (error) {
        // Refused credentials, or none to sign with: not a document's fault — the caller must know.
        if (error instanceof EmitterError) throw error;
        const retryable = classifyAwsError(error).retryable;
        const outcome = { ok: false, retryable, errorCode: (error as { code?: string }).code ?? 'OS.RequestFailed', errorMessage: (error as Error).message };
        outcomes = documents.map(() => outcome);
      }
      documents.forEach((document, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) return;
        if (outcome.retryable && retryTimeLeft) failed.push(document.position);
        else refused.push({ position: document.position, document, outcome });
      });
    }
    if (refused.length > 0) await this.#backup(batch, refused.sort((a, b) => a.position - b.position), now);
    if (failed.length === 0) {
      this.#firstAttempt.delete(batch.batchId);
      this.#sourceRecordBackup(batch)?.forget(batch);
    } else config.logger.warn({ shardId: batch.shardId, batchId: batch.batchId, failed: failed.length }, `${failed.length} document(s) not indexed yet; retrying until the retry duration (${config.retryDurationMs / 1000} s) passes`);
    return emitResult(
      failed.map((position) => batch.items[position]!),
      rejected,
    );
  }

  /** The `AllDocuments` backup that names its objects after the batch's stream; undefined with `FailedDocumentsOnly`. */
  #sourceRecordBackup(batch: EmitBatch<unknown>): SourceRecordBackup | undefined {
    const config = this.#config;
    if (config.backupPrefix === undefined) return undefined;
    const name = objectStreamName(batch);
    let backup = this.#allDocuments.get(name);
    if (backup === undefined) {
      backup = new SourceRecordBackup(
        { bucket: config.s3Bucket, client: this.#s3, prefix: config.backupPrefix, errorOutputPrefix: config.errorOutputPrefix, compressionFormat: config.compressionFormat, kmsKeyArn: config.kmsKeyArn },
        { client: this.#s3, deliveryStreamName: name, deliveryStreamVersion: 1, ...UPLOAD_PARTS, requestTimeoutMs: config.requestTimeoutMs, currentTimeMs: config.currentTimeMs, clock: config.clock, logger: config.logger },
      );
      this.#allDocuments.set(name, backup);
    }
    return backup;
  }

  /** One `_bulk` request; the outcome of each document, in order. */
  async #bulk(documents: readonly Document[]): Promise<ItemOutcome[]> {
    const config = this.#config;
    const lines: Buffer[] = [];
    for (const document of documents) {
      const action = { index: { _index: document.index, ...(document.id !== undefined ? { _id: document.id } : {}), ...(config.typeName !== undefined ? { _type: config.typeName } : {}) } };
      lines.push(Buffer.from(`${JSON.stringify(action)}\n`), compactLine(document.body));
    }
    const body = Buffer.concat(lines);
    const headers = { ...config.headers, 'Content-Type': 'application/x-ndjson' };
    const response = await postJson(config.bulkUrl, this.#signer === undefined ? headers : await this.#signer.sign(config.bulkUrl, headers, body), body, {
      clock: config.clock,
      timeoutMs: config.requestTimeoutMs,
      maxResponseBytes: config.maxResponseBytes,
    });
    if (response.status === 401 || response.status === 403) {
      throw new EmitterError('AccessDenied', `_bulk at ${config.bulkUrl.host} refused the request's credentials (HTTP ${response.status}${this.#signer === undefined ? '' : ', SigV4'}): ${response.body.slice(0, 300)}`, {
        retryable: false,
        context: { endpoint: config.bulkUrl.origin, status: response.status },
      });
    }
    if (response.status !== 200) {
      const retryable = response.status === 429 || response.status >= 500;
      return documents.map(() => ({ ok: false, retryable, errorCode: `OS.${response.status}`, errorMessage: response.body.slice(0, 500) }));
    }
    let answer: { items?: Record<string, { status?: number; error?: { type?: string; reason?: string } }>[] };
    try {
      answer = JSON.parse(response.body) as typeof answer;
    } catch {
      return documents.map(() => ({ ok: false, retryable: true, errorCode: 'OS.InvalidResponse', errorMessage: '_bulk answered 200 with a body that is not JSON' }));
    }
    const items = answer.items ?? [];
    if (items.length !== documents.length) {
      return documents.map(() => ({ ok: false, retryable: true, errorCode: 'OS.InvalidResponse', errorMessage: `_bulk answered ${items.length} items for ${documents.length} documents` }));
    }
    return items.map((item) => {
      const result = Object.values(item)[0] ?? {};
      const status = result.status ?? 0;
      if (status >= 200 && status < 300) return { ok: true, retryable: false, errorCode: '', errorMessage: '' };
      return { ok: false, retryable: status === 429 || status >= 500, errorCode: `OS.${result.error?.type ?? status}`, errorMessage: result.error?.reason ?? `status ${status}` };
    });
  }

  /** Writes documents that could not be indexed to S3, one object, in Firehose's failed-document format. */
  async #backup(batch: EmitBatch<unknown>, refused: readonly { position: number; document: Document | undefined; outcome: ItemOutcome }[], now: number): Promise<void> {
    const config = this.#config;
    const sources = refused.map((r) => batch.sources[r.position]!);
    const oldest = Math.min(...sources.map((s) => s.approximateArrivalTimestamp?.getTime() ?? now));
    const seed = `${batch.streamName}/${batch.shardId}/${batch.batchId}/${batch.attempt}/${FAILED_TYPE}`;
    const prefix = config.errorOutputPrefix.expand({ timestamp: new Date(oldest), randomString: stableRandomString(seed), errorOutputType: FAILED_TYPE });
    const name = firehoseObjectName(objectStreamName(batch), 1, new Date(oldest), seed, COMPRESSION_EXTENSIONS[config.compressionFormat]);
    const key = `${prefix}${name}`;
    const lines = refused
      .map(({ position, document, outcome }, i) =>
        JSON.stringify({
          attemptsMade: batch.attempt,
          arrivalTimestamp: sources[i]!.approximateArrivalTimestamp?.getTime() ?? 0,
          errorCode: outcome.errorCode,
          errorMessage: outcome.errorMessage,
          attemptEndingTimestamp: now,
          rawData: itemBytes(batch.items[position], position).toString('base64'),
          subsequenceNumber: sources[i]!.subSequenceNumber,
          esDocumentId: document?.id ?? null,
          esIndexName: document?.index ?? null,
          ...(config.typeName !== undefined ? { esTypeName: config.typeName } : {}),
        }),
      )
      .join('\n');
    // The bucket's compression and encryption apply to failed documents too (Firehose's backup settings).
    const body = await compressObject(config.compressionFormat, Buffer.from(`${lines}\n`), name.replace(/\.zip$/, ''));
    try {
      await uploadObject(this.#s3, {
        bucket: config.s3Bucket,
        key,
        body,
        contentType: config.compressionFormat === 'UNCOMPRESSED' ? 'application/x-ndjson' : 'application/octet-stream',
        ...(config.kmsKeyArn !== undefined ? { kmsKeyId: config.kmsKeyArn } : {}),
        ...UPLOAD_PARTS,
        timeoutMs: config.requestTimeoutMs,
        clock: config.clock,
        logger: config.logger,
      });
    } catch (error) {
      throw new EmitterError('S3WriteFailed', `could not write ${refused.length} failed document(s) to s3://${config.s3Bucket}/${key}: ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { shardId: batch.shardId, batchId: batch.batchId, bucket: config.s3Bucket, key },
      });
    }
    config.logger.warn({ shardId: batch.shardId, key, documents: refused.length }, 'wrote documents that could not be indexed to the S3 backup');
  }
}

/** Objects above 16 MiB go up in 8 MiB parts. */
const UPLOAD_PARTS = { multipartThresholdBytes: 16 * 1024 * 1024, partSizeBytes: 8 * 1024 * 1024 } as const;

/** The name Firehose's object names start with: the batch's stream (the emitter has no delivery stream of its own). */
function objectStreamName(batch: EmitBatch<unknown>): string {
  return batch.streamName || 'opensearch';
}

function isJsonObject(body: Buffer): boolean {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A document on one line of the NDJSON body (records often end with "\n"; pretty JSON has more). */
function compactLine(body: Buffer): Buffer {
  const text = body.toString('utf8');
  return Buffer.from(`${/\n./.test(text.trimEnd()) ? JSON.stringify(JSON.parse(text)) : text.trimEnd()}\n`);
}
