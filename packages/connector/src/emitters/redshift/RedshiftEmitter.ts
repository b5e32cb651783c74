import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SDK_CLIENT_DEFAULTS, callAws, classifyAwsError, type AwsClientLike } from '@kinesis-toolkit/core';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';
import { classifyPostgresError } from '../postgres/classifyPostgresError';
import { quoteIdentifier, quoteLiteral, quoteTableName } from '../postgres/quoteIdentifier';
import { batchObjectName, batchTimestamp } from '../s3/batchObject';
import { uploadObject } from '../s3/uploadObject';
import { resolveRedshiftEmitterOptions, type RedshiftEmitterOptions, type ResolvedRedshiftEmitterOptions } from './RedshiftEmitterOptions';
import { emitResult } from '../internal/emitResult';

const gzipAsync = promisify(gzip);

/** What one batch became in S3. */
export interface RedshiftBatchFiles {
  /** `s3://bucket/key` of the data file (what the tracking table records). */
  readonly dataUrl: string;
  readonly manifestKey: string;
  /** `s3://bucket/key.manifest`, what the COPY reads. */
  readonly manifestUrl: string;
}

/**
 * Loads batches into Amazon Redshift the way Firehose does: writes the batch to S3 as a file
 * (one item per line by default, optionally gzipped), writes a manifest
 * `{"entries":[{"url":"s3://bucket/key","mandatory":true}]}` beside it, then in one transaction
 *
 * ```sql
 * BEGIN; LOCK tracking;
 * SELECT 1 FROM tracking WHERE file_url = $1;          -- loaded before? then just COMMIT
 * COPY target FROM 's3://…manifest' IAM_ROLE '…' MANIFEST <copyOptions>;
 * INSERT INTO tracking (file_url, loaded_at) VALUES ($1, $2);
 * COMMIT;
 * ```
 *
 * **Idempotent:** the file is named after the batch's range (like {@link S3Emitter}) and the
 * tracking table (`kinesis_toolkit_loaded_files`) remembers it inside the same transaction as the
 * COPY, so a retried or re-emitted batch is never loaded twice; the LOCK serialises loaders of
 * the same table. A batch is loaded whole or not at all: failures throw an {@link EmitterError}
 * (`S3WriteFailed`, or `RedshiftLoadFailed` — retryable for connection trouble and serialization
 * conflicts). Items that are neither bytes nor strings are `rejected` (`InvalidItem`). One attempt per `emit`, every S3 request with a deadline (`requestTimeoutMs`); the pipeline retries.
 */
