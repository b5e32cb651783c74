import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, type Clock, type Logger } from '@kinesis-toolkit/core';
import type { BatchPosition, EmitBatch, ItemSource } from '../../Emitter';
import { EmitterError } from '../../EmitterError';
import { uploadObject } from '../../s3/uploadObject';
import { COMPRESSION_EXTENSIONS, compressObject } from '../compression/compressObject';
import { firehoseObjectName, stableRandomString } from '../objectName';
import { oldestArrival } from '../oldestArrival';
import type { ResolvedS3Backup } from './S3BackupOptions';

/** What {@link SourceRecordBackup} writes with, besides the backup's own settings. */
export interface BackupContext {
  readonly client: S3Client;
  readonly deliveryStreamName: string;
  readonly deliveryStreamVersion: number;
  readonly multipartThresholdBytes: number;
  readonly partSizeBytes: number;
  readonly requestTimeoutMs: number;
  readonly currentTimeMs: () => number;
  readonly clock: Clock;
  readonly logger: Logger;
}

// Batches whose backup object is written but whose delivery is not finished yet (bounded: an
// entry forgotten only costs a retry writing the retried records' sources to an object of their own).
const MAX_REMEMBERED = 10_000;

/**
 * Firehose's source record backup for one emitter: each batch's source records — the user
 * records as read from the stream, before any transformation, each once even when it became
 * several items, and those that became none (dropped or failed by the transformation: the
 * batch's `records`; without them, the sources of its items) — are written as one object to the backup bucket, under the backup's prefix
 * (UTC: `S3BackupConfiguration` has no time zone), named like Firehose's objects, with the
 * backup's compression and encryption.
 *
 * The backup is written before the destination objects. A retry of the same batch (same
 * `batchId`) after its backup was written does not write it again; a retry after the backup
 * failed writes it again under the same key (same records: an overwrite, not a copy).
 */
export class SourceRecordBackup {
  readonly #written = new Set<string>();

  constructor(
    private readonly backup: ResolvedS3Backup,
    private readonly context: BackupContext,
  ) {}

  /**
   * Writes the backup object of `batch` (its `records`, else the sources of its items), unless a
   * previous attempt of the batch did.
   * @throws EmitterError `S3WriteFailed` (retryable as core classifies the S3 error) naming the backup bucket.
   */
  async write(batch: EmitBatch<unknown>): Promise<void> {
    const id = `${batch.streamName}/${batch.shardId}/${batch.batchId}`;
    if (this.#written.has(id)) return;
    const sources = batch.records ?? distinct(batch.sources);
    if (sources.length === 0) return;
    const { backup, context } = this;
    const positions = (s: BatchPosition) => `${s.sequenceNumber}.${s.subSequenceNumber}`;
    // The records are part of the name: a retry with fewer records (after an earlier backup was forgotten) never overwrites a fuller object.
    const seed = `${batch.streamName}/${batch.shardId}/${positions(batch.first)}/${positions(batch.last)}/backup/${positions(sources[0]!)}/${positions(sources.at(-1)!)}/${sources.length}`;
    const timestamp = oldestArrival(sources, context.currentTimeMs);
    const name = firehoseObjectName(context.deliveryStreamName, context.deliveryStreamVersion, timestamp, seed, COMPRESSION_EXTENSIONS[backup.compressionFormat]);
    const key = `${backup.prefix.expand({ timestamp, randomString: stableRandomString(seed) })}${name}`;
    const body = await compressObject(backup.compressionFormat, Buffer.concat(sources.map((s) => Buffer.from(s.data))), name.replace(/\.zip$/, ''));
    try {
      await uploadObject(backup.client ?? context.client, {
        bucket: backup.bucket,
        key,
        body,
        contentType: 'application/octet-stream',
        ...(backup.kmsKeyArn !== undefined ? { kmsKeyId: backup.kmsKeyArn } : {}),
        multipartThresholdBytes: context.multipartThresholdBytes,
        partSizeBytes: context.partSizeBytes,
        timeoutMs: context.requestTimeoutMs,
        clock: context.clock,
        logger: context.logger,
      });
    } catch (error) {
      throw new EmitterError('S3WriteFailed', `could not write the source record backup of ${batch.batchId} to s3://${backup.bucket}: ${(error as Error)?.message ?? String(error)}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, bucket: backup.bucket, key },
      });
    }
    if (this.#written.size >= MAX_REMEMBERED) this.#written.delete(this.#written.values().next().value!);
    this.#written.add(id);
    context.logger.debug({ bucket: backup.bucket, key, records: sources.length, batchId: batch.batchId }, 'wrote the source record backup');
  }

  /** The batch is delivered (or given up on): its backup need not be remembered. */
  forget(batch: EmitBatch<unknown>): void {
    this.#written.delete(`${batch.streamName}/${batch.shardId}/${batch.batchId}`);
  }
}

/** Each user record once (one record may have become several items), in shard order. */
function distinct(sources: readonly ItemSource[]): ItemSource[] {
  const seen = new Set<string>();
  const out: ItemSource[] = [];
  for (const source of sources) {
    const id = `${source.sequenceNumber}.${source.subSequenceNumber}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(source);
  }
  return out;
}
