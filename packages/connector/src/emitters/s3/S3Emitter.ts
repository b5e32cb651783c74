import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { SDK_CLIENT_DEFAULTS, classifyAwsError } from '@kinesis-toolkit/core';
import type { EmitBatch, Emitter, EmitResult } from '../Emitter';
import { EmitterError } from '../EmitterError';
import { itemBytes, partitionByteItems, type ByteItem } from '../internal/itemBytes';
import { batchObjectName, batchTimestamp } from './batchObject';
import { resolveS3EmitterOptions, type ResolvedS3EmitterOptions, type S3EmitterOptions } from './S3EmitterOptions';
import { uploadObject } from './uploadObject';
import { emitResult } from '../internal/emitResult';

const gzipAsync = promisify(gzip);

/**
 * Writes each batch to one S3 object, Firehose style: the items concatenated (with an optional
 * delimiter after each), optionally gzipped, under a prefix with `!{timestamp:…}` expressions.
 *
 * **Idempotent:** the key is made of the prefix (formatted with the first record's arrival time),
 * the stream, the shard and the first and last positions the batch covers
 * (`2024/05/01/13/orders-shardId-000000000000-4959…-0-4959…-3.gz`), so a retried or re-emitted
 * batch overwrites its own object instead of adding a second copy.
 *
 * An object is written whole or not at all, in one attempt per `emit` (each request with a
 * deadline, `requestTimeoutMs`): an S3 failure throws an {@link EmitterError} (`S3WriteFailed`,
 * its `cause` core's `AwsRequestError`; `retryable` for throttling, 5xx, timeouts and network
 * errors, not for a missing bucket or denied access), and the pipeline decides about retries.
 * Items that are neither bytes nor strings are `rejected` (`InvalidItem`) and the rest are written.
 *
 * @example
 * ```ts
 * new S3Emitter({ client: new S3Client({}), bucket: 'archive', prefix: 'orders/!{timestamp:yyyy/MM/dd}/', recordDelimiter: '\n', compression: 'gzip' });
 * ```
 */
export class S3Emitter implements Emitter<ByteItem> {
  readonly #config: ResolvedS3EmitterOptions;
  readonly #client: S3Client;
  readonly #ownClient: S3Client | undefined;

  /** @throws InvalidArgumentError for bad options. */
  constructor(options: S3EmitterOptions) {
    this.#config = resolveS3EmitterOptions(options);
    this.#ownClient = this.#config.client === undefined ? new S3Client({ ...SDK_CLIENT_DEFAULTS }) : undefined;
    this.#client = this.#config.client ?? this.#ownClient!;
  }

  /** Destroys the client the emitter made itself (a client you passed is yours). */
  shutdown(): void {
    this.#ownClient?.destroy();
  }

  /** The key a batch is written under (the same for every retry and re-emission of it). */
  keyFor(batch: EmitBatch<unknown>): string {
    const config = this.#config;
    const prefix = config.prefix.expand({ timestamp: batchTimestamp(batch, config.currentTimeMs) });
    return `${prefix}${batchObjectName(batch)}${config.fileExtension}${config.compression === 'gzip' ? '.gz' : ''}`;
  }

  async emit<V extends ByteItem>(batch: EmitBatch<V>): Promise<EmitResult<V>> {
    const { valid, rejected } = partitionByteItems(batch.items);
    if (valid.length === 0) return emitResult([], rejected);
    const config = this.#config;
    const key = this.keyFor(batch);
    try {
      const body = await this.encode(valid.map((index) => itemBytes(batch.items[index], index)));
      await uploadObject(this.#client, {
        bucket: config.bucket,
        key,
        body,
        contentType: config.contentType,
        multipartThresholdBytes: config.multipartThresholdBytes,
        partSizeBytes: config.partSizeBytes,
        timeoutMs: config.requestTimeoutMs,
        clock: config.clock,
        logger: config.logger,
      });
      config.logger.debug({ bucket: config.bucket, key, items: valid.length, bytes: body.length }, 'wrote S3 object');
    } catch (error) {
      throw new EmitterError('S3WriteFailed', `could not write s3://${config.bucket}/${key}: ${(error as Error).message}`, {
        retryable: classifyAwsError(error).retryable,
        cause: error,
        context: { streamName: batch.streamName, shardId: batch.shardId, batchId: batch.batchId, bucket: config.bucket, key },
      });
    }
    return emitResult([], rejected);
  }

  /** The object body: the items, each followed by the delimiter, gzipped if configured. */
  private async encode(items: readonly Buffer[]): Promise<Buffer> {
    const delimiter = Buffer.from(this.#config.recordDelimiter, 'utf8');
    const chunks = delimiter.length === 0 ? items : items.flatMap((item) => [item, delimiter]);
    const raw = Buffer.concat(chunks);
    return this.#config.compression === 'gzip' ? gzipAsync(raw) : raw;
  }
}