export class RedshiftEmitter implements Emitter<ByteItem> {
  readonly #config: ResolvedRedshiftEmitterOptions;
  readonly #tracking: string;
  readonly #s3: S3Client;
  readonly #ownS3: S3Client | undefined;
  #trackingTableReady = false;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: RedshiftEmitterOptions) {
    this.#config = resolveRedshiftEmitterOptions(options);
    this.#tracking = quoteTableName(this.#config.trackingTable, this.#config.schema);
    this.#ownS3 = this.#config.s3Client === undefined ? new S3Client({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#s3 = this.#config.s3Client ?? this.#ownS3!;
  }

  /** Destroys the S3 client the emitter made itself (a client or executor you passed is yours). */
  shutdown(): void {
    this.#ownS3?.destroy();
  }

  /** Where a batch's file and manifest go. */
  filesFor(batch: EmitBatch<unknown>): RedshiftBatchFiles {
    const { prefix, bucket, compression, currentTimeMs } = this.#config;
    const key = `${prefix.expand({ timestamp: batchTimestamp(batch, currentTimeMs) })}${batchObjectName(batch)}${compression === 'gzip' ? '.gz' : ''}`;
    return { dataUrl: `s3://${bucket}/${key}`, manifestKey: `${key}.manifest`, manifestUrl: `s3://${bucket}/${key}.manifest` };
  }

  /** The COPY statement for a manifest. */
  copyStatement(manifestUrl: string): string {
    const { table, schema, columns, iamRoleArn, compression, copyOptions } = this.#config;
    const columnList = columns === undefined ? '' : ` (${columns.map((column) => quoteIdentifier(column, 'columns')).join(', ')})`;
    const options = [compression === 'gzip' ? 'GZIP' : '', copyOptions.trim()].filter((option) => option.length > 0).join(' ');
    return `COPY ${quoteTableName(table, schema)}${columnList} FROM ${quoteLiteral(manifestUrl)} IAM_ROLE ${quoteLiteral(iamRoleArn)} MANIFEST${options.length > 0 ? ` ${options}` : ''}`;
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { valid, rejected } = partitionByteItems(batch.items);
    if (valid.length === 0) return emitResult([], rejected);
    const files = this.filesFor(batch);
    await this.writeFiles(batch, valid, files);
    await this.load(batch, files);
    return emitResult([], rejected);
  }

  private async writeFiles(batch: EmitBatch<ByteItem>, valid: readonly number[], files: RedshiftBatchFiles): Promise<void> {
    const { bucket, recordDelimiter, compression, logger, requestTimeoutMs, clock } = this.#config;
    const dataKey = files.dataUrl.slice(`s3://${bucket}/`.length);
    try {
      const delimiter = Buffer.from(recordDelimiter, 'utf8');
      const raw = Buffer.concat(valid.flatMap((index) => [itemBytes(batch.items[index], index), delimiter]));
      const body = compression === 'gzip' ? await gzipAsync(raw) : raw;
      await uploadObject(this.#s3, {
        bucket,
        key: dataKey,
        body,
        contentType: 'application/octet-stream',
        multipartThresholdBytes: 16 * 1024 * 1024,
        partSizeBytes: 8 * 1024 * 1024,
        timeoutMs: requestTimeoutMs,
        clock,
        logger,
      });
      const manifest = JSON.stringify({ entries: [{ url: files.dataUrl, mandatory: true }] });
      await callAws(this.#s3 as AwsClientLike, new PutObjectCommand({ Bucket: bucket, Key: files.manifestKey, Body: manifest, ContentType: 'application/json' }), {
        service: 'S3',
        timeoutMs: requestTimeoutMs,
        clock,
        context: { bucket, key: files.manifestKey },
      });
    } catch (error) {
      throw new EmitterError('S3WriteFailed', `could not stage ${files.dataUrl} for Redshift: ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, bucket, key: dataKey },
      });
    }
  }

  private async load(batch: EmitBatch<ByteItem>, files: RedshiftBatchFiles): Promise<void> {
    const { executor, logger, currentTimeMs, table } = this.#config;
    const context = { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, table, file: files.dataUrl };
    try {
      await this.ensureTrackingTable();
      await executor.query('BEGIN');
      try {
        await executor.query(`LOCK ${this.#tracking}`);
        const seen = await executor.query(`SELECT 1 FROM ${this.#tracking} WHERE file_url = $1`, [files.dataUrl]);
        if (seen.rows.length > 0) {
          await executor.query('COMMIT');
          logger.info(context, 'Redshift file already loaded; skipped');
          return;
        }
        await executor.query(this.copyStatement(files.manifestUrl));
        await executor.query(`INSERT INTO ${this.#tracking} (file_url, loaded_at) VALUES ($1, $2)`, [files.dataUrl, new Date(currentTimeMs())]);
        await executor.query('COMMIT');
        logger.debug(context, 'loaded a file into Redshift');
      } catch (error) {
        await executor.query('ROLLBACK').catch((rollbackError: unknown) => logger.warn({ ...context, error: String(rollbackError) }, 'ROLLBACK failed'));
        throw error;
      }
    } catch (error) {
      throw new EmitterError('RedshiftLoadFailed', `could not load ${files.manifestUrl} into ${table}: ${String(error)}`, {
        retryable: classifyPostgresError(error) === 'retryable',
        cause: error,
        context: { ...context, sqlState: (error as { code?: unknown }).code },
      });
    }
  }

  private async ensureTrackingTable(): Promise<void> {
    if (this.#trackingTableReady || !this.#config.createTrackingTable) return;
    await this.#config.executor.query(
      `CREATE TABLE IF NOT EXISTS ${this.#tracking} (file_url VARCHAR(1024) NOT NULL PRIMARY KEY, loaded_at TIMESTAMP NOT NULL)`,
    );
    this.#trackingTableReady = true;
  }
}
